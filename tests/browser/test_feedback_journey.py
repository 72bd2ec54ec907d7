"""Feedback where the learner looks, and signing up from the email, in a real browser.

A tutor gives feedback on a learner's evidence page itself; the learner sees the unread
count in the navigation, follows "New feedback" from the dashboard to that page, reads
and replies there and marks it addressed, and the count goes. A new person signs up,
asks for a new link, follows the one in the email and lands signed in."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from portfolio.models import FeedbackThread
from tests.browser.journey import Journey
from tests.factories import PASSWORD, CohortFactory, LearnerFactory, TutorFactory
from tests.portfolio.review.test_permissions import link

pytestmark = pytest.mark.django_db(transaction=True)

FEEDBACK = "Add the **contrast ratios** you checked. Then say who the poster is for."
REPLY = "Added them, with the checker I used."


class TestFeedbackOnTheEvidencePage:
    def test_tutor_gives_it_there_and_the_learner_answers_there(self, journey: Journey) -> None:
        tutor_account = TutorFactory.create(name="Tom Tutor")
        learner_account = LearnerFactory.create(name="Lena Learner")
        CohortFactory.create(tutors=[tutor_account], learners=[learner_account])
        item = link(learner_account, title="Poster: accessible web forms")
        evidence = item.get_absolute_url()

        tutor = journey.person("tutor")
        tutor.log_in(tutor_account.email, PASSWORD)
        tutor.check("review-dashboard")
        tutor.open(evidence, "evidence-for-tutor")
        feedback = tutor.page.locator("#feedback")
        expect(feedback).to_contain_text("No feedback on this yet.")
        # Sending nothing is refused with a message, nothing saved.
        feedback.get_by_role("button", name="Send feedback").click()
        expect(tutor.page.locator("#errors")).to_contain_text(
            "Write your feedback before sending it."
        )
        tutor.check("empty-feedback-refused")
        assert not FeedbackThread.objects.exists()
        tutor.open(evidence, "evidence-for-tutor-again")
        feedback = tutor.page.locator("#feedback")
        feedback.get_by_label("Feedback").fill(FEEDBACK)
        feedback.get_by_role("button", name="Send feedback").click()
        expect(tutor.page.locator(".messages")).to_contain_text("Your feedback was sent.")
        assert tutor.path == evidence
        thread = tutor.page.locator("#feedback .feedback-thread")
        expect(thread.locator("strong", has_text="contrast ratios")).to_be_visible()
        # The next step is named by the first sentence, and can be edited first.
        thread.locator("summary", has_text="Make this a next step").click()
        expect(thread.get_by_label("Goal in the learner's plan")).to_have_value(
            "Add the contrast ratios you checked."
        )
        tutor.check("feedback-given-in-place")

        learner = journey.person("learner")
        page = learner.page
        learner.log_in(learner_account.email, PASSWORD)
        nav = page.get_by_role("navigation", name="Main")
        expect(nav.get_by_test_id("unread-count")).to_have_text(re.compile(r"^1"))
        news = page.get_by_role("region", name="New feedback")
        expect(news).to_contain_text("Tom Tutor left feedback")
        learner.check("dashboard-with-news")
        news.get_by_role("link", name=re.compile("Tom Tutor left feedback")).click()
        assert learner.path == evidence
        thread = page.locator("#feedback .feedback-thread")
        expect(thread.locator("strong", has_text="contrast ratios")).to_be_visible()
        learner.check("feedback-on-evidence")

        thread.get_by_label("Your reply").fill(REPLY)
        thread.get_by_role("button", name="Send reply").click()
        assert learner.path == evidence
        thread = page.locator("#feedback .feedback-thread")
        expect(thread.locator(".feedback-comment").last).to_contain_text(REPLY)
        thread.get_by_role("button", name="Mark addressed").click()
        thread = page.locator("#feedback .feedback-thread")
        expect(thread.get_by_role("button", name="Reopen")).to_be_visible()
        expect(nav.get_by_test_id("unread-count")).to_have_count(0)
        learner.check("feedback-addressed")
        assert FeedbackThread.objects.get().status == "addressed"


class TestANewPerson:
    def test_confirms_from_the_email_and_lands_signed_in(self, journey: Journey) -> None:
        email = "nia.newcomer@example.org"
        person = journey.person("newcomer")
        page = person.page
        person.open("/accounts/signup/", "sign-up")
        page.get_by_label("Your name").fill("Nia Newcomer")
        page.get_by_label("Email").fill(email)
        page.get_by_label(re.compile(r"^Password \(required\)")).fill("a-long-unusual-passphrase")
        page.get_by_label("Password (again)").fill("a-long-unusual-passphrase")
        page.locator("main form").get_by_role("button", name="Sign up").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
        person.check("verification-sent")

        # A new link straight away is refused by allauth's cooldown, with a message.
        page.get_by_role("button", name="Send a new link").click()
        expect(page.locator(".messages")).to_contain_text("Wait a few minutes")
        person.check("new-link-too-soon")

        (message,) = [m for m in mail.outbox if m.to == [email]]
        assert message.subject == "Confirm your email address for Learner Portfolio"
        found = re.search(r"https?://\S+/accounts/confirm-email/\S+", str(message.body))
        assert found and found.group().startswith(journey.base_url.rstrip("/"))
        page.goto(found.group())
        person.check("confirm-email")
        page.locator("main form").get_by_role("button", name="Confirm").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Nia Newcomer")
        expect(page.get_by_role("navigation", name="Main")).to_contain_text("Sign out")
        person.check("signed-in-after-confirming")
