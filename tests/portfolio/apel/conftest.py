"""Programmes for the APEL tests: the default institution's (the `staff` fixture's
admins run it), another institution's, and learners' own; and a claim to pin one down."""

from dataclasses import dataclass
from decimal import Decimal

import pytest

from accounts.models import Institution, User
from portfolio.apel import programmes as service
from portfolio.apel.programmes import ProgrammeDetails
from portfolio.models import Claim, ClaimOutcome, LearningOutcome, Programme
from tests.accounts.institutions.conftest import Staff, staff
from tests.conftest import People

__all__ = ["staff"]  # fixture


@dataclass
class Programmes:
    ours: Programme  # published, the default institution's
    draft: Programme  # not published, the default institution's
    theirs: Programme  # published, another institution's
    entered: Programme  # entered by people.learner
    classmates: Programme  # entered by people.classmate


def programme_with_outcomes(programme: Programme, count: int, *, courses: int = 2) -> Programme:
    made = [
        service.course_add(programme=programme, code=f"C{n}", title=f"Course {n}")
        for n in range(1, courses + 1)
    ]
    for n in range(1, count + 1):
        service.outcome_add(
            programme=programme, code=f"LO{n}", text=f"Outcome number {n}",
            credits=Decimal(5), course=made[n % len(made)] if made else None,
        )  # fmt: skip
    return programme


def claim_against(programme: Programme, learner: User, *, answering: bool = False) -> Claim:
    """A draft claim (made directly: the claim services are another module's)."""
    claim = Claim.objects.create(learner=learner, programme=programme, title="My claim")
    if answering:
        ClaimOutcome.objects.create(claim=claim, outcome=outcome_of(programme))
    return claim


@pytest.fixture
def programmes(people: People, staff: Staff) -> Programmes:
    def made(
        title: str, institution: Institution | None = None, learner: User | None = None
    ) -> Programme:
        programme = service.programme_create(
            details=ProgrammeDetails(title=title), institution=institution, entered_by=learner
        )
        return programme_with_outcomes(programme, 3)

    ours = service.programme_publish(programme=made("BSc Web", institution=staff.institution))
    theirs = made("Their MSc", institution=staff.other_institution)
    service.programme_publish(programme=theirs)
    return Programmes(
        ours=ours,
        draft=made("Draft diploma", institution=staff.institution),
        theirs=theirs,
        entered=made("My own course", learner=people.learner),
        classmates=made("Classmate's course", learner=people.classmate),
    )


def outcome_of(programme: Programme) -> LearningOutcome:
    return programme.outcomes.order_by("position").first()  # type: ignore[return-value]
