"""The people and things of the APEL applicant's journey, made through the real services:
an institution with a published programme (four outcomes over two courses, a credit cap
below what they are worth, a five-year currency window), a learner of it with evidence
of every kind (one piece older than the window, one badge aligned to LO2), and an
assessor of the institution with an account."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.institutions.models import MembershipRole
from accounts.institutions.services import institution_create, membership_ensure
from accounts.models import Institution, Role, User
from artefacts.models import Artefact
from badges.models import Badge
from portfolio.apel import programmes
from portfolio.apel.programmes import ProgrammeDetails
from portfolio.models import Programme
from reflections.models import Reflection
from tests.factories import LearnerFactory, UserFactory
from tests.portfolio.apel.apel_data import aligned_badge
from tests.portfolio.showcase_data import pdf_artefact, reflection

CODES = ("LO1", "LO2", "LO3", "LO4")
OUTCOME_CREDITS = Decimal(5)
CREDIT_CAP = Decimal(15)  # below the 20 the four outcomes are worth


@dataclass
class Applicant:
    institution: Institution
    programme: Programme
    learner: User
    assessor: User
    written: Reflection  # recent
    report: Artefact  # a recent PDF
    old_log: Artefact  # a PDF dated before the currency window
    held: Badge  # verified, aligned to LO2


def published_programme(institution: Institution) -> Programme:
    made = programmes.programme_create(
        details=ProgrammeDetails(
            title="BSc (Hons) Network Engineering",
            code="NE100",
            level="EQF 6",
            total_credits=Decimal(360),
            credit_cap=CREDIT_CAP,
            currency_years=5,
        ),
        institution=institution,
    )
    courses = [
        programmes.course_add(programme=made, code="NE101", title="Network foundations"),
        programmes.course_add(programme=made, code="NE102", title="Network operations"),
    ]
    texts = [
        "Design a small office network to a written brief.",
        "Test a network and report what fails.",
        "Keep a dated log of changes to a live network.",
        "Explain a network design to a non-specialist client.",
    ]
    for n, (code, text) in enumerate(zip(CODES, texts, strict=True)):
        programmes.outcome_add(
            programme=made, code=code, text=text, credits=OUTCOME_CREDITS, course=courses[n // 2]
        )
    return programmes.programme_publish(programme=made)


def applicant() -> Applicant:
    institution = institution_create(name="Northfield University", short_name="Northfield")
    learner = LearnerFactory.create(name="Ada Applicant", institution=institution)
    assessor = UserFactory.create(name="Sam Assessor", role=Role.TUTOR, institution=False)
    membership_ensure(user=assessor, institution=institution, role=MembershipRole.ASSESSOR)
    today = timezone.localdate()
    return Applicant(
        institution=institution,
        programme=published_programme(institution),
        learner=learner,
        assessor=assessor,
        written=reflection(
            learner, title="Weekly placement reflection", written_on=today - timedelta(days=30)
        ),
        report=pdf_artefact(
            learner, title="Office network design", learned_on=today - timedelta(days=200)
        ),
        old_log=pdf_artefact(
            learner, title="Change log from my first job", learned_on=today - timedelta(days=3650)
        ),
        held=aligned_badge(learner, name="Network testing", code="LO2", framework="NE100"),
    )
