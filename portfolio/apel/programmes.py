"""Writes to programmes, their courses and their learning outcomes.

A programme belongs to an institution (its admins edit and publish it) or was entered by
a learner for their own claims (only they see it; it is never published). Outcome codes
are unique in a programme whatever their case. Every write to a programme's outcomes or
courses locks the programme's row first, so two admins adding or importing at once cannot
both pass the duplicate checks. Nothing that a claim relies on is deleted: a programme,
course or outcome a claim names is refused with a message saying what to do instead; and
the code, words and credits of an outcome a submitted claim answers stay as they were
claimed and judged.
"""

from dataclasses import asdict, dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Max, ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Institution, User
from portfolio.apel.programme_csv import outcomes_check
from portfolio.models import Claim, ClaimOutcome, ClaimState, Course, LearningOutcome, Programme


class ProgrammeRefused(ValueError):
    """A refused change, in plain words for the person who asked for it."""


@dataclass(frozen=True)
class ProgrammeDetails:
    title: str
    code: str = ""
    description: str = ""
    level: str = ""
    total_credits: Decimal | None = None
    credit_cap: Decimal | None = None
    currency_years: int | None = None


@dataclass(frozen=True)
class Imported:
    outcomes: int
    courses: int


@transaction.atomic
def programme_create(
    *,
    details: ProgrammeDetails,
    institution: Institution | None = None,
    entered_by: User | None = None,
) -> Programme:
    """An institution's programme (unpublished until `programme_publish`), or a learner's
    own (`entered_by`): exactly one of the two."""
    if (institution is None) == (entered_by is None):
        raise ValueError("A programme belongs to an institution or to a learner, not both.")
    return Programme.objects.create(
        institution=institution, entered_by=entered_by, **asdict(details)
    )


@transaction.atomic
def programme_update(*, programme: Programme, details: ProgrammeDetails) -> Programme:
    for name, value in asdict(details).items():
        setattr(programme, name, value)
    programme.save()
    return programme


@transaction.atomic
def programme_publish(*, programme: Programme) -> Programme:
    """Learners of the institution see it from now on. A programme without outcomes, or
    one a learner entered, cannot be published."""
    programme = _locked(programme)
    if programme.learner_entered:
        raise ProgrammeRefused(_("A programme you entered yourself is only ever seen by you."))
    if not programme.outcomes.exists():
        raise ProgrammeRefused(
            _("Add at least one learning outcome before publishing: learners claim against them.")
        )
    if programme.published_at is None:
        programme.published_at = timezone.now()
        programme.save(update_fields=["published_at", "updated_at"])
    return programme


@transaction.atomic
def programme_unpublish(*, programme: Programme) -> Programme:
    """Learners no longer find it; claims already made against it are untouched."""
    programme = _locked(programme)
    if programme.published_at is not None:
        programme.published_at = None
        programme.save(update_fields=["published_at", "updated_at"])
    return programme


@transaction.atomic
def programme_delete(*, programme: Programme) -> None:
    programme = _locked(programme)
    claims = Claim.objects.filter(programme=programme).count()
    if claims:
        raise ProgrammeRefused(_claimed_message(programme, claims))
    try:
        programme.delete()
    except ProtectedError:  # a claim made since the count above
        raise ProgrammeRefused(_claimed_message(programme, 1)) from None


def _claimed_message(programme: Programme, claims: int) -> str:
    if programme.learner_entered:
        return _("You have a claim against this programme, so it is kept. Delete the claim first.")
    return ngettext(
        "A learner has made a claim against this programme, so it is kept for them and "
        "their assessor. Unpublish it instead: learners will no longer find it.",
        "Learners have made %(n)s claims against this programme, so it is kept for them "
        "and their assessors. Unpublish it instead: learners will no longer find it.",
        claims,
    ) % {"n": claims}


@transaction.atomic
def course_add(
    *, programme: Programme, code: str, title: str = "", credits: Decimal | None = None
) -> Course:
    programme = _locked(programme)
    _refuse_taken_course_code(programme, code)
    position = (programme.courses.aggregate(last=Max("position"))["last"] or 0) + 1
    return Course.objects.create(
        programme=programme, code=code, title=title, credits=credits, position=position
    )


@transaction.atomic
def course_update(
    *, course: Course, code: str, title: str = "", credits: Decimal | None = None
) -> Course:
    _locked(course.programme)
    _refuse_taken_course_code(course.programme, code, keep=course)
    course.code, course.title, course.credits = code, title, credits
    course.save()
    return course


@transaction.atomic
def course_delete(*, course: Course) -> None:
    """The course goes; its outcomes stay in the programme, outside any course."""
    _locked(course.programme)
    if course.claims.exists():
        raise ProgrammeRefused(
            _("Claims name course %(code)s, so it is kept. Rename it instead.")
            % {"code": course.code}
        )
    course.outcomes.update(course=None)
    course.delete()


def _refuse_taken_course_code(programme: Programme, code: str, keep: Course | None = None) -> None:
    others = programme.courses.filter(code__iexact=code)
    if keep is not None:
        others = others.exclude(pk=keep.pk)
    if others.exists():
        raise ProgrammeRefused(
            _("This programme already has a course %(code)s. Give this one another code.")
            % {"code": code}
        )


