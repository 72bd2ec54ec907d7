from celery import shared_task
from django.db import transaction

from portfolio.showcases.emails import link_first_opened_email


@shared_task
def link_first_opened_email_task(link_id: int) -> int:
    """Kept for tasks queued before the email went straight to the outbox (see
    services.link_open): records it there, at most once per link."""
    with transaction.atomic():
        return int(link_first_opened_email(link_id=link_id))
