"""What the learner is told about an export: failure messages and the notification."""

from django.utils.translation import gettext_lazy as _

from portfolio.models import Export, ExportState, NotificationKind

NOT_ALLOWED = _(
    "This showcase can no longer be exported by you (it was archived, deleted or is not "
    "yours). Restore it and try again."
)
CLAIM_NOT_ALLOWED = _(
    "This claim can no longer be exported by you (it was deleted or is not yours). Open "
    "your claims and export the one you want."
)
NOT_SIGNED = _(
    "The PDF could not be signed, so it was not issued. Try again later; if it keeps "
    "failing, tell the site's administrators."
)
STOPPED = _(
    "The export stopped before it finished. Try again; if it stops again, make the "
    "showcase smaller (fewer or smaller images) and try once more."
)
TOO_LONG = _("The export took too long and was stopped. Try again with fewer or smaller images.")
TOO_BIG = _(
    "The export needed more memory than it may use and was stopped. Try again with "
    "fewer or smaller images."
)
BROKEN = _(
    "Something went wrong while making the PDF. Try again; if it fails again, tell the "
    "site's administrators."
)


def notify_finished(export: Export) -> None:
    """Tell the learner their export is ready or failed (in the app, and by email if
    they want it). Called inside the transaction that finishes the export."""
    from portfolio.review.notifications import notify

    if export.state == ExportState.DONE:
        text = str(_("Your PDF of “%(title)s” is ready to download.")) % {"title": export.title}
    else:
        text = str(_("Your PDF of “%(title)s” could not be made.")) % {"title": export.title}
    notify(
        recipient=export.owner,
        kind=NotificationKind.EXPORT,
        text=text,
        url=export.get_absolute_url(),
    )
