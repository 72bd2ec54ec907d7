"""The learner's tutor-review pages: inbox and notifications, replies, "addressed",
asking for feedback, the learning plan, email preferences, and feedback shown on the
formative timeline."""

import re
import uuid

import pytest
from django.http.response import HttpResponseBase
from django.test import Client
from django.urls import reverse

from accounts.models import User
from artefacts.models import Artefact
from artefacts.services import Details, artefact_create_text
from core.models import Visibility
from portfolio.models import (
    FeedbackRequest,
    FeedbackThread,
    Goal,
    Notification,
    NotificationKind,
    NotificationPreference,
)
from portfolio.review import services
from tests.conftest import People

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _review_urls(settings) -> None:
    settings.ROOT_URLCONF = "tests.portfolio.review.urls_learner_test"


def _artefact(owner: User, title: str = "Poster", *, private: bool = False) -> Artefact:
    visibility = Visibility.PRIVATE if private else Visibility.TUTORS
    return artefact_create_text(
        owner=owner, body_markdown="text", details=Details(title=title, visibility=visibility)
    )


def _page(response: HttpResponseBase) -> str:
    """The page as a person sees it (each response carries a fresh CSRF token)."""
    html = response.content.decode()  # type: ignore[attr-defined]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def _client(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


@pytest.fixture
def thread(people: People) -> FeedbackThread:
    return services.thread_start(
        author=people.tutor,
        learner=people.learner,
        target=_artefact(people.learner),
        body="Nice **work**",
    )


# --- access ------------------------------------------------------------------------

GET_PAGES = ["review:inbox", "review:notifications", "review:plan", "review:preferences"]
POST_PAGES = ["review:ask", "review:goal_add", "review:notifications_read"]


@pytest.mark.parametrize("name", GET_PAGES)
def test_a_learner_can_open_each_page(client: Client, people: People, name: str) -> None:
    response = _client(client, people.learner).get(reverse(name))
    assert response.status_code == 200
    assert response.content.count(b"<h1") == 1


