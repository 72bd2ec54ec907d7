"""A richly populated learner account, made through the real services, and helpers to
export it and read what an account holds (to compare two accounts)."""

import hashlib
import io
import json
import zipfile
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.institutions.services import institution_default
from artefacts.models import Artefact
from artefacts.services import Details, artefact_create_file, artefact_create_text
from badges.baking import bake_png
from badges.models import Badge
from badges.services import badge_import
from core.models import Visibility
from portfolio.apel import services as apel
from portfolio.archive.export import archive_export_request
from portfolio.archive.importer import archive_import_request
from portfolio.attestations.services import attest_as_tutor
from portfolio.models import (
    ArchiveImport,
    Attestation,
    Claim,
    ClaimOutcome,
    Export,
    FeedbackThread,
    Goal,
    Judgement,
    ReviewMeeting,
    Showcase,
)
from portfolio.review.services import comment_reply, meeting_record, thread_start
from portfolio.showcases import services as showcases
from reflections.models import Reflection
from tests import filemakers as make
from tests.badges.issuers import credential, sign_trusted
from tests.portfolio.apel.apel_data import programme
from tests.portfolio.showcase_data import badge, image_artefact, link_artefact, reflection


@dataclass
class Account:
    learner: Any
    showcase: Showcase
    claim: Claim


def baked_badge(owner: Any, name: str = "Baked badge") -> Badge:
    """An OB 3.0 badge baked into a PNG, imported as the image (source "image")."""
    signed = sign_trusted(
        credential(
            issuer="did:key:x",
            recipient=owner.email,
            name=name,
            achievement_id="https://badges.test/achievements/baked",
        )
    )
    payload = json.dumps(signed)
    baked = bake_png(make.png(40, 40), payload, keyword="openbadgecredential")
    return badge_import(owner=owner, payload=payload, source=Badge.Source.IMAGE, image=baked)


def rich_account(learner: Any, tutor: Any) -> Account:
    """Evidence of every kind, reflections, badges, a showcase, claims against an
    institution's programme, an attestation, feedback, a goal and a meeting."""
    photo = image_artefact(learner, "Site photo", tags=("site", "safety"))
    pdf = artefact_create_file(
        owner=learner,
        upload=make.uploaded("Risk assessment (final).pdf", make.pdf("Risk")),
        details=Details(title="Risk assessment", description="Signed off", tags=("safety",)),
    )
    artefact_create_file(
        owner=learner,
        upload=make.uploaded("report.docx", make.docx()),
        details=Details(title="Report", learned_on=date(2025, 3, 1)),
    )
    private = artefact_create_file(
        owner=learner,
        upload=make.uploaded("notes.txt", make.text("private notes")),
        details=Details(title="Private notes", visibility=Visibility.PRIVATE),
    )
    link = link_artefact(learner, "My blog")
    written = artefact_create_text(
        owner=learner,
        body_markdown="# Plan\n\nI *will* finish.",
        details=Details(title="Written plan"),
    )
    thoughts = reflection(learner, "What I learned", tags=("growth",), artefacts=[photo, pdf])
    verified = badge(learner, "Python programming")
    baked = baked_badge(learner)
    showcase = showcases.showcase_create(
        owner=learner, title="Application to Acme", audience="Acme Ltd", summary="Hire **me**."
    )
    first = showcases.section_add(showcase=showcase, heading="Work", intro="My *best* work.")
    for target, caption in ((pdf, "The risk work"), (photo, "On site"), (written, "")):
        showcases.items_add(section=first, targets=[target], caption=caption)
    second = showcases.section_add(showcase=showcase, heading="Credentials")
    showcases.items_add(section=second, targets=[verified], caption="Verified skill")
    showcases.items_add(section=second, targets=[thoughts, link, private, baked])
    prog = programme(outcomes=3, courses=1, institution=institution_default())
    claim = apel.claim_create(learner=learner, programme=prog, title="APEL for SE101")
    answers = {a.outcome.code: a for a in claim.answers.select_related("outcome")}
    apel.mapping_add(
        answer=answers["LO1"],
        item=pdf,
        note="Signed by my manager",
        showcase_item=first.items.get(artefact=pdf),  # chosen from the showcase
    )
    apel.mapping_add(answer=answers["LO2"], item=verified)
    apel.answer_justify(answer=answers["LO1"], justification="The risk assessment shows it.")
    apel.credential_note_set(
        claim=claim, badge=verified, study_hours=Decimal("12.5"), eqf_level=5, credits=None,
        learning_outcomes="Writes Python.",
    )  # fmt: skip
    apel.claim_submit(claim=claim, declared=True)
    apel.judgement_record(
        answer=ClaimOutcome.objects.select_related("claim").get(claim=claim, outcome__code="LO1"),
        judgement=Judgement.MEETS,
        comment="Clear.",
        by="Assessor A",
    )
    attest_as_tutor(tutor=tutor, item=pdf, organisation="College", statement="I saw this.")
    thread = thread_start(author=tutor, learner=learner, target=photo, body="Nice **photo**.")
    comment_reply(author=learner, thread=thread, body="Thank you.")
    meeting_record(
        tutor=tutor, learner=learner, held_on=date(2025, 5, 2), summary="Good term.",
        next_steps=["Finish the report"],
    )  # fmt: skip
    showcase.refresh_from_db()
    claim.refresh_from_db()
    return Account(learner=learner, showcase=showcase, claim=claim)


