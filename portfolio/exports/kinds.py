"""The kinds of document the one export machinery makes, each a template plus a context
builder: who may (still) have one made, the builder, and what else happens in the
transaction that issues it. `services.export_render` looks the export's kind up here;
a new document type adds an entry, never a second pipeline.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise

from portfolio.apel.services import event_record, person_label
from portfolio.exports import messages
from portfolio.exports.apel import apel_document
from portfolio.exports.documents import Prepared, Progress
from portfolio.exports.showcase import showcase_document
from portfolio.models import Claim, Export, ExportKind, Showcase
from portfolio.showcases.versions import showcase_content_changed


@dataclass(frozen=True)
class DocumentKind:
    allowed: Callable[[Export], bool]  # its owner may still have it made (checked again)
    not_allowed: Promise  # what the learner is told when not
    build: Callable[[Export, Progress], Prepared]
    issued: Callable[[Export], None]  # inside the transaction that marks it done


def showcase_exportable(*, user: Any, showcase: Showcase | None) -> bool:
    return (
        showcase is not None
        and getattr(user, "is_active", False)
        and getattr(user, "is_learner", False)
        and showcase.owner_id == user.pk
        and not showcase.is_archived
    )


def claim_exportable(*, user: Any, claim: Claim | None) -> bool:
    """The claim's learner, in any state of the claim: a draft to check it over, a
    submitted one as sent, an assessed one with the assessor's judgements."""
    return (
        claim is not None
        and getattr(user, "is_active", False)
        and getattr(user, "is_learner", False)
        and claim.learner_id == user.pk
    )


def _showcase_build(export: Export, report: Progress) -> Prepared:
    assert export.showcase is not None
    return showcase_document(export=export, showcase=export.showcase, report=report)


def _showcase_issued(export: Export) -> None:
    if export.showcase_id:  # its share pages may offer this PDF now
        showcase_content_changed(showcase_ids=[export.showcase_id])


def _claim_build(export: Export, report: Progress) -> Prepared:
    assert export.claim is not None
    return apel_document(export=export, claim=export.claim, report=report)


def _claim_issued(export: Export) -> None:
    if export.claim is not None:
        event_record(
            claim=export.claim,
            actor=person_label(export.owner),
            kind="exported",
            code=export.display_code,
            sha256=export.sha256,
        )


KINDS: dict[str, DocumentKind] = {
    ExportKind.SHOWCASE_PDF: DocumentKind(
        allowed=lambda e: showcase_exportable(user=e.owner, showcase=e.showcase),
        not_allowed=messages.NOT_ALLOWED,
        build=_showcase_build,
        issued=_showcase_issued,
    ),
    ExportKind.APEL_PDF: DocumentKind(
        allowed=lambda e: claim_exportable(user=e.owner, claim=e.claim),
        not_allowed=messages.CLAIM_NOT_ALLOWED,
        build=_claim_build,
        issued=_claim_issued,
    ),
}


def kind_of(export: Export) -> DocumentKind:
    return KINDS[export.kind]
