"""Background work for attestations: emailing a request (idempotent, safe to retry)."""

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from core.enqueue import task_enqueue
from portfolio.attestations import services
from portfolio.models import AttestationRequest


@shared_task
def request_email_task(request_id: int) -> int:
    """Email one request (at most once: a second run finds it sent)."""
    return int(services.request_email(request_id=request_id))


@shared_task
def request_email_sweep_task() -> int:
    """Queue again the requests whose email task was lost (broker down at enqueue)."""
    now = timezone.now()
    due = AttestationRequest.objects.filter(
        emailed_at__isnull=True,
        answered_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=now,
        created_at__lt=now - timedelta(minutes=1),
    ).values_list("pk", flat=True)[:1000]
    return sum(1 for pk in due if task_enqueue(request_email_task, pk))