def export_archive(owner: Any) -> bytes:
    """Make the owner's archive (tasks run in-process) and return its bytes."""
    export = archive_export_request(owner=owner, request_key="test")
    export.refresh_from_db()
    assert export.state == "done", export.error
    with default_storage.open(export.file.name, "rb") as stored:
        return bytes(stored.read())


def import_archive(owner: Any, data: bytes, *, key: str = "") -> ArchiveImport:
    upload = SimpleUploadedFile("archive.zip", data, content_type="application/zip")
    made = archive_import_request(owner=owner, upload=upload, request_key=key)
    made.refresh_from_db()
    return made


def manifest_of(data: bytes) -> dict[str, Any]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return dict(json.loads(archive.read("manifest.json")))


def rezip(data: bytes, change: Any) -> bytes:
    """The archive with `change(members)` applied to its {name: bytes} (in order)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    change(members)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


def with_manifest(data: bytes, edit: Any) -> bytes:
    """The archive with its manifest edited by `edit(manifest)` (files left as they are)."""

    def change(members: dict[str, bytes]) -> None:
        manifest = json.loads(members["manifest.json"])
        edit(manifest)
        members["manifest.json"] = json.dumps(manifest).encode()

    return rezip(data, change)


def relisted(manifest: dict[str, Any], path: str, content: bytes) -> None:
    """Give `path` in the manifest's list the SHA-256 and size of `content`."""
    for entry in manifest["files"]:
        if entry["path"] == path:
            entry["sha256"] = hashlib.sha256(content).hexdigest()
            entry["size"] = len(content)


def account_rows(owner: Any) -> dict[str, int]:
    """How many rows of each kind the owner has (to show an import made nothing)."""
    return {
        "artefacts": Artefact.objects.filter(owner=owner).count(),
        "reflections": Reflection.objects.filter(owner=owner).count(),
        "badges": Badge.objects.filter(owner=owner).count(),
        "showcases": Showcase.objects.filter(owner=owner).count(),
        "claims": Claim.objects.filter(learner=owner).count(),
        "attestations": Attestation.objects.filter(learner=owner).count(),
        "feedback": FeedbackThread.objects.filter(learner=owner).count(),
        "goals": Goal.objects.filter(learner=owner).count(),
        "meetings": ReviewMeeting.objects.filter(learner=owner).count(),
    }


def stored_files(media: Path) -> set[str]:
    return {str(p.relative_to(media)) for p in media.rglob("*") if p.is_file()}


def all_exports() -> list[Export]:
    return list(Export.objects.all())
