import logging

from celery import shared_task
from kombu.exceptions import OperationalError

from badges.models import Badge
from badges.services import badge_reverify

logger = logging.getLogger(__name__)


@shared_task
def badge_reverify_task(badge_id: int) -> str | None:
    badge = badge_reverify(badge_id=badge_id)
    return badge.status if badge else None


@shared_task
def badges_reverify_all_task() -> int:
    """The daily sweep: one task per badge, so one slow issuer holds up nothing else."""
    count = 0
    for badge_id in Badge.objects.values_list("pk", flat=True).iterator():
        badge_reverify_task.delay(badge_id)
        count += 1
    return count


def badges_recheck_unreported() -> int:
    """Queue a re-check of every badge with no verification report (stored before issuer
    identity existed). The broker being down is reported, not raised: the daily sweep
    checks them anyway."""
    ids = list(Badge.objects.filter(report={}).values_list("pk", flat=True))
    try:
        for badge_id in ids:
            badge_reverify_task.delay(badge_id)
    except OperationalError as error:
        logger.warning("Could not queue the re-check of %s badges now: %s", len(ids), error)
    return len(ids)
