from celery import shared_task

from artefacts.services import artefact_prepare_preview


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def artefact_prepare_preview_task(artefact_id: int) -> None:
    artefact_prepare_preview(artefact_id=artefact_id)
