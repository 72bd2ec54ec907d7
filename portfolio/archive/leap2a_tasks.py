"""Background work for Leap2A imports: a thin task that takes an id and calls the service.
(A Leap2A export runs as an export: portfolio.exports.tasks.)"""

import logging

from billiard.exceptions import SoftTimeLimitExceeded
from celery import shared_task
from django.conf import settings
from django.utils.translation import gettext as _

from portfolio.archive import leap2a_jobs
from portfolio.archive.importer import archive_import_fail

logger = logging.getLogger(__name__)


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=settings.ARCHIVE_TIME_LIMIT - 60,
    time_limit=settings.ARCHIVE_TIME_LIMIT,
)
def leap2a_import_task(import_id: int) -> str:
    """Run one Leap2A import. A redelivered or duplicated message finds it no longer
    queued and does nothing; a worker killed mid-run leaves it `running` for the archive
    imports' sweep, which queues it here again."""
    try:
        done = leap2a_jobs.leap2a_import_run(import_id=import_id)
    except SoftTimeLimitExceeded:
        archive_import_fail(
            import_id=import_id,
            message=_("The import took too long and was stopped. Nothing was imported."),
        )
        return "too long"
    except Exception:
        logger.exception("Leap2A import %s failed", import_id)
        archive_import_fail(
            import_id=import_id,
            message=_(
                "Something went wrong while importing, so nothing was imported. Try again; "
                "if it fails again, tell the site's administrators."
            ),
        )
        return "failed"
    return "done" if done is not None else "skipped"
