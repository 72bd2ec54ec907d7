"""Bulk onboarding from a CSV: every malformed file names the line and the problem and
changes nothing; a clean file is previewed, then confirmed into a task that invites
everyone, counting as it goes; formula-like cells are kept as text."""

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts.institutions import onboarding
from accounts.institutions.models import Membership, OnboardingBatch
from accounts.models import Cohort, User
from tests.accounts.institutions.conftest import Staff
from tests.conftest import People

pytestmark = pytest.mark.django_db
Capture = Callable[..., Any]
HEADER = "email,name,role,cohort\n"


def _csv(text: str | bytes, name: str = "people.csv") -> SimpleUploadedFile:
    data = text.encode() if isinstance(text, str) else text
    return SimpleUploadedFile(name, data, content_type="text/csv")


def _upload(client: Client, staff: Staff, text: str | bytes) -> Any:
    client.force_login(staff.admin)
    url = reverse("institutions:onboarding", args=[staff.institution.slug])
    return client.post(url, {"file": _csv(text)})


def _state() -> tuple[int, int, int, int]:
    return (
        User.objects.count(),
        Membership.objects.count(),
        Cohort.objects.count(),
        OnboardingBatch.objects.count(),
    )


MALFORMED = [
    pytest.param(b"", "The file is empty", id="empty"),
    pytest.param("mail,full name\na@example.org,A\n", "Line 1: the columns must be", id="columns"),
    pytest.param(HEADER, "no people", id="header-only"),
    pytest.param(
        (HEADER + "a@example.org,Zo\xe9,learner,\n").encode("latin-1"),
        "Line 2: this is not UTF-8 text",
        id="encoding",
    ),
    pytest.param(
        HEADER + "a@example.org,A,learner,\nb@example.org,B,tutor,\nA@example.org,A2,learner,\n",
        "Line 4: A@example.org is also on line 2.",
        id="duplicate-email",
    ),
    pytest.param(
        HEADER + "a@example.org,A,learner,\nb@example.org,B,headteacher,\n",
        "Line 3: “headteacher” is not a role",
        id="unknown-role",
    ),
    pytest.param(HEADER + "not-an-address,A,learner,\n", "Line 2: “not-an-address” is not",
                 id="bad-email"),
    pytest.param(HEADER + "a@example.org,A,learner\n", "Line 2: it has 3 cells", id="short-line"),
]  # fmt: skip


@pytest.mark.parametrize(("content", "message"), MALFORMED)
def test_a_malformed_file_names_the_problem_and_changes_nothing(
    client: Client, staff: Staff, content: str | bytes, message: str
) -> None:
    before = _state()
    response = _upload(client, staff, content)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "Nothing was changed" in response.content.decode() or b"empty" in response.content
    assert _state() == before


def test_a_file_too_big_is_refused_unread(client: Client, staff: Staff) -> None:
    before = _state()
    big = HEADER + "x" * (onboarding.MAX_BYTES + 10)
    response = _upload(client, staff, big)
    assert response.status_code == 400
    assert "larger than 2 MB" in response.content.decode()
    assert _state() == before


def test_every_bad_line_is_named_at_once(client: Client, staff: Staff) -> None:
    text = HEADER + "a@example.org,A,learner,\nbad,B,learner,\nc@example.org,C,boss,\n"
    html = _upload(client, staff, text).content.decode()
    assert "Line 3:" in html and "Line 4:" in html


def test_the_preview_says_what_happens_to_each_line_and_changes_nothing(
    client: Client, people: People, staff: Staff
) -> None:
    text = HEADER + (
        f"{people.learner.email.upper()},Known,learner,{people.cohort.name}\n"
        "new@example.org,New Person,learner,Evening class\n"
    )
    before_people = User.objects.count()
    response = _upload(client, staff, text)
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert "Existing person added" in html and "New invitation" in html
    assert "will be created" in html and "Evening class" in html
    assert User.objects.count() == before_people
    assert not Cohort.objects.filter(name="Evening class").exists()
    assert OnboardingBatch.objects.get().state == OnboardingBatch.State.PREVIEW


