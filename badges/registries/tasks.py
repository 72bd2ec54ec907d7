"""Refreshing the URL registries on a schedule (settings.REGISTRY_REFRESH_EVERY_HOURS)."""

from celery import shared_task

from badges.models import IssuerRegistry
from badges.registries.services import registry_refresh


@shared_task
def registry_refresh_task(registry_id: int) -> bool | None:
    """Fetch one registry again: True when the copy is fresh, False when the fetch failed
    (the last good copy is kept), None when the registry is gone or was uploaded."""
    registry = IssuerRegistry.objects.filter(pk=registry_id).exclude(url="").first()
    if registry is None:
        return None
    stored = registry_refresh(registry=registry)
    return None if stored is None else not stored.last_error


@shared_task
def registries_refresh_all_task() -> int:
    """One task per registry, so one slow registry server holds up nothing else."""
    count = 0
    for registry_id in IssuerRegistry.objects.exclude(url="").values_list("pk", flat=True):
        registry_refresh_task.delay(registry_id)
        count += 1
    return count
