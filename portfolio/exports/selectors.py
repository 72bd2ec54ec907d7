"""Reads for export pages: the owner's list, one export, a claim's exports, and the
public record."""

from typing import Any

from django.db.models import QuerySet

from badges.models import Badge
from portfolio.models import Claim, Export, ExportKind, ExportState, ShareLink


def exports_owned(*, owner: Any) -> QuerySet[Export]:
    return Export.objects.filter(owner=owner).select_related("showcase", "claim")


def export_owned(*, owner: Any, public_id: Any) -> Export:
    return exports_owned(owner=owner).get(public_id=public_id)


def exports_of_claim(*, claim: Claim) -> QuerySet[Export]:
    """The APEL PDFs its learner made of the claim, newest first (one query)."""
    return Export.objects.filter(claim=claim, owner_id=claim.learner_id, kind=ExportKind.APEL_PDF)


def normalise_code(code: str) -> str:
    """A verification code as typed from paper: any case, dashes or spaces, and the
    letters people confuse with digits read as those digits."""
    cleaned = "".join(code.split()).replace("-", "").upper()
    return cleaned.translate(str.maketrans("ILO", "110"))


def export_issued(*, code: str) -> Export:
    """The issued (done or withdrawn) export with this verification code."""
    return Export.objects.select_related("owner").get(
        verify_code=normalise_code(code), state__in=(ExportState.DONE, ExportState.WITHDRAWN)
    )


def badges_now(*, export: Export) -> list[tuple[dict[str, Any], Badge | None]]:
    """Each badge as printed, with its row as it is now (None once deleted)."""
    printed = [entry for entry in export.badges if isinstance(entry, dict)]
    rows = Badge.objects.filter(
        owner_id=export.owner_id, pk__in=[entry.get("id") for entry in printed]
    ).in_bulk()
    return [(entry, rows.get(entry.get("id"))) for entry in printed]


def pdf_for_link(*, link: ShareLink) -> Export | None:
    """The newest done PDF of the link's showcase, if the learner offers it there."""
    if not link.offer_pdf:
        return None
    return (
        Export.objects.filter(showcase_id=link.showcase_id, state=ExportState.DONE)
        .order_by("-finished_at", "-pk")
        .first()
    )