def test_confirming_invites_everyone_into_their_cohorts(
    client: Client, people: People, staff: Staff, django_capture_on_commit_callbacks: Capture
) -> None:
    text = HEADER + (
        f"{people.learner.email},Known,learner,Evening class\n"
        "new@example.org,New Person,learner,Evening class\n"
        "tutor.new@example.org,New Tutor,tutor,Evening class\n"
    )
    batch_url = _upload(client, staff, text)["Location"]
    batch = OnboardingBatch.objects.get()
    confirm = reverse(
        "institutions:onboarding_confirm", args=[staff.institution.slug, batch.public_id]
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(confirm)["Location"] == batch_url
    batch.refresh_from_db()
    assert (batch.state, batch.processed, batch.invited, batch.added) == ("done", 3, 2, 1)
    cohort = Cohort.objects.get(institution=staff.institution, name="Evening class")
    assert set(cohort.learners.values_list("email", flat=True)) == {
        people.learner.email, "new@example.org",
    }  # fmt: skip
    assert list(cohort.tutors.values_list("email", flat=True)) == ["tutor.new@example.org"]
    new = User.objects.get(email="new@example.org")
    assert not new.has_usable_password() and new.name == "New Person"
    assert Membership.objects.get(user=new, institution=staff.institution).invited_at
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [people.learner.email, "new@example.org", "tutor.new@example.org"]
    )
    assert "All done" in client.get(batch_url).content.decode()


def test_confirming_twice_runs_once(
    client: Client, staff: Staff, django_capture_on_commit_callbacks: Capture
) -> None:
    _upload(client, staff, HEADER + "new@example.org,New,learner,\n")
    batch = OnboardingBatch.objects.get()
    confirm = reverse(
        "institutions:onboarding_confirm", args=[staff.institution.slug, batch.public_id]
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(confirm)
        client.post(confirm)
    assert len(mail.outbox) == 1


def test_formula_cells_are_stored_as_text(
    client: Client, staff: Staff, django_capture_on_commit_callbacks: Capture
) -> None:
    formula = '=HYPERLINK("https://evil.example","click")'
    text = HEADER + f'new@example.org,"{formula.replace(chr(34), chr(34) * 2)}",learner,+Cohort\n'
    _upload(client, staff, text)
    batch = OnboardingBatch.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        onboarding.onboarding_confirm(batch=batch)
    assert User.objects.get(email="new@example.org").name == formula
    assert Cohort.objects.filter(name="+Cohort").exists()


def test_a_thousand_rows_finish_as_a_task_with_progress(
    client: Client, staff: Staff, django_capture_on_commit_callbacks: Capture
) -> None:
    rows = "".join(
        f"person{n:04d}@example.org,Person {n},learner,Big cohort\n" for n in range(1000)
    )
    batch_url = _upload(client, staff, HEADER + rows)["Location"]
    batch = OnboardingBatch.objects.get()
    assert batch.total == 1000
    # The task has not run yet: the page shows progress and refreshes itself.
    onboarding.onboarding_confirm(batch=batch)  # queued; no on-commit callbacks captured
    batch.refresh_from_db()
    assert batch.state == "queued"
    html = client.get(batch_url).content.decode()
    assert 'http-equiv="refresh"' in html and "0 of 1,000 done" in html
    # One chunk at a time, as a retried task would resume.
    assert onboarding._run_chunk(batch.pk) is True
    batch.refresh_from_db()
    assert (batch.state, batch.processed) == ("running", onboarding.CHUNK)
    assert f"{onboarding.CHUNK} of 1,000 done" in client.get(batch_url).content.decode()
    from accounts.tasks import onboarding_run_task

    with django_capture_on_commit_callbacks(execute=True):
        onboarding_run_task.delay(batch.pk)
    batch.refresh_from_db()
    assert (batch.state, batch.processed, batch.invited) == ("done", 1000, 1000)
    cohort = Cohort.objects.get(name="Big cohort")
    assert cohort.learners.count() == 1000
    assert 'http-equiv="refresh"' not in client.get(batch_url).content.decode()
