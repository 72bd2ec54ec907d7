"""Programme services: one owner each, publishing, and nothing a claim relies on is
deleted; codes unique whatever their case; outcomes ordered within their course."""

from decimal import Decimal

import pytest

from portfolio.apel import programmes as service
from portfolio.apel.programme_csv import ImportRefused
from portfolio.apel.programme_selectors import programme_outcome_groups
from portfolio.apel.programmes import ProgrammeDetails, ProgrammeRefused
from portfolio.models import Claim, Course, LearningOutcome, Programme
from tests.accounts.institutions.conftest import Staff
from tests.conftest import People
from tests.portfolio.apel.conftest import Programmes, claim_against, outcome_of

pytestmark = pytest.mark.django_db
DETAILS = ProgrammeDetails(title="BSc Nursing", code="N1", total_credits=Decimal(360),
                           credit_cap=Decimal(120), currency_years=5)  # fmt: skip


def test_a_programme_belongs_to_an_institution_or_a_learner_not_both(
    people: People, staff: Staff
) -> None:
    with pytest.raises(ValueError, match="not both"):
        service.programme_create(details=DETAILS)
    with pytest.raises(ValueError, match="not both"):
        service.programme_create(
            details=DETAILS, institution=staff.institution, entered_by=people.learner
        )
    assert not Programme.objects.exists()
    mine = service.programme_create(details=DETAILS, entered_by=people.learner)
    assert mine.learner_entered and mine.currency_years == 5 and not mine.is_published
    theirs = service.programme_create(details=DETAILS, institution=staff.institution)
    assert not theirs.learner_entered and theirs.credit_cap == Decimal(120)


def test_updating_changes_every_detail(staff: Staff) -> None:
    programme = service.programme_create(details=DETAILS, institution=staff.institution)
    service.programme_update(programme=programme, details=ProgrammeDetails(title="BSc Midwifery"))
    programme.refresh_from_db()
    assert programme.title == "BSc Midwifery" and programme.code == ""
    assert programme.credit_cap is None and programme.currency_years is None


def test_publishing_needs_outcomes_and_an_institution(
    people: People, staff: Staff, programmes: Programmes
) -> None:
    empty = service.programme_create(details=DETAILS, institution=staff.institution)
    with pytest.raises(ProgrammeRefused, match="Add at least one learning outcome"):
        service.programme_publish(programme=empty)
    with pytest.raises(ProgrammeRefused, match="only ever seen by you"):
        service.programme_publish(programme=programmes.entered)
    assert not Programme.objects.filter(pk__in=[empty.pk, programmes.entered.pk],
                                        published_at__isnull=False).exists()  # fmt: skip
    published = service.programme_publish(programme=programmes.draft)
    assert published.is_published
    first = published.published_at
    assert service.programme_publish(programme=programmes.draft).published_at == first
    assert not service.programme_unpublish(programme=programmes.draft).is_published


def test_a_programme_with_claims_is_kept(people: People, programmes: Programmes) -> None:
    claim_against(programmes.ours, people.learner)
    with pytest.raises(ProgrammeRefused, match="Unpublish it instead"):
        service.programme_delete(programme=programmes.ours)
    claim_against(programmes.entered, people.learner)
    with pytest.raises(ProgrammeRefused, match="Delete the claim first"):
        service.programme_delete(programme=programmes.entered)
    assert Programme.objects.filter(pk__in=[programmes.ours.pk, programmes.entered.pk]).count() == 2
    service.programme_delete(programme=programmes.draft)
    assert not Programme.objects.filter(pk=programmes.draft.pk).exists()
    assert not LearningOutcome.objects.filter(programme_id=programmes.draft.pk).exists()


def test_codes_are_unique_in_a_programme_whatever_their_case(programmes: Programmes) -> None:
    with pytest.raises(ProgrammeRefused, match="already has an outcome lo1"):
        service.outcome_add(programme=programmes.ours, code="lo1", text="Again")
    with pytest.raises(ProgrammeRefused, match="already has a course c1"):
        service.course_add(programme=programmes.ours, code="c1")
    lo2 = programmes.ours.outcomes.get(code="LO2")
    with pytest.raises(ProgrammeRefused, match="already has an outcome LO1"):
        service.outcome_update(outcome=lo2, code="LO1", text="x")
    service.outcome_update(outcome=lo2, code="lo2", text="Renamed")  # its own code, recased
    # Another programme may use the same codes.
    service.outcome_add(programme=programmes.draft, code="LO99", text="Fine")
    service.outcome_add(programme=programmes.ours, code="LO99", text="Fine here too")


