from celery import shared_task
from django.core.mail import EmailMessage
from django.template.loader import render_to_string

from portfolio.models import ShareLink


@shared_task(acks_late=True)
def link_first_opened_email_task(link_id: int) -> int:
    """Tell the learner their link was opened for the first time (and nothing about who)."""
    link = ShareLink.objects.select_related("showcase__owner").filter(pk=link_id).first()
    if link is None:
        return 0
    owner = link.showcase.owner
    context = {"link": link, "showcase": link.showcase, "owner": owner}
    message = EmailMessage(
        subject=render_to_string("portfolio/email/link_opened_subject.txt", context).strip(),
        body=render_to_string("portfolio/email/link_opened_body.txt", context),
        to=[owner.email],
    )
    return message.send()
