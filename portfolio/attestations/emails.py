"""The emails of attestation: the request to the attester (with the single-use link)
and their confirmation (with the link to withdraw). Both go through the outbox."""

from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from core.email import email_enqueue
from core.links import absolute_url
from portfolio.models import Attestation, AttestationRequest


def _send(template: str, context: dict[str, object], *, to: str, reply_to: str, key: str) -> None:
    message = EmailMessage(
        subject=render_to_string(f"portfolio/email/{template}_subject.txt", context).strip(),
        body=render_to_string(f"portfolio/email/{template}_body.txt", context),
        to=[to],
        reply_to=[reply_to] if reply_to else [],
    )
    email_enqueue(message, key=key)


def request_email_enqueue(*, asked: AttestationRequest, token: str) -> None:
    """The request, with its link (the only place the token is written down)."""
    context = {
        "asked": asked,
        "learner": asked.learner,
        "item": asked.item,
        "url": absolute_url(reverse("attest:answer", kwargs={"token": token})),
    }
    _send(
        "attestation_request",
        context,
        to=asked.email,
        reply_to=asked.learner.email,
        key=f"attestation-request:{asked.pk}",
    )


def confirmation_email_enqueue(*, attestation: Attestation, to: str, token: str) -> None:
    context = {
        "attestation": attestation,
        "learner": attestation.learner,
        "url": absolute_url(reverse("attest:withdraw", kwargs={"token": token})),
    }
    _send(
        "attestation_given",
        context,
        to=to,
        reply_to="",
        key=f"attestation-given:{attestation.pk}",
    )
