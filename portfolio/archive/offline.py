"""The offline copy in an archive: each showcase as a static page that opens from the
unzipped folder in any browser, with relative links only, no script, and the site's
stylesheets as files beside it.

A page shows what a share link shows (private items and sections with nothing to show
are left out), through the same item template. Pictures are the served copies (scaled,
without camera metadata), as on a shared page; other files link to the originals in
`files/`. A badge links to a page of its own with what its last check found.
"""

from typing import Any

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone

from artefacts.models import Artefact
from badges.models import Badge
from portfolio.archive.manifest import (
    INDEX_PAGE,
    OFFLINE_CSS,
    artefact_file,
    badge_page,
    display_image,
    relative,
    showcase_page,
)
from portfolio.archive.writer import ArchiveWriter
from portfolio.exports.documents import clean_html
from portfolio.models import Showcase


class OfflinePages:
    """Writes the pages into an archive; images and badge pages are written once each,
    however many showcases show them."""

    def __init__(self, writer: ArchiveWriter) -> None:
        self.writer = writer
        self.made_at = timezone.now()
        self._images: dict[int, str | None] = {}
        self._badges: set[int] = set()

    def write_stylesheets(self) -> None:
        for path in OFFLINE_CSS:
            found = finders.find(f"css/{path.rsplit('/', 1)[-1]}")
            with open(str(found), "rb") as source:
                self.writer.add_bytes(path, source.read())

    def write_showcase(self, showcase: Showcase) -> None:
        page = showcase_page(showcase.public_id)
        sections = []
        for section in showcase.sections.all():
            items = [item for item in section.items.all() if not item.target.is_private]
            for item in items:
                if item.badge is not None:  # its page names the earner: the showcase's owner
                    item.badge.owner = showcase.owner
                self._link_item(item, page)
            if items:
                vars(section)["dom_id"] = str(section.pk)
                sections.append({"section": section, "items": items})
        html = render_to_string(
            "archive/offline/showcase.html",
            {
                "showcase": showcase,
                "summary": clean_html(showcase.summary_html),
                "sections": sections,
                **self._common(page),
            },
        )
        self.writer.add_text(page, html)

    def write_index(self, showcases: list[Showcase], owner: Any) -> None:
        listed = [
            {"showcase": s, "href": relative(showcase_page(s.public_id), start=INDEX_PAGE)}
            for s in showcases
        ]
        html = render_to_string(
            "archive/offline/index.html",
            {"showcases": listed, "owner": owner, **self._common(INDEX_PAGE)},
        )
        self.writer.add_text(INDEX_PAGE, html)

    def _common(self, page: str) -> dict[str, Any]:
        return {
            "css": [relative(path, start=page) for path in OFFLINE_CSS],
            "home": relative(INDEX_PAGE, start=page),
            "made_at": self.made_at,
        }

    def _link_item(self, item: Any, page: str) -> None:
        urls = {"dom_id": str(item.pk)}
        target = item.target
        if item.artefact_id:
            image = self._image(target) if target.is_image else None
            original = artefact_file(target.public_id, target.original_filename or "file")
            urls["file_url"] = relative(image or original, start=page)
            if target.is_image and image is None:
                vars(target)["preview"] = Artefact.Preview.FAILED  # shown as not available
        elif item.badge_id:
            urls["badge_url"] = relative(self._badge(target), start=page)
            image = self._badge_image(target)
            urls["image_url"] = relative(image, start=page) if image else ""
        vars(item).update(urls)

    def _image(self, artefact: Artefact) -> str | None:
        """The served copy of an image, written once; None when it has none."""
        if artefact.pk not in self._images:
            self._images[artefact.pk] = None
            stored = artefact.display_file
            if artefact.preview == Artefact.Preview.READY and stored:
                path = display_image(artefact.public_id, str(stored.name).rsplit(".", 1)[-1])
                with stored.open("rb") as source:
                    self.writer.add_stream(path, source, size=stored.size)
                self._images[artefact.pk] = path
        return self._images[artefact.pk]

    def _badge_image(self, badge: Badge) -> str | None:
        if not badge.display_image:
            return None
        extension = "svg" if "svg" in badge.display_image_type else "png"
        path = display_image(badge.public_id, extension)
        if badge.pk not in self._badges:
            with badge.display_image.open("rb") as source:
                self.writer.add_stream(path, source, size=badge.display_image.size)
        return path

    def _badge(self, badge: Badge) -> str:
        page = badge_page(badge.public_id)
        if badge.pk in self._badges:
            return page
        image = self._badge_image(badge)
        self._badges.add(badge.pk)
        html = render_to_string(
            "archive/offline/badge.html",
            {
                "badge": badge,
                "image": relative(image, start=page) if image else "",
                **self._common(page),
            },
        )
        self.writer.add_text(page, html)
        return page
