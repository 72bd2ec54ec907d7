"""The demo institution's published programme for `make run`: three courses and eight
learning outcomes, added through the same services an admin's browser uses. Three demo
badges state that they align to outcomes of it (`badge_alignments`, used by
portfolio/demo_badges.py), so an APEL claim against it has matches to suggest."""

from decimal import Decimal
from typing import Any

from artefacts.models import Artefact
from portfolio.apel import services
from portfolio.apel.programmes import (
    ProgrammeDetails,
    course_add,
    outcome_add,
    programme_create,
    programme_publish,
)
from portfolio.apel.selectors import claim_view
from portfolio.models import Claim, Programme
from reflections.models import Reflection

PROGRAMME = ProgrammeDetails(
    title="BSc (Hons) Web Development",
    code="BSC-WD",
    description="A three-year degree in building web services that everyone can use. Up to "
    "120 of its 360 credits can be granted for what you have already learned.",
    level="EQF 6",
    total_credits=Decimal(360),
    credit_cap=Decimal(120),
    currency_years=5,
)
PROGRAMME_URL = "https://demo.example/programmes/bsc-web-development"
COURSES = [
    ("WD101", "Accessible web design", Decimal(20)),
    ("WD102", "User research", Decimal(20)),
    ("WD103", "Professional practice", Decimal(20)),
]
OUTCOMES = [
    ("WD101", "WD-LO1", "Design and build web forms that meet WCAG 2.2 AA."),
    ("WD101", "WD-LO2", "Test a web service with assistive technology and fix what fails."),
    ("WD101", "WD-LO3", "Explain accessibility law and standards to a client."),
    ("WD102", "WD-LO4", "Plan and run a usability test with real users."),
    ("WD102", "WD-LO5", "Turn research findings into design changes, and say why."),
    (
        "WD103",
        "WD-LO6",
        "Keep a project's history in version control and work in a team through it.",
    ),
    ("WD103", "WD-LO7", "Reflect on your own practice and plan your development."),
    ("WD103", "WD-LO8", "Present your work to a mixed audience of users and developers."),
]
# Which demo badge (by its slug in demo_badges.DEMO_BADGES) aligns to which outcome.
BADGE_OUTCOMES = {
    "accessible-forms": "WD-LO1",
    "usability-testing": "WD-LO4",
    "git-basics": "WD-LO6",
}


def badge_alignments(slug: str) -> list[dict[str, Any]]:
    """The Open Badges 3.0 `alignment` of the demo achievement `slug`: the programme
    outcome it covers, by code, name and address."""
    code = BADGE_OUTCOMES.get(slug)
    if code is None:
        return []
    text = next(text for _course, each, text in OUTCOMES if each == code)
    return [
        {
            "type": ["Alignment"],
            "targetCode": code,
            "targetName": text,
            "targetFramework": PROGRAMME.title,
            "targetUrl": f"{PROGRAMME_URL}#{code}",
        }
    ]


def seed_programme(*, institution: Any) -> int:
    """Add and publish the programme (once). Returns how many outcomes were added."""
    if Programme.objects.filter(institution=institution, code=PROGRAMME.code).exists():
        return 0
    programme = programme_create(details=PROGRAMME, institution=institution)
    courses = {
        code: course_add(programme=programme, code=code, title=title, credits=credits)
        for code, title, credits in COURSES
    }
    for course, code, text in OUTCOMES:
        outcome_add(programme=programme, code=code, text=text, credits=Decimal(5),
                    course=courses[course])  # fmt: skip
    programme_publish(programme=programme)
    return len(OUTCOMES)


# Lena's draft claim: evidence mapped by title (and the badges their alignments suggest).
CLAIM_TITLE = "Credit for Accessible web design and User research"
CLAIM_EVIDENCE = {
    "WD-LO1": ["Poster: accessible web forms", "Code for the accessible sign-up form"],
    "WD-LO3": ["Short essay: why labels matter"],
    "WD-LO4": ["Usability test report"],
    "WD-LO5": ["What the usability test taught me"],
}
CLAIM_JUSTIFICATIONS = {
    "WD-LO1": "I designed and built the sign-up form of our placement project to WCAG 2.2 AA; "
    "the poster explains each decision, the code shows it, and the badge was assessed "
    "by the placement provider.",
    "WD-LO4": "I planned and ran a usability test with five users; the report has the plan, "
    "the tasks and what we found.",
}


def seed_claim(*, learner: Any) -> bool:
    """A draft claim of the learner against the demo programme, with evidence mapped,
    two justifications and the badge suggestions accepted, ready to submit to the demo
    assessor (once). Returns whether it was added."""
    programme = Programme.objects.filter(code=PROGRAMME.code, institution__isnull=False).first()
    if programme is None or Claim.objects.filter(learner=learner, programme=programme).exists():
        return False
    courses = list(programme.courses.filter(code__in=["WD101", "WD102"]))
    claim = services.claim_create(
        learner=learner, programme=programme, title=CLAIM_TITLE, courses=courses
    )
    answers = {a.outcome.code: a for a in claim.answers.select_related("outcome")}
    by_title: dict[str, Artefact | Reflection] = {
        a.title: a for a in Artefact.objects.filter(owner=learner)
    }
    by_title.update({r.title: r for r in Reflection.objects.filter(owner=learner)})
    for code, titles in CLAIM_EVIDENCE.items():
        for title in titles:
            if title in by_title:
                services.mapping_add(answer=answers[code], item=by_title[title])
    for suggestion in claim_view(claim=claim, suggest=True).suggestions:
        services.mapping_add(
            answer=suggestion.answer, item=suggestion.badge, suggested_because=suggestion.reason
        )
    for code, text in CLAIM_JUSTIFICATIONS.items():
        services.answer_justify(answer=answers[code], justification=text)
    return True
