"""A small APEL claim with one item of each kind, exported through the real services."""

import io
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pypdf import PdfReader

from portfolio.apel import services as apel_services
from portfolio.exports import services
from portfolio.models import Claim, Export
from tests.portfolio.apel.apel_data import aligned_badge, answer, claim_for, programme
from tests.portfolio.showcase_data import image_artefact, link_artefact, reflection

OUTCOMES = ["LO1", "LO2", "LO3"]


@dataclass
class BuiltClaim:
    claim: Claim
    titles: list[str]  # every mapped item's title, in the order the matrix numbers them
    badges: list[Any]


def small_claim(learner: Any) -> BuiltClaim:
    """Three outcomes worth 3 credits each (cap 6): LO1 has a photo and a reflection,
    LO2 the reflection again and a verified badge (issuer-stated EQF 5, with the
    learner's own 40 study hours), LO3 nothing. Justified and noted where evidence is."""
    prog = programme(outcomes=len(OUTCOMES), credit_cap=Decimal(6))
    photo = image_artefact(learner, title="Workshop floor photo")
    written = reflection(learner, title="Leading the night shift")
    blog = link_artefact(learner, title="Blog post on lean methods")
    held = aligned_badge(learner, name="Quality assurance", code="LO2")
    claim = claim_for(learner, prog, {"LO1": [photo, written], "LO2": [written, held, blog]})
    first = answer(claim, "LO1").mappings.first()
    assert first is not None
    apel_services.mapping_note(mapping=first, note="The photo shows the layout I designed.")
    apel_services.answer_justify(
        answer=answer(claim, "LO1"), justification="I planned the floor and reflected on it."
    )
    apel_services.credential_note_set(claim=claim, badge=held, study_hours=Decimal(40))
    return BuiltClaim(
        claim=claim,
        titles=[photo.title, written.title, held.name, blog.title],
        badges=[held],
    )


def assessed(built: BuiltClaim) -> BuiltClaim:
    """The claim submitted, LO1 judged "meets" and an overall recommendation made."""
    claim = apel_services.claim_submit(claim=built.claim, declared=True)
    apel_services.judgement_record(
        answer=answer(claim, "LO1"), judgement="meets", comment="Clear and current.", by="Ann"
    )
    apel_services.recommendation_record(
        claim=claim, recommendation="partial", comment="Award LO1 only.", by="Ann"
    )
    claim.refresh_from_db()
    built.claim = claim
    return built


def exported_claim(learner: Any, claim: Claim, request_key: str = "k") -> Export:
    export = services.export_request_claim(owner=learner, claim=claim, request_key=request_key)
    export.refresh_from_db()
    return export


def embedded(data: bytes) -> dict[str, list[bytes]]:
    return dict(PdfReader(io.BytesIO(data)).attachments)


def embedded_json(data: bytes) -> Any:
    [content] = embedded(data)["claim.json"]
    return json.loads(content)


def one_byte_changed(data: bytes) -> bytes:
    """The file with one byte in the middle of the signed range flipped."""
    at = len(data) // 3
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]