@pytest.mark.parametrize("name", GET_PAGES + POST_PAGES)
@pytest.mark.parametrize("role", ["tutor", "admin"])
def test_tutors_and_admins_are_refused(
    client: Client, people: People, name: str, role: str
) -> None:
    c = _client(client, getattr(people, role))
    assert c.get(reverse(name)).status_code == 403
    assert c.post(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", GET_PAGES + POST_PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(client: Client, db: None, name: str) -> None:
    response = client.get(reverse(name))
    assert response.status_code == 302 and "login" in response["Location"]


# Tutors and admins are refused for their role (403) before any lookup; another learner
# gets the 404 a made-up id gets, so nobody learns which ids exist.
REFUSED = {"tutor": 403, "admin": 403, "classmate": 404}


@pytest.mark.parametrize("name", ["review:reply", "review:addressed"])
@pytest.mark.parametrize("role", ["tutor", "admin", "classmate"])
def test_thread_actions_are_refused_to_others(
    client: Client, people: People, thread: FeedbackThread, name: str, role: str
) -> None:
    url = reverse(name, args=[thread.public_id])
    response = _client(client, getattr(people, role)).post(url, {"body": "hi"})
    assert response.status_code == REFUSED[role]
    assert thread.comments.count() == 1


@pytest.mark.parametrize("name", ["review:goal_status", "review:goal_evidence"])
@pytest.mark.parametrize("role", ["tutor", "admin", "classmate"])
def test_goal_actions_are_refused_to_others(
    client: Client, people: People, name: str, role: str
) -> None:
    goal = services.goal_create(learner=people.learner, title="Read", created_by=people.learner)
    url = reverse(name, args=[goal.public_id])
    response = _client(client, getattr(people, role)).post(url, {"status": "done"})
    assert response.status_code == REFUSED[role]
    goal.refresh_from_db()
    assert goal.status == Goal.Status.OPEN


@pytest.mark.parametrize(
    "name", ["review:reply", "review:addressed", "review:goal_status", "review:goal_evidence"]
)
def test_someone_elses_thread_or_goal_answers_as_one_that_does_not_exist(
    client: Client, people: People, thread: FeedbackThread, name: str
) -> None:
    goal = services.goal_create(learner=people.learner, title="Read", created_by=people.learner)
    theirs = thread.public_id if "goal" not in name else goal.public_id
    c = _client(client, people.classmate)
    data = {"body": "hi", "status": "done"}
    not_theirs = c.post(reverse(name, args=[theirs]), data)
    unknown = c.post(reverse(name, args=[uuid.uuid4()]), data)
    assert not_theirs.status_code == unknown.status_code == 404
    assert _page(not_theirs) == _page(unknown)


# --- inbox -------------------------------------------------------------------------


def test_the_inbox_shows_threads_and_filters_by_status(
    client: Client, people: People, thread: FeedbackThread
) -> None:
    c = _client(client, people.learner)
    page = c.get(reverse("review:inbox")).content.decode()
    assert "Nice <strong>work</strong>" in page and people.tutor.display_name in page
    body = "Nice <strong>work</strong>"
    assert body in c.get(reverse("review:inbox") + "?status=open").content.decode()
    assert body not in c.get(reverse("review:inbox") + "?status=addressed").content.decode()
    assert c.get(reverse("review:inbox") + "?status=bogus").status_code == 400


def test_the_inbox_runs_a_fixed_number_of_queries(
    client: Client, people: People, django_assert_max_num_queries
) -> None:
    c = _client(client, people.learner)
    for i in range(2):
        services.thread_start(author=people.tutor, learner=people.learner, body=f"a{i}")
    with django_assert_max_num_queries(8) as few:
        c.get(reverse("review:inbox"))
    for _i in range(10):
        services.thread_start(
            author=people.tutor, learner=people.learner, target=_artefact(people.learner), body="b"
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        c.get(reverse("review:inbox"))


def test_a_learner_replies_and_marks_addressed(
    client: Client, people: People, thread: FeedbackThread
) -> None:
    c = _client(client, people.learner)
    response = c.post(reverse("review:reply", args=[thread.public_id]), {"body": "Thanks!"})
    assert response.status_code == 302
    assert [x.body_markdown for x in thread.comments.all()] == ["Nice **work**", "Thanks!"]
    c.post(reverse("review:addressed", args=[thread.public_id]), {"addressed": "1"})
    thread.refresh_from_db()
    assert thread.status == FeedbackThread.Status.ADDRESSED
    c.post(reverse("review:addressed", args=[thread.public_id]), {"addressed": "0"})
    thread.refresh_from_db()
    assert thread.is_open


def test_an_empty_reply_is_a_400_with_a_message(
    client: Client, people: People, thread: FeedbackThread
) -> None:
    url = reverse("review:reply", args=[thread.public_id])
    response = _client(client, people.learner).post(url, {"body": "  "})
    assert response.status_code == 400
    assert "Write a comment first." in response.content.decode()


def test_mark_all_notifications_read(
    client: Client, people: People, thread: FeedbackThread
) -> None:
    c = _client(client, people.learner)
    assert "1 unread" in c.get(reverse("review:inbox")).content.decode()
    response = c.post(reverse("review:notifications_read"))
    assert response.status_code == 302
    assert not Notification.objects.filter(recipient=people.learner, read_at=None).exists()
    assert "0 unread" in c.get(reverse("review:notifications")).content.decode()


# --- ask -----------------------------------------------------------------------------


def test_a_learner_asks_for_feedback_on_an_item(client: Client, people: People) -> None:
    artefact = _artefact(people.learner)
    response = _client(client, people.learner).post(
        reverse("review:ask"), {"target": f"artefact:{artefact.public_id}", "question": "OK?"}
    )
    assert response.status_code == 302
    request = FeedbackRequest.objects.get()
    assert request.artefact == artefact and request.question == "OK?"


def test_asking_from_the_timeline_goes_back_there_and_says_what_was_asked(
    client: Client, people: People
) -> None:
    artefact = _artefact(people.learner)
    response = _client(client, people.learner).post(
        reverse("review:ask"),
        {"target": f"artefact:{artefact.public_id}", "next": "/formative/?group_by=month"},
        follow=True,
    )
    assert response.redirect_chain == [("/formative/?group_by=month", 302)]
    assert f"Your tutors have been asked about “{artefact.title}”." in response.content.decode()


def test_the_timeline_shows_an_item_is_waiting_for_feedback_until_it_is_given(
    client: Client, people: People
) -> None:
    artefact = _artefact(people.learner, "Poster")
    services.feedback_request_create(learner=people.learner, target=artefact, question="Clear?")
    own = _client(client, people.learner).get(reverse("portfolio:formative")).content.decode()
    assert "Feedback asked for" in own
    assert "Ask my tutor about this" not in own  # for its only item

    tutor_view = reverse("portfolio:formative_learner", args=[people.learner.public_id])
    seen = _client(Client(), people.tutor).get(tutor_view).content.decode()
    assert "Asked for feedback" in seen and "“Clear?”" in seen

    services.thread_start(author=people.tutor, learner=people.learner, target=artefact, body="Yes")
    own = _client(client, people.learner).get(reverse("portfolio:formative")).content.decode()
    assert "Feedback asked for" not in own and "Ask my tutor about this" in own


def test_asking_about_the_whole_portfolio(client: Client, people: People) -> None:
    response = _client(client, people.learner).post(
        reverse("review:ask"), {"question": ""}, follow=True
    )
    assert FeedbackRequest.objects.get().target is None
    assert response.redirect_chain == [(reverse("review:inbox"), 302)]
    assert (
        "Your tutors have been asked for feedback on your portfolio." in response.content.decode()
    )


def test_asking_about_a_private_item_is_refused(client: Client, people: People) -> None:
    artefact = _artefact(people.learner, private=True)
    response = _client(client, people.learner).post(
        reverse("review:ask"), {"target": f"artefact:{artefact.public_id}"}
    )
    assert response.status_code == 400
    assert "Share this item with your tutors" in response.content.decode()
    assert not FeedbackRequest.objects.exists()


@pytest.mark.parametrize("ref", ["artefact:nope", "thing:1", "classmate"])
def test_asking_about_a_bad_or_foreign_item_is_refused(
    client: Client, people: People, ref: str
) -> None:
    if ref == "classmate":
        ref = f"artefact:{_artefact(people.classmate).public_id}"
    response = _client(client, people.learner).post(reverse("review:ask"), {"target": ref})
    assert response.status_code == 400
    assert not FeedbackRequest.objects.exists()


# --- plan ----------------------------------------------------------------------------


def test_a_learner_adds_a_goal_changes_its_status_and_links_evidence(
    client: Client, people: People
) -> None:
    c = _client(client, people.learner)
    c.post(reverse("review:goal_add"), {"title": "Finish the poster", "due_on": "2030-01-31"})
    goal = Goal.objects.get()
    assert goal.created_by == people.learner and str(goal.due_on) == "2030-01-31"
    c.post(reverse("review:goal_status", args=[goal.public_id]), {"status": "done"})
    goal.refresh_from_db()
    assert goal.status == Goal.Status.DONE
    artefact = _artefact(people.learner)
    c.post(
        reverse("review:goal_evidence", args=[goal.public_id]), {"artefact": [artefact.public_id]}
    )
    assert list(goal.evidence.all()) == [artefact]
    page = c.get(reverse("review:plan")).content.decode()
    assert "Finish the poster" in page and "0 open, 1 done" in page and "Added by you" in page


def test_bad_goal_input_is_a_400_with_a_message(client: Client, people: People) -> None:
    c = _client(client, people.learner)
    response = c.post(reverse("review:goal_add"), {"title": " "})
    assert response.status_code == 400 and "Give the goal a title." in response.content.decode()
    response = c.post(reverse("review:goal_add"), {"title": "x", "due_on": "soon"})
    assert response.status_code == 400
    goal = services.goal_create(learner=people.learner, title="Read", created_by=people.learner)
    response = c.post(reverse("review:goal_status", args=[goal.public_id]), {"status": "meh"})
    assert response.status_code == 400
    assert not Goal.objects.filter(title="x").exists()


def test_linking_another_learners_artefact_is_refused_as_if_it_did_not_exist(
    client: Client, people: People
) -> None:
    goal = services.goal_create(learner=people.learner, title="Read", created_by=people.learner)
    url = reverse("review:goal_evidence", args=[goal.public_id])
    c = _client(client, people.learner)
    theirs = c.post(url, {"artefact": [_artefact(people.classmate).public_id]})
    unknown = c.post(url, {"artefact": [str(uuid.uuid4())]})
    assert theirs.status_code == unknown.status_code == 400
    assert _page(theirs) == _page(unknown)
    assert "Some of that evidence is not in your portfolio." in theirs.content.decode()
    assert not goal.evidence.exists()


# --- preferences ---------------------------------------------------------------------


def test_preferences_are_saved(client: Client, people: People) -> None:
    c = _client(client, people.learner)
    response = c.post(reverse("review:preferences"), {"email": [NotificationKind.GOAL]})
    assert response.status_code == 302
    saved = dict(
        NotificationPreference.objects.filter(user=people.learner).values_list("kind", "email")
    )
    assert saved[NotificationKind.GOAL] is True and saved[NotificationKind.FEEDBACK] is False
    page = c.get(reverse("review:preferences")).content.decode()
    assert 'value="goal" id="email-goal" checked' in page
    assert 'value="feedback" id="email-feedback">' in page
    assert c.post(reverse("review:preferences"), {"email": ["spam"]}).status_code == 400


# --- feedback on the formative timeline -------------------------------------------


def test_the_timeline_shows_threads_with_reply_controls_to_the_learner(
    client: Client, people: People, thread: FeedbackThread
) -> None:
    page = _client(client, people.learner).get(reverse("portfolio:formative")).content.decode()
    assert "Nice <strong>work</strong>" in page
    assert reverse("review:reply", args=[thread.public_id]) in page


def test_the_timeline_shows_threads_read_only_to_the_tutor(
    client: Client, people: People, thread: FeedbackThread
) -> None:
    url = reverse("portfolio:formative_learner", args=[people.learner.public_id])
    page = _client(client, people.tutor).get(url).content.decode()
    assert "Nice <strong>work</strong>" in page
    assert reverse("review:reply", args=[thread.public_id]) not in page


@pytest.mark.parametrize("items", [3, 30])
def test_the_timeline_with_feedback_runs_a_fixed_number_of_queries(
    client: Client, people: People, django_assert_max_num_queries, items: int
) -> None:
    for i in range(items):
        services.thread_start(
            author=people.tutor,
            learner=people.learner,
            target=_artefact(people.learner, f"A{i}"),
            body=f"feedback {i}",
        )
    c = _client(client, people.learner)
    # the timeline's own 11, and one for the feedback of every item on the page
    with django_assert_max_num_queries(12):
        page = c.get(reverse("portfolio:formative")).content.decode()
    assert page.count("feedback-thread card") == items
