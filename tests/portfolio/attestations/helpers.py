"""Builders for attestation tests: requests made through the learner's own page, the
token read back from the email that carried it (as the attester gets it)."""

import re
from typing import Any

from django.core import mail
from django.test import Client
from django.urls import reverse

from artefacts.models import Artefact
from portfolio.attestations import services
from portfolio.models import Attestation, AttestationRequest
from reflections.models import Reflection

LINK_RE = re.compile(r"https?://\S+/attest/([A-Za-z0-9_-]+)/")
WITHDRAW_RE = re.compile(r"https?://\S+/attest/withdraw/([A-Za-z0-9_-]+)/")


def kind_of(item: Any) -> str:
    return "artefact" if isinstance(item, Artefact) else "reflection"


def ask_url(item: Artefact | Reflection) -> str:
    return reverse("attestations:ask", args=[kind_of(item), item.public_id])


def request_form(**overrides: str) -> dict[str, str]:
    return {
        "name": "Jane Smith",
        "email": "jane.smith@acme.com",
        "role": "Line manager",
        "organisation": "Acme Ltd",
        "statement_choice": "supervised",
        "statement_own": "",
        "message": "Could you vouch for my site survey?",
        **overrides,
    }


def emails_to(address: str) -> list[Any]:
    return [m for m in mail.outbox if address in m.to]


def ask_by_email(
    client: Client, learner: Any, item: Any, capture: Any, **overrides: str
) -> tuple[AttestationRequest, str]:
    """The learner asks through the page; returns the request and the emailed token."""
    client.force_login(learner)
    with capture(execute=True):
        response = client.post(ask_url(item), request_form(**overrides))
    assert response.status_code == 302, response.content.decode()[:2000]
    asked = AttestationRequest.objects.filter(learner=learner).latest("created_at")
    [message] = [m for m in emails_to(asked.email) if "asks you to attest" in m.subject][-1:]
    match = LINK_RE.search(message.body)
    assert match, message.body
    client.logout()
    return asked, match.group(1)


def answer_url(token: str) -> str:
    return reverse("attest:answer", args=[token])


def attest_form(**overrides: str) -> dict[str, str]:
    return {
        "action": "attest",
        "name": "Jane Smith",
        "role": "Line manager",
        "organisation": "Acme Ltd",
        "statement": "I supervised this project.",
        "comment": "A *careful* piece of work.",
        **overrides,
    }


def attested(learner: Any, item: Any, **fields: Any) -> Attestation:
    """An attestation made directly through the service (for display tests)."""
    asked = services.request_create(
        learner=learner,
        item=item,
        name=fields.get("name", "Jane Smith"),
        email=fields.get("email", "jane.smith@acme.com"),
        role="Line manager",
        organisation="Acme Ltd",
        statement="I supervised this project.",
    )
    given = services.attest_by_link(
        asked=asked,
        name=fields.get("name", "Jane Smith"),
        role="Line manager",
        organisation="Acme Ltd",
        statement=fields.get("statement", "I supervised this project."),
        comment=fields.get("comment", ""),
    )
    return given.attestation
