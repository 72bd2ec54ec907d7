from celery import shared_task
from django.db import transaction

from portfolio.showcases.emails import link_first_opened_email
from portfolio.showcases.opens import link_opens_fold


@shared_task
def link_first_opened_email_task(link_id: int) -> int:
    """Kept for tasks queued before the email went straight to the outbox (see
    services.link_open): records it there, at most once per link."""
    with transaction.atomic():
        return int(link_first_opened_email(link_id=link_id))


@shared_task
def link_opens_fold_task() -> int:
    """Move share-link openings counted in the cache into the database (beat: every
    minute). Safe to run at any time and side by side: each count is claimed once."""
    return link_opens_fold()
