"""Background work for people and institutions."""

from celery import shared_task

from accounts.institutions.onboarding import onboarding_run


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def onboarding_run_task(batch_id: int) -> None:
    """Create the memberships and send the invitations of one confirmed CSV batch.
    Resumes where it stopped when retried; each chunk of rows commits on its own."""
    onboarding_run(batch_id=batch_id)
