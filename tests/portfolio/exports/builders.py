"""A showcase with one of everything, exported through the real services."""

import io
from dataclasses import dataclass
from typing import Any

from pypdf import PdfReader

from portfolio.exports import services
from portfolio.models import Export, Showcase
from portfolio.showcases import services as showcase_services
from tests.portfolio.showcase_data import (
    badge,
    image_artefact,
    link_artefact,
    pdf_artefact,
    reflection,
)


@dataclass
class Built:
    showcase: Showcase
    sections: list[str]
    titles: list[str]
    captions: list[str]
    badges: list[Any]


def full_showcase(owner: Any) -> Built:
    showcase = showcase_services.showcase_create(
        owner=owner, title="Junior developer application", audience="Acme Ltd"
    )
    work = showcase_services.section_add(showcase=showcase, heading="Projects I built")
    learning = showcase_services.section_add(showcase=showcase, heading="What I learned")
    photo, report, blog = image_artefact(owner), pdf_artefact(owner), link_artefact(owner)
    written, held = reflection(owner), badge(owner, name="Python programming")
    showcase_services.items_add(section=work, targets=[photo, report, blog])
    showcase_services.items_add(section=learning, targets=[written, held])
    captions = ["The site I surveyed", "My risk write-up", "Where I blog", "How I grew"]
    items = [*work.items.order_by("position"), *learning.items.order_by("position")]
    for item, caption in zip(items, captions, strict=False):
        showcase_services.item_update(item=item, caption=caption)
    return Built(
        showcase=showcase,
        sections=["Projects I built", "What I learned"],
        titles=[photo.title, report.title, blog.title, written.title, held.name],
        captions=captions,
        badges=[held],
    )


def exported(owner: Any, showcase: Showcase) -> Export:
    export = services.export_request(owner=owner, showcase=showcase, request_key="k")
    export.refresh_from_db()
    return export


def pdf_bytes(export: Export) -> bytes:
    with export.file.open("rb") as handle:
        return handle.read()


def reader(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))
