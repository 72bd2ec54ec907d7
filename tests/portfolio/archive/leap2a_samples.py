"""Leap2A archives for the tests: the genuine Mahara sample (and changed copies of it), a
learner's portfolio with one of everything, and a description of a portfolio that two
accounts can be compared by."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from artefacts.models import Artefact
from artefacts.services import Details, artefact_create_file, artefact_create_text
from badges.baking import bake_png
from badges.models import Badge
from badges.services import badge_import
from core.models import Visibility
from portfolio.archive.leap2a_export import leap2a_export
from portfolio.models import Leap2AEntry, Showcase
from portfolio.showcases import services as showcases
from reflections.models import Reflection
from reflections.services import ReflectionInput, reflection_create
from tests import filemakers as make
from tests.badges.issuers import credential, sign_trusted
from tests.portfolio.showcase_data import badge, image_artefact, link_artefact, pdf_artefact

MAHARA_SAMPLE = Path(__file__).parent / "leap2a_fixtures" / "mahara-22.10-page-10-items.zip"
SAMPLE_IMAGES = [
    "export_info/files/15-evidence-10-5.png",
    "export_info/files/20-evidence-10-10.png",
]
ARCHIVED_LEAP2 = b"https://web.archive.org/web/20100503000634/http://terms.leapspecs.org"
ARCHIVED_CATEGORIES = (
    b"https://web.archive.org/web/20120819100914/http://wiki.leapspecs.org:80/2A/categories"
)


def sample_bytes() -> bytes:
    return MAHARA_SAMPLE.read_bytes()


def member(archive: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(archive)) as opened:
        return opened.read(name)


def rewritten(archive: bytes, change: Callable[[str, bytes], bytes | None]) -> bytes:
    """A copy of `archive` with each member passed through `change` (None drops it)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(archive)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = change(info.filename, source.read(info))
            if data is not None:
                target.writestr(info.filename, data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def with_feed(archive: bytes, change: Callable[[bytes], bytes]) -> bytes:
    """A copy of `archive` whose leap2a.xml is changed by `change`."""
    return rewritten(archive, lambda name, data: change(data) if name == "leap2a.xml" else data)


def archived_namespaces(xml: bytes) -> bytes:
    """The feed with Leap2A's namespaces in the web.archive.org form newer Mahara writes."""
    for prefix, standard, archived in [
        (b"leap2", b"http://terms.leapspecs.org/", ARCHIVED_LEAP2),
        (b"categories", b"http://wiki.leapspecs.org/2A/categories/", ARCHIVED_CATEGORIES),
    ]:
        declared = b"xmlns:" + prefix + b'="' + standard + b'"'
        assert xml.count(declared) == 1, "the sample no longer declares " + prefix.decode()
        xml = xml.replace(declared, b"xmlns:" + prefix + b'="' + archived + b'"')
    return xml


def zip_of(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def exported(owner: Any) -> bytes:
    out = io.BytesIO()
    leap2a_export(owner=owner, destination=out)
    return out.getvalue()


def populated(owner: Any) -> Showcase:
    """One of everything, made through the real services: files, a link, a written piece,
    reflections (one private and linked to evidence, one with tags), a badge received as
    JSON and one baked into an image, and a showcase of two sections whose items are not
    in the order they were made, with captions."""
    photo = image_artefact(owner, title="Site visit photo", learned_on=date(2025, 3, 1))
    report = pdf_artefact(owner, title="Risk assessment", description="Done on site.\nTwice.")
    blog = link_artefact(owner, title="My blog post", tags=("writing", "web"))
    piece = artefact_create_text(
        owner=owner,
        body_markdown="## Method\n\n1. Look\n2. *Listen*\n\nSee [the guide](https://example.org/g).",
        details=Details(title="How I survey", visibility=Visibility.PRIVATE),
    )
    plain = artefact_create_file(
        owner=owner,
        upload=make.uploaded("notes.txt", b"Plain notes.\n"),
        details=Details(title="Notes"),
    )
    thinking = reflection_create(
        owner=owner,
        data=ReflectionInput(
            title="What the placement taught me",
            body_markdown="I learned to **plan** ahead.\n\n- first\n- second\n\n> quoted",
            written_on=date(2025, 4, 2),
            visibility=Visibility.PRIVATE,
            artefacts=[photo, report],
        ),
    )
    later = reflection_create(
        owner=owner,
        data=ReflectionInput(
            title="Next steps", body_markdown="Practise `git rebase`.", tags=("planning",)
        ),
    )
    held = badge(owner, name="Python programming")
    baked = baked_badge(owner, name="Accessible forms")
    showcase = showcases.showcase_create(
        owner=owner, title="Junior developer application", audience="Acme Ltd",
        summary="Why **Acme**.", theme=Showcase.Theme.MODERN,
    )  # fmt: skip
    work = showcases.section_add(
        showcase=showcase, heading="Projects I built", intro="*Real* work."
    )
    learning = showcases.section_add(showcase=showcase, heading="What I learned")
    placed: list[tuple[Any, Any, str]] = [
        (work, report, "My risk write-up"),
        (work, photo, "The site"),
        (work, blog, ""),
        (work, piece, ""),
        (work, plain, ""),
        (learning, baked, ""),
        (learning, later, "Where next"),
        (learning, thinking, "How I grew"),
        (learning, held, ""),
    ]
    for section, target, caption in placed:
        showcases.items_add(section=section, targets=[target], caption=caption)
    return showcase


def baked_badge(owner: Any, *, name: str) -> Badge:
    """A verified badge imported as an image with the credential baked into it."""
    slug = name.lower().replace(" ", "-")
    signed = sign_trusted(
        credential(
            issuer="did:key:x",
            recipient=owner.email,
            name=name,
            achievement_id=f"https://badges.test/achievements/{slug}",
        )
    )
    image = bake_png(make.png(40, 40), json.dumps(signed), keyword="openbadgecredential")
    found = badge_import(owner=owner, payload=json.dumps(signed), source="image", image=image)
    assert found.status == "verified", found.checks
    return found


def described(owner: Any) -> dict[str, Any]:
    """What a learner would check after moving their portfolio: every title, file (by
    hash), text, date, tag and privacy setting, and each showcase's sections and items in
    order with their captions."""
    artefacts = sorted(
        (a.title, a.kind, a.original_filename, a.sha256, a.size, a.description, a.url,
         a.body_markdown, a.body_html, a.visibility, a.learned_on,
         sorted(t.name for t in a.tags.all()))
        for a in Artefact.objects.filter(owner=owner)
    )  # fmt: skip
    reflections = sorted(
        (r.title, r.body_markdown, r.body_html, r.written_on, r.visibility,
         sorted(t.name for t in r.tags.all()), sorted(a.title for a in r.artefacts.all()))
        for r in Reflection.objects.filter(owner=owner)
    )  # fmt: skip
    badges = sorted(
        (b.name, b.status, b.issuer_name, hashlib.sha256(b.original_payload.encode()).hexdigest(),
         _file_hash(b.original_image), b.note, b.visibility)
        for b in Badge.objects.filter(owner=owner)
    )  # fmt: skip
    shown = sorted(
        (s.title, s.audience, s.summary_markdown, s.summary_html, s.theme,
         [(section.heading, section.intro_markdown,
           [(item.kind, str(item.target), item.caption)
            for item in section.items.order_by("position", "pk")])
          for section in s.sections.order_by("position", "pk")])
        for s in Showcase.objects.filter(owner=owner)
    )  # fmt: skip
    return {"artefacts": artefacts, "reflections": reflections, "badges": badges,
            "showcases": shown}  # fmt: skip


def _file_hash(stored: Any) -> str:
    if not stored:
        return ""
    with stored.open("rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def nothing_imported(owner: Any, media: Path) -> bool:
    """No row of any kind for `owner`, and no file stored at all."""
    rows = [
        Artefact.objects.filter(owner=owner).exists(),
        Reflection.objects.filter(owner=owner).exists(),
        Badge.objects.filter(owner=owner).exists(),
        Showcase.objects.filter(owner=owner).exists(),
        Leap2AEntry.objects.filter(owner=owner).exists(),
    ]
    files = [path for path in media.rglob("*") if path.is_file()]
    return not any(rows) and not files
