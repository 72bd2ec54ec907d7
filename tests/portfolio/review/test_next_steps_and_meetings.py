"""A next step is named by the feedback's first sentence, editable before it is saved;
the tutor's review page lists the meetings they recorded."""

from datetime import date
from html import unescape

from django.test import Client
from django.urls import reverse

from accounts.models import User
from portfolio.models import Goal, first_sentence
from portfolio.review import services
from tests.conftest import People

LONG_FEEDBACK = (
    "Add a risk assessment to the site survey. It should cover access, weather and "
    "lone working, and say who signs it off. **Well done** on the photos."
)


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def review_page(people: People) -> str:
    url = reverse("review_tutor:learner", args=[people.learner.public_id])
    return unescape(client_for(people.tutor).get(url).content.decode())


def test_the_first_sentence_is_trimmed_to_the_title_length() -> None:
    assert first_sentence("Good start. More later.") == "Good start."
    assert first_sentence("No full stop\nat all") == "No full stop at all"
    long = first_sentence("x" * 300)
    assert len(long) == 200 and long.endswith("…")


def test_the_next_step_form_is_pre_filled_with_the_first_sentence(people: People) -> None:
    thread = services.thread_start(author=people.tutor, learner=people.learner, body=LONG_FEEDBACK)
    comment = thread.comments.get()
    html = review_page(people)
    assert f'name="title" maxlength="200" required value="{comment.suggested_goal_title}"' in html
    assert comment.suggested_goal_title == "Add a risk assessment to the site survey."


def test_the_tutor_edits_the_title_before_saving(people: People) -> None:
    thread = services.thread_start(author=people.tutor, learner=people.learner, body=LONG_FEEDBACK)
    comment = thread.comments.get()
    response = client_for(people.tutor).post(
        reverse("review_tutor:next_step", args=[comment.public_id]),
        {"title": "  Write the risk assessment  "},
    )
    assert response.status_code == 302
    assert Goal.objects.get(learner=people.learner).title == "Write the risk assessment"


def test_a_blank_title_is_refused_and_makes_no_goal(people: People) -> None:
    thread = services.thread_start(author=people.tutor, learner=people.learner, body=LONG_FEEDBACK)
    response = client_for(people.tutor).post(
        reverse("review_tutor:next_step", args=[thread.comments.get().public_id]), {"title": " "}
    )
    assert response.status_code == 400
    assert "Give the next step a title." in unescape(response.content.decode())
    assert not Goal.objects.exists()


def test_feedback_sent_as_a_next_step_is_named_by_its_first_sentence(people: People) -> None:
    services.thread_start(
        author=people.tutor, learner=people.learner, body=LONG_FEEDBACK, next_step=True
    )
    assert Goal.objects.get().title == "Add a risk assessment to the site survey."


def test_the_review_page_lists_the_meetings_with_notes_and_next_steps(people: People) -> None:
    services.meeting_record(
        tutor=people.tutor,
        learner=people.learner,
        held_on=date(2026, 3, 2),
        summary="Talked about the **placement**.",
        next_steps=["Book the placement", "Finish unit 2"],
    )
    html = review_page(people)
    section = html[html.index('id="meetings-heading"') :]
    assert 'datetime="2026-03-02"' in section
    assert "<strong>placement</strong>" in section
    assert "Book the placement" in section and "Finish unit 2" in section
    assert f"with {people.tutor.display_name}" in section


def test_the_review_page_says_when_no_meeting_was_recorded(people: People) -> None:
    assert "No review meetings recorded yet." in review_page(people)
