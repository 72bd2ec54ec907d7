"""The tutor's review pages: dashboard, learner review page and its actions."""

import re
import uuid
from collections.abc import Callable
from datetime import date, timedelta
from html import unescape
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from artefacts.models import Artefact
from portfolio.models import FeedbackComment, FeedbackThread, Goal, ReviewMark, ReviewMeeting
from portfolio.review import services
from tests.conftest import People
from tests.factories import CohortFactory, LearnerFactory
from tests.portfolio.review.test_permissions import link, reflection


@pytest.fixture(autouse=True)
def _tutor_urls(settings) -> None:
    settings.ROOT_URLCONF = "tests.portfolio.review.urls_tutor_test"


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def learner_url(learner: User) -> str:
    return reverse("review_tutor:learner", args=[learner.public_id])


def _thread(people: People, body: str = "Good start") -> FeedbackThread:
    return services.thread_start(author=people.tutor, learner=people.learner, body=body)


# --- every page and action, for every role ------------------------------------------

# name -> (method, url maker, POST data maker)
Action = tuple[str, Callable[[People], str], Callable[[People], dict[str, Any]]]


def _thread_url(name: str) -> Callable[[People], str]:
    return lambda p: reverse(name, args=[_thread(p).public_id])


def _comment_url(p: People) -> str:
    return reverse("review_tutor:next_step", args=[_thread(p).comments.get().public_id])


ACTIONS: dict[str, Action] = {
    "dashboard": ("get", lambda p: reverse("review_tutor:dashboard"), lambda p: {}),
    "learner": ("get", lambda p: learner_url(p.learner), lambda p: {}),
    "feedback_start": (
        "post",
        lambda p: reverse("review_tutor:feedback_start", args=[p.learner.public_id]),
        lambda p: {"body": "Well done"},
    ),
    "item_feedback": (
        "post",
        lambda p: reverse("review_tutor:item_feedback"),
        lambda p: {"target": f"artefact:{link(p.learner).public_id}", "body": "Nice"},
    ),
    "reply": ("post", _thread_url("review_tutor:reply"), lambda p: {"body": "And more"}),
    "addressed": ("post", _thread_url("review_tutor:addressed"), lambda p: {"addressed": "1"}),
    "next_step": ("post", _comment_url, lambda p: {}),
    "review_mark": (
        "post",
        lambda p: reverse("review_tutor:review_mark", args=[p.learner.public_id]),
        lambda p: {},
    ),
    "meeting": (
        "post",
        lambda p: reverse("review_tutor:meeting", args=[p.learner.public_id]),
        lambda p: {"held_on": "2025-03-01", "summary": "Talked", "next_steps": "One\nTwo"},
    ),
}


def _do(client: Client, people: People, name: str) -> Any:
    method, url, data = ACTIONS[name]
    return getattr(client, method)(url(people), data(people))


@pytest.mark.parametrize("name", ACTIONS)
def test_the_tutor_reaches_every_page_and_action(people: People, name: str) -> None:
    response = _do(client_for(people.tutor), people, name)
    assert response.status_code == (200 if ACTIONS[name][0] == "get" else 302)


@pytest.mark.parametrize("name", ACTIONS)
@pytest.mark.parametrize("role", ["learner", "admin"])
def test_learners_and_admins_are_refused(people: People, name: str, role: str) -> None:
    response = _do(client_for(getattr(people, role)), people, name)
    assert response.status_code == 403


@pytest.mark.parametrize("name", ACTIONS)
def test_anonymous_visitors_are_sent_to_sign_in(people: People, name: str) -> None:
    response = _do(client_for(None), people, name)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("name", [n for n in ACTIONS if n != "dashboard"])
def test_a_tutor_of_another_cohort_gets_a_404(people: People, name: str) -> None:
    response = _do(client_for(people.other_tutor), people, name)
    assert response.status_code == 404
    assert not Goal.objects.exists() and not ReviewMark.objects.exists()
    assert not ReviewMeeting.objects.exists()


