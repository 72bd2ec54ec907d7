"""Builders for showcase tests: evidence of each kind, made through the real services, and
showcases holding it. Every builder returns objects fresh from the database."""

import base64
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from artefacts.models import Artefact
from artefacts.services import (
    Details,
    artefact_create_file,
    artefact_create_link,
    artefact_prepare_preview,
)
from badges.models import Badge
from badges.services import badge_import
from portfolio.models import ShareLink, Showcase
from portfolio.showcases import services
from reflections.models import Reflection
from reflections.services import ReflectionInput, reflection_create
from tests import filemakers as make
from tests.badges.issuers import credential, sign_trusted

Target = Artefact | Reflection | Badge


def image_artefact(owner: Any, title: str = "Site visit photo", **details: Any) -> Artefact:
    """A PNG whose served copy and thumbnail are ready (as after the preview task)."""
    artefact = artefact_create_file(
        owner=owner,
        upload=make.uploaded("site-visit.png", make.png()),
        details=Details(title=title, **details),
    )
    artefact_prepare_preview(artefact_id=artefact.pk)
    artefact.refresh_from_db()
    assert artefact.preview == Artefact.Preview.READY
    return artefact


PDF_TEXT = "Risk assessment"


def pdf_artefact(owner: Any, title: str = "Risk assessment", **details: Any) -> Artefact:
    return artefact_create_file(
        owner=owner,
        upload=make.uploaded("risk-assessment.pdf", make.pdf(PDF_TEXT)),
        details=Details(title=title, **details),
    )


def link_artefact(owner: Any, title: str = "My blog post", **details: Any) -> Artefact:
    return artefact_create_link(
        owner=owner, url="https://example.org/blog/post", details=Details(title=title, **details)
    )


def reflection(owner: Any, title: str = "What the placement taught me", **data: Any) -> Reflection:
    return reflection_create(
        owner=owner,
        data=ReflectionInput(title=title, body_markdown="I learned to *plan* ahead.", **data),
    )


def badge(owner: Any, name: str = "Python programming", visibility: str = "tutors") -> Badge:
    """A verified OB 3.0 badge whose issuer gives its picture as a data: URI, so the badge
    has a display image to serve."""
    picture = "data:image/png;base64," + base64.b64encode(make.png(32, 32)).decode()
    signed = sign_trusted(
        credential(
            issuer="did:key:x",
            recipient=owner.email,
            name=name,
            achievement_id=f"https://badges.test/achievements/{name.lower().replace(' ', '-')}",
            image={"id": picture, "type": "Image"},
        )
    )
    found = badge_import(
        owner=owner, payload=json.dumps(signed), source=Badge.Source.JSON, visibility=visibility
    )
    assert found.status == "verified" and found.display_image, found.checks
    return found


def showcase_with(
    owner: Any,
    sections: Mapping[str, Sequence[Target]],
    title: str = "Application to Acme Ltd",
) -> Showcase:
    """A showcase with these sections (heading to items, in order)."""
    showcase = services.showcase_create(owner=owner, title=title, summary="Hire me.")
    for heading, targets in sections.items():
        section = services.section_add(showcase=showcase, heading=heading)
        services.items_add(section=section, targets=list(targets))
    showcase.refresh_from_db()
    return showcase


@dataclass
class Shared:
    """The learner's showcase, shared, and a second showcase shared separately."""

    showcase: Showcase
    image: Artefact
    pdf: Artefact
    reflection: Reflection
    badge: Badge
    link: ShareLink
    token: str
    other: Showcase
    other_item: Artefact
    other_link: ShareLink
    other_token: str


def shared_showcase(owner: Any) -> Shared:
    image = image_artefact(owner)
    pdf = pdf_artefact(owner)
    written = reflection(owner)
    held = badge(owner)
    showcase = showcase_with(
        owner, {"Practical work": [image, pdf], "Thinking and recognition": [written, held]}
    )
    other_item = pdf_artefact(owner, title="Unrelated certificate")
    other = showcase_with(owner, {"Other work": [other_item]}, title="APEL claim")
    new = services.link_create(showcase=showcase, label="Acme recruiter")
    other_new = services.link_create(showcase=other, label="University admissions")
    return Shared(
        showcase=showcase,
        image=image,
        pdf=pdf,
        reflection=written,
        badge=held,
        link=new.link,
        token=new.token,
        other=other,
        other_item=other_item,
        other_link=other_new.link,
        other_token=other_new.token,
    )


# One image, two reflections, a badge and six links in every ten items.
KINDS = ("image", "reflection", "link", "badge", "link", "reflection") + ("link",) * 4


def filled_showcase(owner: Any, count: int) -> Showcase:
    """A showcase of `count` items spread over three sections, cycling through artefact
    links and images, reflections and badges (so every kind is there from 4 items on)."""
    targets: list[Target] = []
    for i in range(count):
        kind = KINDS[i % len(KINDS)]
        if kind == "image":
            targets.append(image_artefact(owner, title=f"Photo {i}"))
        elif kind == "reflection":
            targets.append(reflection(owner, title=f"Reflection {i}"))
        elif kind == "badge":
            targets.append(badge(owner, name=f"Skill {i}"))
        else:
            targets.append(link_artefact(owner, title=f"Link {i}"))
    thirds = {f"Section {n}": targets[n::3] for n in range(3)}
    return showcase_with(owner, thirds)
