"""The showcase PDF: the context builder for templates/exports/showcase.html.

It shows what a share link shows (private items and empty sections left out), so the
PDF can be offered through a link. Images are embedded at print size (the print copy
made when they were uploaded); every file the document uses is copied into the export's
own folder, the only files the renderer can read. `prepare_images` and `item_context`
print a piece of evidence the same way in every PDF (templates/exports/partials/item.html).
"""

import logging
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from artefacts.models import Artefact
from core.uploads import UploadRejected
from portfolio.exports.documents import (
    Prepared,
    Progress,
    badge_facts,
    clean_html,
    every,
    prepared,
    qr_png,
    verify_address,
)
from portfolio.models import Export, Showcase
from portfolio.showcases.selectors import showcase_for_display

logger = logging.getLogger(__name__)
STYLESHEETS = ["css/export.css"]


def showcase_document(*, export: Export, showcase: Showcase, report: Progress) -> Prepared:
    """The export's HTML and files. The caller closes the result (removing its folder)."""
    shown = showcase_for_display(showcase=showcase)
    sections = list(shown.sections.all())
    items = [item for section in sections for item in section.items.all()]
    document = prepared()
    try:
        images = prepare_images(document, items, report)
        report(_("Putting the pages together"), 0, 0)
        address = verify_address(export)
        with translation.override(translation.get_language() or "en"):
            document.html = render_to_string(
                "exports/showcase.html",
                {
                    "export": export,
                    "showcase": shown,
                    "owner": showcase.owner,
                    "summary": clean_html(shown.summary_html),
                    "sections": [_section(section, images) for section in sections],
                    "verify": address,
                    "qr": document.add(qr_png(address.url), "png"),
                    "made_at": timezone.now(),
                    "language": translation.get_language() or "en",
                },
            )
        document.stylesheets = STYLESHEETS
        export.badges = [badge_facts(item.badge) for item in items if item.badge_id]
    except BaseException:
        document.close()
        raise
    return document


def prepare_images(document: Prepared, items: list[Any], report: Progress) -> dict[int, str]:
    """export-file URLs of each item's picture, by the item's pk. An item is anything
    with `pk`, `artefact_id`/`artefact` and `badge_id`/`badge`: a showcase item, or an
    APEL claim's mapping. An artefact image's print copy (made with
    its preview when it was uploaded) is copied as it is; only an image without one (its
    preview still pending, or prepared before print copies existed), or with one larger
    than EXPORT_IMAGE_MAX_SIDE now allows, is scaled here.
    Badge images are copied as stored. A picture that cannot be read is left out (the
    title remains)."""
    wanted = [(item, picture) for item in items if (picture := _picture(item)) is not None]
    stage = _("Preparing images")
    tick = every(len(wanted), report, stage)
    report(stage, 0, len(wanted))
    urls: dict[int, str] = {}
    for done, (item, (stored, scale)) in enumerate(wanted, start=1):
        try:
            with stored.open("rb") as source:
                if scale:
                    urls[item.pk] = document.add_image(source)
                elif item.artefact_id:
                    urls[item.pk] = document.add_print_copy(source, _extension(item, stored))
                else:
                    urls[item.pk] = document.add(source, _extension(item, stored))
        except (OSError, UploadRejected):
            logger.warning("Export %s: picture of item %s left out", document.folder, item.pk)
        tick(done)
    return urls


def _picture(item: Any) -> tuple[Any, bool] | None:
    """The stored file to print for an item, and whether it must be scaled first."""
    if item.artefact_id and item.artefact.is_image:
        artefact = item.artefact
        if artefact.preview == Artefact.Preview.READY and artefact.print_file:
            return artefact.print_file, False
        if artefact.preview == Artefact.Preview.READY:
            return artefact.display_file or artefact.file, True
        if artefact.preview == Artefact.Preview.PENDING:  # checked whole when uploaded
            return artefact.file, True
        return None  # it could not be decoded: no picture
    if item.badge_id and item.badge.display_image:
        return item.badge.display_image, False
    return None


def _extension(item: Any, stored: Any) -> str:
    if item.badge_id:
        return "svg" if "svg" in item.badge.display_image_type else "png"
    return "png" if str(stored.name).lower().endswith(".png") else "jpg"


def _section(section: Any, images: dict[int, str]) -> dict[str, Any]:
    return {
        "heading": section.heading,
        "anchor": f"section-{section.pk}",
        "intro": clean_html(section.intro_html),
        "items": [
            item_context(
                kind=item.kind,
                target=item.target,
                caption=item.caption,
                image=images.get(item.pk, ""),
                online=_("the online showcase"),
            )
            for item in section.items.all()
        ],
    }


def item_context(
    *,
    kind: str,
    target: Any,
    caption: str,
    image: str,
    online: str,
    anchor: str = "",
    label: str = "",
) -> dict[str, Any]:
    """What templates/exports/partials/item.html prints for one artefact, reflection or
    badge: `online` names where a file the PDF cannot show is found; `anchor` and
    `label` let other pages of the document refer to it."""
    body = getattr(target, "body_html", "")
    return {
        "kind": kind,
        "obj": target,
        "caption": caption,
        "image": image,
        "body": clean_html(body) if body else "",
        "media": getattr(target, "media", ""),
        "online": online,
        "anchor": anchor,
        "label": label,
    }