def test_a_tutor_of_another_cohort_does_not_see_our_learners(people: People) -> None:
    response = client_for(people.other_tutor).get(reverse("review_tutor:dashboard"))
    assert [r.learner for r in response.context["rows"]] == [people.outsider]


@pytest.mark.parametrize("name", [n for n in ACTIONS if n != "dashboard"])
def test_access_ends_when_the_learner_leaves_the_cohort(people: People, name: str) -> None:
    method, url_for, data_for = ACTIONS[name]
    url, data = url_for(people), data_for(people)  # made while the learner was taught
    people.cohort.learners.remove(people.learner)
    response = getattr(client_for(people.tutor), method)(url, data)
    assert response.status_code == 404


def test_an_unknown_learner_is_a_404(people: People) -> None:
    response = client_for(people.tutor).get(reverse("review_tutor:learner", args=[uuid.uuid4()]))
    assert response.status_code == 404


# --- dashboard ------------------------------------------------------------------------


def test_the_dashboard_lists_the_cohort_and_links_to_each_learner(people: People) -> None:
    response = client_for(people.tutor).get(reverse("review_tutor:dashboard"))
    html = response.content.decode()
    assert learner_url(people.learner) in html and learner_url(people.classmate) in html
    assert people.outsider.display_name not in html
    assert html.count("<h1") == 1 and "<main" in html


def test_learners_who_asked_for_feedback_come_first_and_are_flagged(people: People) -> None:
    services.feedback_request_create(learner=people.classmate, question="Is this ok?")
    response = client_for(people.tutor).get(reverse("review_tutor:dashboard"))
    rows = response.context["rows"]
    assert rows[0].learner == people.classmate and rows[0].asked_for_feedback
    assert "Asked for feedback" in response.content.decode()


def test_the_dashboard_sorts_by_name_and_filters_by_cohort(people: People) -> None:
    people.learner.name, people.classmate.name = "Zed", "Amy"
    people.learner.save()
    people.classmate.save()
    client = client_for(people.tutor)
    rows = client.get(reverse("review_tutor:dashboard"), {"sort": "name"}).context["rows"]
    assert [r.learner.name for r in rows] == ["Amy", "Zed"]
    other = LearnerFactory.create()
    second = CohortFactory.create(tutors=[people.tutor], learners=[other])
    rows = client.get(reverse("review_tutor:dashboard"), {"cohort": str(second.public_id)}).context[
        "rows"
    ]
    assert [r.learner for r in rows] == [other]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"sort": "shoe-size"}, "Choose a sort order from the list."),
        ({"cohort": str(uuid.uuid4())}, "Choose one of your cohorts."),
    ],
)
def test_bad_dashboard_choices_are_a_400_with_a_message(
    people: People, query: dict[str, str], message: str
) -> None:
    response = client_for(people.tutor).get(reverse("review_tutor:dashboard"), query)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert len(response.context["rows"]) == 2  # shown unfiltered


def test_another_tutors_cohort_cannot_be_chosen(people: People) -> None:
    response = client_for(people.tutor).get(
        reverse("review_tutor:dashboard"), {"cohort": str(people.other_cohort.public_id)}
    )
    assert response.status_code == 400
    assert people.outsider not in [r.learner for r in response.context["rows"]]


def test_reviewed_up_to_here_resets_the_new_since_review_count(people: People) -> None:
    item = link(people.learner)
    Artefact.objects.filter(pk=item.pk).update(created_at=timezone.now() - timedelta(minutes=5))
    reflection(people.learner)
    client = client_for(people.tutor)

    def new_count() -> int:
        rows = client.get(reverse("review_tutor:dashboard")).context["rows"]
        return next(r.new_since_review for r in rows if r.learner == people.learner)

    assert new_count() == 2
    response = client.post(reverse("review_tutor:review_mark", args=[people.learner.public_id]))
    assert response.status_code == 302
    assert new_count() == 0
    page = client.get(learner_url(people.learner)).content.decode()
    assert "You last marked this portfolio reviewed on" in page


