"""Builders for submission and assessor tests: assessors of an institution, claims with
evidence of every kind submitted to them, and links read back from the email that
carried them (as the assessor gets them)."""

import re
from dataclasses import dataclass
from typing import Any

from django.core import mail

from accounts.institutions.models import Membership, MembershipRole
from accounts.institutions.services import institution_default
from accounts.models import Role, User
from artefacts.models import Artefact
from badges.models import Badge
from portfolio.apel import assessors
from portfolio.models import Claim, ClaimAssessor
from reflections.models import Reflection
from tests.factories import UserFactory
from tests.portfolio.apel.apel_data import claim_for, programme
from tests.portfolio.showcase_data import badge, image_artefact, pdf_artefact, reflection

LINK_RE = re.compile(r"https?://\S+/apel/assess/([A-Za-z0-9_-]{20,})/")


def assessor_user(*, institution: Any = None, **fields: Any) -> User:
    """A person whose membership of the institution (the default one unless given) has
    the assessor role (their persona is a tutor's)."""
    person = UserFactory.create(role=Role.TUTOR, institution=False, **fields)
    Membership.objects.create(
        user=person, institution=institution or institution_default(), role=MembershipRole.ASSESSOR
    )
    return person


@dataclass
class Evidence:
    image: Artefact
    pdf: Artefact
    written: Reflection
    held: Badge
    unmapped: Artefact  # the same learner's, never mapped


def evidence_of(learner: Any) -> Evidence:
    return Evidence(
        image=image_artefact(learner),
        pdf=pdf_artefact(learner),
        written=reflection(learner),
        held=badge(learner),
        unmapped=pdf_artefact(learner, title="Unrelated payslip"),
    )


def draft_with(learner: Any, evidence: Evidence, prog: Any = None) -> Claim:
    """A draft of three outcomes: LO1 backed by the image and the badge, LO2 by the PDF
    and the reflection, LO3 by nothing."""
    return claim_for(
        learner,
        prog or programme(outcomes=3),
        {"LO1": [evidence.image, evidence.held], "LO2": [evidence.pdf, evidence.written]},
    )


def submit_to_user(claim: Claim, user: Any, capture: Any) -> ClaimAssessor:
    with capture(execute=True):
        assigned = assessors.claim_submit_to(claim=claim, declared=True, user=user)
    claim.refresh_from_db()
    return assigned.assessor


def submit_by_email(
    claim: Claim, capture: Any, *, name: str = "Grace Hopper", email: str = "grace@navy.test"
) -> tuple[ClaimAssessor, str]:
    """Submit to a named person; returns their assignment and the token from the email."""
    with capture(execute=True):
        assigned = assessors.claim_submit_to(claim=claim, declared=True, name=name, email=email)
    claim.refresh_from_db()
    return assigned.assessor, token_sent_to(email)


def token_sent_to(address: str) -> str:
    [message] = [m for m in mail.outbox if address in m.to][-1:]
    match = LINK_RE.search(str(message.body))
    assert match, message.body
    return match.group(1)