@transaction.atomic
def outcome_add(
    *,
    programme: Programme,
    code: str,
    text: str,
    credits: Decimal | None = None,
    course: Course | None = None,
) -> LearningOutcome:
    """Added after the programme's last outcome."""
    programme = _locked(programme)
    _refuse_taken_outcome_code(programme, code)
    _refuse_other_course(programme, course)
    return LearningOutcome.objects.create(
        programme=programme, course=course, code=code, text=text, credits=credits,
        position=_next_position(programme),
    )  # fmt: skip


@transaction.atomic
def outcome_update(
    *,
    outcome: LearningOutcome,
    code: str,
    text: str,
    credits: Decimal | None = None,
    course: Course | None = None,
) -> LearningOutcome:
    _locked(outcome.programme)
    _refuse_taken_outcome_code(outcome.programme, code, keep=outcome)
    _refuse_other_course(outcome.programme, course)
    changed = (code, text, credits) != (outcome.code, outcome.text, outcome.credits)
    if changed and _submitted_against(outcome):
        raise ProgrammeRefused(
            _(
                "A submitted claim answers outcome %(code)s: its code, words and credits stay "
                "as the learner claimed them and the assessor judges them. Add a new outcome "
                "with the new wording instead."
            )
            % {"code": outcome.code}
        )
    outcome.code, outcome.text, outcome.credits, outcome.course = code, text, credits, course
    outcome.save()
    return outcome


def _submitted_against(outcome: LearningOutcome) -> bool:
    """Whether a claim past its draft answers the outcome (a draft's learner sees a change
    before they submit)."""
    answers = ClaimOutcome.objects.filter(outcome=outcome)
    return answers.exclude(claim__state=ClaimState.DRAFT).exists()


@transaction.atomic
def outcome_move(*, outcome: LearningOutcome, up: bool) -> None:
    """Swap places with the outcome before (or after) it in the same course. Positions
    are unique across the programme, so the programme's whole order stays meaningful."""
    _locked(outcome.programme)
    outcomes = list(outcome.programme.outcomes.order_by("position", "pk"))
    for number, each in enumerate(outcomes):  # make positions unique before swapping
        each.position = number
    mine = next(i for i, each in enumerate(outcomes) if each.pk == outcome.pk)
    step = -1 if up else 1
    other = mine + step
    while 0 <= other < len(outcomes) and outcomes[other].course_id != outcome.course_id:
        other += step
    if 0 <= other < len(outcomes):
        outcomes[mine].position, outcomes[other].position = other, mine
    LearningOutcome.objects.bulk_update(outcomes, ["position"])


@transaction.atomic
def outcome_delete(*, outcome: LearningOutcome) -> None:
    _locked(outcome.programme)
    if _submitted_against(outcome):
        raise ProgrammeRefused(
            _(
                "A submitted claim answers outcome %(code)s, so it is kept as the learner "
                "claimed it and the assessor judges it."
            )
            % {"code": outcome.code}
        )
    if ClaimOutcome.objects.filter(outcome=outcome).exists():
        raise ProgrammeRefused(
            _(
                "Claims answer outcome %(code)s, so it is kept for them and their assessors. "
                "Change its words instead, if they need to change."
            )
            % {"code": outcome.code}
        )
    outcome.delete()


def _refuse_taken_outcome_code(
    programme: Programme, code: str, keep: LearningOutcome | None = None
) -> None:
    others = programme.outcomes.filter(code__iexact=code)
    if keep is not None:
        others = others.exclude(pk=keep.pk)
    if others.exists():
        raise ProgrammeRefused(
            _("This programme already has an outcome %(code)s. Give this one another code.")
            % {"code": code}
        )


def _refuse_other_course(programme: Programme, course: Course | None) -> None:
    if course is not None and course.programme_id != programme.pk:
        raise ProgrammeRefused(_("Choose one of this programme's courses."))


def _next_position(programme: Programme) -> int:
    last = programme.outcomes.aggregate(last=Max("position"))["last"]
    return 0 if last is None else last + 1


def _locked(programme: Programme) -> Programme:
    return Programme.objects.select_for_update().get(pk=programme.pk)


@transaction.atomic
def programme_import_csv(*, programme: Programme, text: str) -> Imported:
    """Add the file's outcomes (and the courses it names that are new), after checking
    it again under the programme's lock: all of it, or nothing (ImportRefused)."""
    programme = _locked(programme)
    checked = outcomes_check(programme=programme, text=text)
    courses: dict[str, Course] = {c.code.lower(): c for c in programme.courses.all()}
    first = (programme.courses.aggregate(last=Max("position"))["last"] or 0) + 1
    created = Course.objects.bulk_create(
        Course(programme=programme, code=code, title=title, position=first + number)
        for number, (code, title) in enumerate(checked.new_courses.values())
    )
    courses.update({course.code.lower(): course for course in created})
    start = _next_position(programme)
    LearningOutcome.objects.bulk_create(
        LearningOutcome(
            programme=programme, course=courses.get(row.course_code.lower()), code=row.code,
            text=row.text, credits=row.credits, position=start + number,
        )
        for number, row in enumerate(checked.rows)
    )  # fmt: skip
    return Imported(outcomes=len(checked.rows), courses=len(created))