def _fill_cohort(people: People, learners: int) -> None:
    extra = LearnerFactory.create_batch(learners - 2)
    people.cohort.learners.add(*extra)
    for learner in [people.learner, people.classmate, *extra][:learners]:
        link(learner)
        services.thread_start(author=people.tutor, learner=learner, body="Hi")


@pytest.mark.parametrize("learners", [5, 100])
def test_the_dashboard_runs_a_fixed_number_of_queries(
    people: People, django_assert_num_queries, learners: int
) -> None:
    _fill_cohort(people, learners)
    client = client_for(people.tutor)
    # session, user, the tutor's cohorts, the rows
    with django_assert_num_queries(4):
        response = client.get(reverse("review_tutor:dashboard"))
    assert len(response.context["rows"]) == learners


# --- learner review page --------------------------------------------------------------


def test_the_review_page_shows_threads_plan_and_the_timeline_link(people: People) -> None:
    thread = _thread(people, "Look at **this**")
    services.goal_create(learner=people.learner, title="Finish unit 2", created_by=people.learner)
    response = client_for(people.tutor).get(learner_url(people.learner))
    html = response.content.decode()
    assert "<strong>this</strong>" in html
    assert "Finish unit 2" in html
    assert reverse("portfolio:formative_learner", args=[people.learner.public_id]) in html
    assert reverse("review_tutor:reply", args=[thread.public_id]) in html
    assert html.count("<h1") == 1
    # The footer speaks to the tutor, not as if the evidence were theirs.
    assert "Your evidence is private" not in html
    assert "you see what they share with their tutors" in html
    # every textarea, input and select has a label
    for control_id in re.findall(r'<(?:textarea|select|input)[^>]*\bid="([^"]+)"', html):
        assert f'for="{control_id}"' in html, control_id


def test_the_review_page_lists_what_the_learner_asked_about(people: People) -> None:
    poster = link(people.learner, title="Poster draft")
    hidden = link(people.learner, title="Diary")
    services.feedback_request_create(learner=people.learner, target=poster, question="Too busy?")
    services.feedback_request_create(learner=people.learner, question="Am I on track?")
    services.feedback_request_create(learner=people.learner, target=hidden)
    Artefact.objects.filter(pk=hidden.pk).update(visibility="private")  # made private since
    html = client_for(people.tutor).get(learner_url(people.learner)).content.decode()
    asked = html[html.index('id="asked-heading"') : html.index('id="mark-heading"')]
    assert "Poster draft" in asked and "Too busy?" in asked
    assert "The whole portfolio" in asked and "Am I on track?" in asked
    assert "Diary" not in html

    # Feedback on the poster answers its request.
    services.thread_start(author=people.tutor, learner=people.learner, target=poster, body="Ok")
    html = client_for(people.tutor).get(learner_url(people.learner)).content.decode()
    asked = html[html.index('id="asked-heading"') : html.index('id="mark-heading"')]
    assert "Poster draft" not in asked and "Am I on track?" in asked


def test_a_script_in_feedback_is_not_rendered_as_script(people: People) -> None:
    client = client_for(people.tutor)
    client.post(
        reverse("review_tutor:feedback_start", args=[people.learner.public_id]),
        {"body": "Hi <script>alert(1)</script>"},
    )
    html = client.get(learner_url(people.learner)).content.decode()
    assert "<script>alert(1)" not in html
    assert FeedbackComment.objects.get().body_markdown.endswith("</script>")


def test_threads_on_private_items_are_not_shown(people: People) -> None:
    item = link(people.learner, title="Secret survey")
    services.thread_start(author=people.learner, learner=people.learner, target=item, body="Hm")
    Artefact.objects.filter(pk=item.pk).update(visibility="private")
    html = client_for(people.tutor).get(learner_url(people.learner)).content.decode()
    assert "Secret survey" not in html


