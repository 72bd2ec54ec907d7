"""Background work for exports: thin tasks that take ids and call the services."""

import logging
import resource
from typing import Any

from billiard.exceptions import SoftTimeLimitExceeded
from celery import shared_task
from django.conf import settings

from portfolio.exports import messages, services
from portfolio.models import Export, ExportKind

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=settings.EXPORT_SOFT_TIME_LIMIT,
    time_limit=settings.EXPORT_TIME_LIMIT,
)
def export_render_task(self: Any, export_id: int) -> str:
    """Render one export. A redelivered or duplicated message finds the export no longer
    queued and does nothing; a worker killed mid-render leaves it `rendering` for the
    sweep to queue again or fail."""
    if not self.request.is_eager:
        _cap_memory()
    archive = Export.objects.filter(
        pk=export_id, kind__in=(ExportKind.ARCHIVE_ZIP, ExportKind.LEAP2A_ZIP)
    ).exists()
    try:
        done = services.export_render(export_id=export_id)
    except SoftTimeLimitExceeded:
        message = messages.ARCHIVE_TOO_LONG if archive else messages.TOO_LONG
        services.export_fail(export_id=export_id, message=str(message))
        return "too long"
    except MemoryError:
        services.export_fail(export_id=export_id, message=str(messages.TOO_BIG))
        return "too big"
    except Exception:
        logger.exception("Export %s failed", export_id)
        message = messages.ARCHIVE_BROKEN if archive else messages.BROKEN
        services.export_fail(export_id=export_id, message=str(message))
        return "failed"
    return "done" if done is not None else "skipped"


def _cap_memory() -> None:
    """Cap this worker process's address space (EXPORT_MEMORY_LIMIT_MB). A prefork child
    keeps the cap for the tasks after this one: run exports on workers where that is
    wanted (see README, "Exports"). Never lowered below what the process already has."""
    limit = settings.EXPORT_MEMORY_LIMIT_MB * 1024 * 1024
    if limit <= 0:
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if soft == resource.RLIM_INFINITY or soft > limit:
        wanted = limit if hard == resource.RLIM_INFINITY else min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))


@shared_task
def exports_sweep_task() -> int:
    return services.exports_sweep()
