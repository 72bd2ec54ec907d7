"""Attacks through a programme's outcomes: rewording an outcome after a claim against it
was submitted (the learner does it to their own programme; an admin to the
institution's), and outcome codes the claim and assessor forms could not post back (a
non-breaking space pasted at the end, a tab or line break inside, any alphabet)."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from portfolio.apel import programmes as service
from portfolio.apel.programme_csv import ImportRefused, outcomes_check
from portfolio.apel.programmes import ProgrammeDetails, ProgrammeRefused
from portfolio.models import Claim, ClaimState, LearningOutcome, Programme
from tests.accounts.institutions.conftest import Staff
from tests.conftest import People
from tests.portfolio.apel.apel_data import answer, claim_for, programme
from tests.portfolio.apel.assessor_data import submit_by_email
from tests.portfolio.showcase_data import reflection

pytestmark = pytest.mark.django_db

REWORDED = {
    "outcome-code": "LO1",
    "outcome-text": "Design a secure distributed database",
    "outcome-credits": "60",
}


def _assessed(learner: Any, prog: Programme, capture: Any, client: Client) -> Claim:
    """A claim against `prog` submitted by link, its LO1 judged "meets"."""
    claim = claim_for(learner, prog, {"LO1": [reflection(learner)]})
    _assessor, token = submit_by_email(claim, capture)
    judged = {"outcome": "LO1", "judgement": "meets"}
    assert client.post(reverse("apel:assess_link_judge", args=[token]), judged).status_code == 302
    return claim


def test_a_learner_cannot_reword_their_own_programme_under_an_assessed_claim(
    client: Client, people: People, django_capture_on_commit_callbacks: Any
) -> None:
    """Otherwise "Meets" would stand against words the assessor never read."""
    own = service.programme_create(
        details=ProgrammeDetails(title="Mine"), entered_by=people.learner
    )
    lo1 = service.outcome_add(programme=own, code="LO1", text="Write a hello world program")
    claim = _assessed(people.learner, own, django_capture_on_commit_callbacks, client)
    client.force_login(people.learner)
    url = reverse("apel:programme_outcome", args=[own.public_id, lo1.pk])
    response = client.post(url, REWORDED)
    assert response.status_code == 400
    assert "A submitted claim answers outcome LO1" in response.content.decode()
    lo1.refresh_from_db()
    assert (lo1.text, lo1.credits) == ("Write a hello world program", None)
    page = client.get(claim.get_absolute_url()).content.decode()
    assert "Write a hello world program" in page and "secure distributed" not in page
    deleted = client.post(url, {"action": "delete"})
    assert LearningOutcome.objects.filter(pk=lo1.pk).exists()
    assert (
        "A submitted claim answers outcome LO1" in client.get(deleted["Location"]).content.decode()
    )


def test_an_admin_cannot_reword_an_outcome_a_submitted_claim_answers(
    client: Client, people: People, staff: Staff, django_capture_on_commit_callbacks: Any
) -> None:
    prog = programme(outcomes=2)
    lo1 = prog.outcomes.get(code="LO1")
    _assessed(people.learner, prog, django_capture_on_commit_callbacks, client)
    client.force_login(staff.admin)
    url = reverse(
        "apel_staff:programme_outcome", args=[staff.institution.slug, prog.public_id, lo1.pk]
    )
    for change in (
        {"outcome-text": "New words"},
        {"outcome-code": "LO1b"},
        {"outcome-credits": "9"},
    ):
        data = {"outcome-code": "LO1", "outcome-text": lo1.text, "outcome-credits": "3", **change}
        response = client.post(url, data)
        assert response.status_code == 400, change
        assert "Add a new outcome with the new wording instead." in response.content.decode()
    lo1.refresh_from_db()
    assert (lo1.code, lo1.text) == ("LO1", "Outcome 1: apply skill number 1 in practice.")
    same = {"outcome-code": "LO1", "outcome-text": lo1.text, "outcome-credits": "3.00"}
    assert client.post(url, same).status_code == 302  # saving it unchanged is no change


def test_an_outcome_only_drafts_answer_can_still_be_reworded(people: People) -> None:
    prog = programme(outcomes=1)
    draft = claim_for(people.learner, prog)
    lo1 = prog.outcomes.get()
    service.outcome_update(outcome=lo1, code="LO1", text="Clearer words")
    assert answer(draft, "LO1").outcome.text == "Clearer words"
    Claim.objects.filter(pk=draft.pk).update(state=ClaimState.SUBMITTED)
    with pytest.raises(ProgrammeRefused):
        service.outcome_update(outcome=lo1, code="LO1", text="Other words again")


@pytest.mark.parametrize(
    "cell, stored",
    [("LO9\u00a0", "LO9"), ("\u00a0 LO9\t", "LO9"), ("学习-1", "学习-1"), ("LÖ①", "LÖ①")],
)
def test_an_imported_code_loses_the_spaces_around_it(cell: str, stored: str) -> None:
    checked = outcomes_check(
        programme=programme(outcomes=0),
        text=f'course_code,outcome_code,outcome_text\nC1\u00a0,"{cell}",x\n',
    )
    [row] = checked.rows
    assert (row.code, row.course_code) == (stored, "C1")


@pytest.mark.parametrize("cell", ["LO\t9", "LO\n9", "LO\r\n9", "LO\x0b9"])
def test_an_imported_code_with_a_tab_or_line_break_inside_is_refused(cell: str) -> None:
    with pytest.raises(ImportRefused, match="has a line break or tab in it") as refused:
        outcomes_check(
            programme=programme(outcomes=0), text=f'outcome_code,outcome_text\n"{cell}",x\n'
        )
    assert refused.value.errors[0].startswith("Line 2:")


def test_a_typed_code_with_a_line_break_inside_is_refused(client: Client, staff: Staff) -> None:
    prog = programme(outcomes=0)
    client.force_login(staff.admin)
    url = reverse("apel_staff:programme_outcome_new", args=[staff.institution.slug, prog.public_id])
    response = client.post(url, {"outcome-code": "LO\r\n1", "outcome-text": "Words"})
    assert response.status_code == 400 and "Write the code on one line" in response.content.decode()
    course_url = reverse(
        "apel_staff:programme_course_new", args=[staff.institution.slug, prog.public_id]
    )
    response = client.post(course_url, {"course-code": "C\t1"})
    assert response.status_code == 400 and not prog.courses.exists()
    assert not prog.outcomes.exists()


@pytest.mark.parametrize("code", ["LO1\u00a0", " LO1", "学习-1", "LÖ①"])
def test_any_stored_code_can_be_justified_mapped_and_judged(
    client: Client, people: People, django_capture_on_commit_callbacks: Any, code: str
) -> None:
    """The forms post the code back exactly as the page wrote it (one imported before
    spaces were trimmed too): trimming it found no outcome, so a mapping could not be
    removed, the outcome never judged and the claim never recommended."""
    prog = programme(outcomes=1)
    LearningOutcome.objects.filter(programme=prog).update(code=code)
    claim = claim_for(people.learner, prog)
    client.force_login(people.learner)
    written, dropped = (f"reflection:{reflection(people.learner).public_id}" for _n in "12")
    steps = [
        ("claim_justify", {"outcome": code, "justification": "I did it."}),
        ("claim_evidence", {"outcome": code, "items": [written, dropped]}),
        ("claim_mapping_note", {"outcome": code, "item": written, "note": "n"}),
        ("claim_mapping_remove", {"outcome": code, "item": dropped}),
    ]
    for name, data in steps:
        assert client.post(reverse(f"apel:{name}", args=[claim.public_id]), data).status_code == 302
    mine = claim.answers.get()
    assert mine.justification == "I did it." and mine.mappings.get().note == "n"
    client.logout()
    _assessor, token = submit_by_email(claim, django_capture_on_commit_callbacks)
    judged = client.post(
        reverse("apel:assess_link_judge", args=[token]), {"outcome": code, "judgement": "meets"}
    )
    assert judged.status_code == 302
    recommended = client.post(
        reverse("apel:assess_link_recommend", args=[token]), {"recommendation": "award"}
    )
    assert recommended.status_code == 302
    assert Claim.objects.get(pk=claim.pk).state == ClaimState.ASSESSED