@pytest.mark.parametrize("threads", [2, 30])
def test_the_review_page_runs_a_fixed_number_of_queries(
    people: People, django_assert_num_queries, threads: int
) -> None:
    for i in range(threads):
        thread = services.thread_start(
            author=people.tutor, learner=people.learner, target=link(people.learner), body=f"T{i}"
        )
        services.comment_reply(author=people.learner, thread=thread, body="ok")
        services.goal_create(learner=people.learner, title=f"G{i}", created_by=people.tutor)
        services.feedback_request_create(learner=people.learner, target=link(people.learner))
        services.meeting_record(
            tutor=people.tutor,
            learner=people.learner,
            held_on=date(2026, 1, 1) + timedelta(days=i),
            summary=f"Met {i}",
            next_steps=[f"S{i}"],
        )
    services.review_mark_set(tutor=people.tutor, learner=people.learner)
    client = client_for(people.tutor)
    # session, user, learner lookup, teaches, threads, comments, teaches, goals,
    # goal evidence, teaches, meetings, meeting goals, review mark, teaches, open requests
    # + 5 for the progress charts (activity per week, goals open/done)
    # + 3 for attestations (the list; the artefacts and reflections to sign off)
    with django_assert_num_queries(23):
        response = client.get(learner_url(people.learner))
    assert len(response.context["threads"]) == threads


# --- actions --------------------------------------------------------------------------


def test_feedback_marked_as_a_next_step_appears_in_the_plan(people: People) -> None:
    client = client_for(people.tutor)
    client.post(
        reverse("review_tutor:feedback_start", args=[people.learner.public_id]),
        {"body": "Add a risk assessment", "next_step": "on"},
    )
    goal = Goal.objects.get()
    assert goal.title == "Add a risk assessment" and goal.learner == people.learner
    assert "Add a risk assessment" in str(client.get(learner_url(people.learner)).context["plan"])


def test_only_tutor_comments_are_offered_as_next_steps(people: People) -> None:
    # A learner's own reply is not something their tutor sets them to do.
    thread = _thread(people, "Practise wiring")
    services.comment_reply(author=people.learner, thread=thread, body="Will do")
    tutor_comment, learner_reply = thread.comments.order_by("created_at")
    html = client_for(people.tutor).get(learner_url(people.learner)).content.decode()
    assert reverse("review_tutor:next_step", args=[tutor_comment.public_id]) in html
    assert reverse("review_tutor:next_step", args=[learner_reply.public_id]) not in html

    refused = client_for(people.tutor).post(
        reverse("review_tutor:next_step", args=[learner_reply.public_id])
    )
    assert refused.status_code == 400
    assert "Only a tutor's feedback can become a next step." in unescape(refused.content.decode())
    assert not Goal.objects.exists()


def test_making_a_comment_a_next_step_adds_a_goal(people: People) -> None:
    comment = _thread(people, "Practise wiring").comments.get()
    response = client_for(people.tutor).post(
        reverse("review_tutor:next_step", args=[comment.public_id])
    )
    assert response.status_code == 302
    assert Goal.objects.get().source_comment == comment


def test_empty_feedback_is_a_400_with_a_clear_message(people: People) -> None:
    response = client_for(people.tutor).post(
        reverse("review_tutor:feedback_start", args=[people.learner.public_id]),
        {"body": "   ", "next_step": "on"},
    )
    assert response.status_code == 400
    assert "Write your feedback before sending it." in response.content.decode()
    assert not FeedbackThread.objects.exists()


def test_an_empty_reply_keeps_the_page_and_says_why(people: People) -> None:
    thread = _thread(people)
    response = client_for(people.tutor).post(
        reverse("review_tutor:reply", args=[thread.public_id]), {"body": ""}
    )
    assert response.status_code == 400
    assert "Write your feedback before sending it." in response.content.decode()
    assert thread.comments.count() == 1


