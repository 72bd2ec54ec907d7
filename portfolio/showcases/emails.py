"""The email telling a learner their share link was opened for the first time."""

from django.core.mail import EmailMessage
from django.template.loader import render_to_string

from core.email import email_enqueue
from portfolio.models import ShareLink


def link_first_opened_email(*, link_id: int) -> bool:
    """Put the email in the outbox, sent once the current transaction commits (and only
    ever once: its key is the link). It says nothing about who opened the link.
    Returns False when the link is gone."""
    link = ShareLink.objects.select_related("showcase__owner").filter(pk=link_id).first()
    if link is None:
        return False
    owner = link.showcase.owner
    context = {"link": link, "showcase": link.showcase, "owner": owner}
    message = EmailMessage(
        subject=render_to_string("portfolio/email/link_opened_subject.txt", context).strip(),
        body=render_to_string("portfolio/email/link_opened_body.txt", context),
        to=[owner.email],
    )
    email_enqueue(message, key=f"share-link-first-opened:{link.pk}")
    return True
