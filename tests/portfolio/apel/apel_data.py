"""Builders for APEL tests: programmes, claims and evidence mapped to them, made
through the real services."""

import json
from decimal import Decimal
from typing import Any

from django.utils import timezone

from accounts.institutions.services import institution_default
from badges.models import Badge
from badges.services import badge_import
from portfolio.apel import services
from portfolio.models import Claim, ClaimOutcome, Course, LearningOutcome, Programme
from tests.badges.issuers import credential, sign_trusted


def programme(
    *,
    institution: Any = None,
    outcomes: int = 5,
    courses: int = 0,
    published: bool = True,
    title: str = "BSc Software Engineering",
    **fields: Any,
) -> Programme:
    """A programme of the institution (the default one unless given) with `outcomes`
    outcomes (codes LO1, LO2, ...) worth 3 credits each, spread over `courses` courses."""
    made = Programme.objects.create(
        institution=institution or institution_default(),
        code="SE101",
        title=title,
        published_at=timezone.now() if published else None,
        **fields,
    )
    groups = [
        Course.objects.create(programme=made, code=f"C{n + 1}", title=f"Course {n + 1}", position=n)
        for n in range(courses)
    ]
    LearningOutcome.objects.bulk_create(
        LearningOutcome(
            programme=made,
            course=groups[n % len(groups)] if groups else None,
            code=f"LO{n + 1}",
            text=f"Outcome {n + 1}: apply skill number {n + 1} in practice.",
            credits=Decimal(3),
            position=n,
        )
        for n in range(outcomes)
    )
    return made


def aligned_badge(owner: Any, *, name: str, code: str = "", framework: str = "SE101") -> Badge:
    """A verified OB 3.0 badge aligned to an outcome code (and to EQF level 5)."""
    alignment = [
        {
            "type": ["Alignment"],
            "targetName": "EQF level 5",
            "targetCode": "5",
            "targetFramework": "European Qualifications Framework",
            "targetUrl": "https://europa.eu/europass/en/eqf",
        }
    ]
    if code:
        alignment.append(
            {
                "type": ["Alignment"],
                "targetName": f"Outcome {code}",
                "targetCode": code,
                "targetFramework": framework,
                "targetUrl": f"https://uni.test/outcomes/{code}",
            }
        )
    doc = credential(
        issuer="did:key:x",
        recipient=owner.email,
        name=name,
        achievement_id=f"https://badges.test/achievements/{name.lower().replace(' ', '-')}",
    )
    doc["credentialSubject"]["achievement"]["alignment"] = alignment
    found = badge_import(
        owner=owner, payload=json.dumps(sign_trusted(doc)), source=Badge.Source.JSON
    )
    assert found.status == "verified", found.checks
    return found  # fmt: skip


def answer(claim: Claim, code: str) -> ClaimOutcome:
    return claim.answers.get(outcome__code=code)


def claim_for(learner: Any, prog: Programme, mapped: dict[str, list[Any]] | None = None) -> Claim:
    """A draft claim with these items mapped to these outcome codes."""
    claim = services.claim_create(learner=learner, programme=prog)
    for code, items in (mapped or {}).items():
        for item in items:
            services.mapping_add(answer=answer(claim, code), item=item)
    return claim
