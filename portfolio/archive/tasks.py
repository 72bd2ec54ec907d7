"""Background work for archive imports: thin tasks that take ids and call the services.
(An archive export runs as an export: portfolio.exports.tasks.)"""

import logging

from billiard.exceptions import SoftTimeLimitExceeded
from celery import shared_task
from django.conf import settings
from django.utils.translation import gettext as _

from portfolio.archive import importer

logger = logging.getLogger(__name__)


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=settings.ARCHIVE_TIME_LIMIT - 60,
    time_limit=settings.ARCHIVE_TIME_LIMIT,
)
def archive_import_task(import_id: int) -> str:
    """Run one import. A redelivered or duplicated message finds it no longer queued and
    does nothing; a worker killed mid-run leaves it `running` for the sweep."""
    try:
        done = importer.archive_import_run(import_id=import_id)
    except SoftTimeLimitExceeded:
        importer.archive_import_fail(
            import_id=import_id,
            message=_("The import took too long and was stopped. Nothing was imported."),
        )
        return "too long"
    except Exception:
        logger.exception("Archive import %s failed", import_id)
        importer.archive_import_fail(
            import_id=import_id,
            message=_(
                "Something went wrong while importing, so nothing was imported. Try again; "
                "if it fails again, tell the site's administrators."
            ),
        )
        return "failed"
    return "done" if done is not None else "skipped"


@shared_task
def archive_imports_sweep_task() -> int:
    return importer.archive_imports_sweep()