def test_an_outcome_goes_only_in_its_own_programmes_course(programmes: Programmes) -> None:
    elsewhere = Course.objects.filter(programme=programmes.draft).first()
    with pytest.raises(ProgrammeRefused, match="this programme's courses"):
        service.outcome_add(programme=programmes.ours, code="X", text="x", course=elsewhere)
    with pytest.raises(ProgrammeRefused, match="this programme's courses"):
        service.outcome_update(outcome=outcome_of(programmes.ours), code="LO1", text="x",
                               course=elsewhere)  # fmt: skip


def test_moving_an_outcome_swaps_it_with_its_neighbour_in_the_same_course(
    programmes: Programmes,
) -> None:
    course = Course.objects.get(programme=programmes.ours, code="C2")  # LO1 and LO3
    service.outcome_add(programme=programmes.ours, code="LO4", text="four", course=course)

    def order() -> list[list[str]]:
        return [
            [o.code for o in g.outcomes]
            for g in programme_outcome_groups(programme=programmes.ours)
        ]

    assert order() == [["LO2"], ["LO1", "LO3", "LO4"]]
    service.outcome_move(outcome=programmes.ours.outcomes.get(code="LO3"), up=True)
    assert order() == [["LO2"], ["LO3", "LO1", "LO4"]]
    service.outcome_move(outcome=programmes.ours.outcomes.get(code="LO3"), up=True)  # first
    service.outcome_move(outcome=programmes.ours.outcomes.get(code="LO2"), up=False)  # alone
    service.outcome_move(outcome=programmes.ours.outcomes.get(code="LO1"), up=False)
    assert order() == [["LO2"], ["LO3", "LO4", "LO1"]]
    positions = list(programmes.ours.outcomes.values_list("position", flat=True))
    assert len(set(positions)) == len(positions)


def test_an_outcome_a_claim_answers_is_kept(people: People, programmes: Programmes) -> None:
    claim_against(programmes.ours, people.learner, answering=True)
    answered = outcome_of(programmes.ours)
    with pytest.raises(ProgrammeRefused, match=f"Claims answer outcome {answered.code}"):
        service.outcome_delete(outcome=answered)
    assert LearningOutcome.objects.filter(pk=answered.pk).exists()
    other = programmes.ours.outcomes.exclude(pk=answered.pk).first()
    assert other is not None
    service.outcome_delete(outcome=other)
    assert not LearningOutcome.objects.filter(pk=other.pk).exists()


def test_deleting_a_course_keeps_its_outcomes_unless_claims_name_it(
    people: People, programmes: Programmes
) -> None:
    course = Course.objects.get(programme=programmes.ours, code="C2")
    claim = claim_against(programmes.ours, people.learner)
    claim.courses.add(course)
    with pytest.raises(ProgrammeRefused, match="Claims name course C2"):
        service.course_delete(course=course)
    Claim.objects.all().delete()
    service.course_delete(course=course)
    assert not Course.objects.filter(pk=course.pk).exists()
    loose = programmes.ours.outcomes.filter(course=None).values_list("code", flat=True)
    assert sorted(loose) == ["LO1", "LO3"]


def test_renaming_a_course(programmes: Programmes) -> None:
    course = Course.objects.get(programme=programmes.ours, code="C1")
    with pytest.raises(ProgrammeRefused, match="already has a course C2"):
        service.course_update(course=course, code="C2")
    service.course_update(course=course, code="WD101", title="Web design", credits=Decimal(20))
    course.refresh_from_db()
    assert (course.code, course.title, course.credits) == ("WD101", "Web design", Decimal(20))


def test_an_import_adds_after_what_is_there_and_makes_the_new_courses(
    programmes: Programmes,
) -> None:
    text = (
        "course_code,course_title,outcome_code,outcome_text,credits\n"
        "c1,,LO10,Joins course C1 whatever the case,2.5\n"
        "NEW,New course,LO11,In a new course,\n"
        "NEW,,LO12,Also in it,1\n"
        ",,LO13,In no course,\n"
    )
    imported = service.programme_import_csv(programme=programmes.ours, text=text)
    assert (imported.outcomes, imported.courses) == (4, 1)
    new = Course.objects.get(programme=programmes.ours, code="NEW")
    assert new.title == "New course"
    lo10 = programmes.ours.outcomes.get(code="LO10")
    assert lo10.course.code == "C1" and lo10.credits == Decimal("2.5")  # type: ignore[union-attr]
    assert list(new.outcomes.values_list("code", flat=True)) == ["LO11", "LO12"]
    codes = list(programmes.ours.outcomes.order_by("position").values_list("code", flat=True))
    assert codes == ["LO1", "LO2", "LO3", "LO10", "LO11", "LO12", "LO13"]
    with pytest.raises(ImportRefused):  # the same file again: every code is taken now
        service.programme_import_csv(programme=programmes.ours, text=text)
    assert programmes.ours.outcomes.count() == 7