def test_a_reply_and_addressed_and_reopen(people: People) -> None:
    thread = _thread(people)
    client = client_for(people.tutor)
    client.post(reverse("review_tutor:reply", args=[thread.public_id]), {"body": "More"})
    assert thread.comments.count() == 2
    client.post(reverse("review_tutor:addressed", args=[thread.public_id]), {"addressed": "1"})
    thread.refresh_from_db()
    assert not thread.is_open
    client.post(reverse("review_tutor:addressed", args=[thread.public_id]), {"addressed": "0"})
    thread.refresh_from_db()
    assert thread.is_open
    bad = client.post(
        reverse("review_tutor:addressed", args=[thread.public_id]), {"addressed": "x"}
    )
    assert bad.status_code == 400


def test_a_meeting_records_goals_from_each_line(people: People) -> None:
    response = client_for(people.tutor).post(
        reverse("review_tutor:meeting", args=[people.learner.public_id]),
        {"held_on": "2025-03-01", "summary": "We met", "next_steps": "Finish unit 2\n\nBook it\n"},
    )
    assert response.status_code == 302
    meeting = ReviewMeeting.objects.get()
    assert sorted(g.title for g in meeting.goals.all()) == ["Book it", "Finish unit 2"]


def test_a_meeting_without_a_date_is_a_400(people: People) -> None:
    response = client_for(people.tutor).post(
        reverse("review_tutor:meeting", args=[people.learner.public_id]),
        {"held_on": "", "summary": "We met"},
    )
    assert response.status_code == 400
    assert "Give the date of the meeting." in response.content.decode()
    assert "We met" in response.content.decode()  # nothing lost
    assert not ReviewMeeting.objects.exists()


def test_item_feedback_starts_a_thread_on_the_item(people: People) -> None:
    item = reflection(people.learner)
    response = client_for(people.tutor).post(
        reverse("review_tutor:item_feedback"),
        {"target": f"reflection:{item.public_id}", "body": "Deeper, please", "next_step": "on"},
    )
    assert response["Location"] == learner_url(people.learner)
    thread = FeedbackThread.objects.get()
    assert thread.reflection == item and Goal.objects.count() == 1


def test_item_feedback_on_a_private_item_is_a_404(people: People) -> None:
    item = link(people.learner, visibility="private")
    response = client_for(people.tutor).post(
        reverse("review_tutor:item_feedback"),
        {"target": f"artefact:{item.public_id}", "body": "Peek"},
    )
    assert response.status_code == 404
    assert not FeedbackThread.objects.exists()


@pytest.mark.parametrize("target", ["", "essay:123", "artefact:not-a-uuid"])
def test_item_feedback_with_a_bad_target_is_a_400(people: People, target: str) -> None:
    response = client_for(people.tutor).post(
        reverse("review_tutor:item_feedback"), {"target": target, "body": "x"}
    )
    assert response.status_code == 400


def test_item_feedback_without_a_body_is_a_400(people: People) -> None:
    item = link(people.learner)
    response = client_for(people.tutor).post(
        reverse("review_tutor:item_feedback"), {"target": f"artefact:{item.public_id}"}
    )
    assert response.status_code == 400
    assert "Write your feedback before sending it." in response.content.decode()


@pytest.mark.parametrize(
    ("next_path", "expected"),
    [
        ("/some/page/?x=1", "/some/page/?x=1"),
        ("https://evil.example/", None),
        ("//evil.example/", None),
    ],
)
def test_item_feedback_only_follows_a_safe_next(
    people: People, next_path: str, expected: str | None
) -> None:
    item = link(people.learner)
    response = client_for(people.tutor).post(
        reverse("review_tutor:item_feedback"),
        {"target": f"artefact:{item.public_id}", "body": "Nice", "next": next_path},
    )
    assert response["Location"] == (expected or learner_url(people.learner))


def test_a_reply_on_a_thread_about_an_item_made_private_is_refused(people: People) -> None:
    item = link(people.learner)
    thread = services.thread_start(
        author=people.tutor, learner=people.learner, target=item, body="Hi"
    )
    Artefact.objects.filter(pk=item.pk).update(visibility="private")
    response = client_for(people.tutor).post(
        reverse("review_tutor:reply", args=[thread.public_id]), {"body": "More"}
    )
    assert response.status_code == 403
    assert thread.comments.count() == 1
