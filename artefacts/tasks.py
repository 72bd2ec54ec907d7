from celery import shared_task

from artefacts.services import artefact_prepare_preview, artefact_preview_sweep


@shared_task
def artefact_prepare_preview_task(artefact_id: int) -> None:
    """Idempotent, so a task redelivered after its worker died just runs again. No
    retry with a countdown: an artefact still pending is queued again by the sweep."""
    artefact_prepare_preview(artefact_id=artefact_id)


@shared_task
def artefact_preview_sweep_task() -> int:
    """The periodic sweep (Celery beat): queue every preview still pending."""
    return artefact_preview_sweep()
