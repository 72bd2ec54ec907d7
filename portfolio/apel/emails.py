"""The emails of APEL assessment: to the assessor when a claim is sent to them (with
their link, the only place its token is written down, or the address of the claim for
an account assessor), and to the learner when the assessor records the overall
recommendation. Both go through the outbox, in the transaction that decided to send
them, and carry the institution's name as the sender where the programme has one."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.institutions.branding import institution_from_email
from core.email import email_enqueue
from core.links import absolute_url
from portfolio.models import Claim, ClaimAssessor


def _send(
    template: str, context: dict[str, object], *, claim: Claim, to: str, reply_to: str, key: str
) -> None:
    institution = claim.programme.institution
    # One line: a claim title or a name may hold line breaks, which no header can.
    subject = " ".join(render_to_string(f"apel/email/{template}_subject.txt", context).split())
    message = EmailMessage(
        subject=subject,
        body=render_to_string(f"apel/email/{template}_body.txt", context),
        from_email=institution_from_email(institution)
        if institution
        else settings.DEFAULT_FROM_EMAIL,
        to=[to],
        reply_to=[reply_to] if reply_to else [],
    )
    email_enqueue(message, key=key)


def assessor_email_enqueue(*, assessor: ClaimAssessor, token: str, again: bool = False) -> None:
    """The claim, sent to its assessor: through the link made with `token`, or for an
    account assessor (no token) to the claim's page under "Claims to assess"."""
    claim = assessor.claim
    if token:
        url = reverse("apel:assess_link", kwargs={"token": token})
        key = f"apel-assessor:{assessor.pk}:{assessor.token_hash}"
    else:
        url = reverse("apel:assess_claim", kwargs={"public_id": claim.public_id})
        key = f"apel-assessor:{assessor.pk}:{timezone.now().isoformat()}"
    context = {
        "assessor": assessor,
        "claim": claim,
        "learner": claim.learner,
        "programme": claim.programme,
        "url": absolute_url(url),
        "by_link": bool(token),
        "again": again,
    }
    _send(
        "assessor_invited",
        context,
        claim=claim,
        to=assessor.email,
        reply_to=claim.learner.email,
        key=key,
    )


def assessed_email_enqueue(*, claim: Claim) -> None:
    """Tell the learner their claim was assessed (each recommendation recorded is a
    message: the assessor may change it)."""
    context = {
        "claim": claim,
        "learner": claim.learner,
        "programme": claim.programme,
        "url": absolute_url(claim.get_absolute_url()),
    }
    key = f"apel-assessed:{claim.pk}:{claim.assessed_at.isoformat() if claim.assessed_at else ''}"
    _send("claim_assessed", context, claim=claim, to=claim.learner.email, reply_to="", key=key)
