"""A learner asks for feedback; their tutor gives it, as a next step, on the formative
timeline; the learner finds it in place, finds the goal in their plan, replies, and marks
it addressed. Both in a real browser, each in their own."""

import re

import pytest
from playwright.sync_api import expect

from portfolio.models import FeedbackThread, Goal
from tests.browser.journey import Journey
from tests.factories import PASSWORD, CohortFactory, LearnerFactory, TutorFactory
from tests.portfolio.showcase_data import image_artefact, reflection

pytestmark = pytest.mark.django_db(transaction=True)

FEEDBACK = "Good start. Add **what you changed** after the test, with a before/after picture."
REPLY = "Thanks: I will add the redesigned screen this week."


class TestATutor:
    def test_gives_feedback_as_a_next_step_that_the_learner_acts_on(self, journey: Journey) -> None:
        tutor_account = TutorFactory.create(name="Tom Tutor")
        learner_account = LearnerFactory.create(name="Leo Learner")
        CohortFactory.create(
            name="UX 2026",
            tutors=[tutor_account],
            learners=[learner_account, LearnerFactory.create()],
        )
        image_artefact(learner_account, title="Prototype on paper")
        reflection(learner_account, title="What the usability test taught me")

        learner = journey.person("learner")
        learner.log_in(learner_account.email, PASSWORD)
        learner.check("dashboard")
        learner.page.get_by_role("navigation").get_by_role(
            "link", name="Formative portfolio"
        ).click()
        learner.check("formative")
        item = learner.page.locator(".timeline-item", has_text="What the usability test taught me")
        item.get_by_role("button", name="Ask my tutor about this").click()
        expect(learner.page.locator(".messages")).to_contain_text(
            "Your tutors have been asked about “What the usability test taught me”."
        )
        assert learner.path == "/formative/"  # back where they were
        item = learner.page.locator(".timeline-item", has_text="What the usability test taught me")
        expect(item).to_contain_text("Feedback asked for")
        learner.check("asked")

        tutor = journey.person("tutor")
        page = tutor.page
        tutor.log_in(tutor_account.email, PASSWORD)
        expect(page.get_by_role("heading", level=1)).to_have_text("Tutor review")
        row = page.get_by_role("row", name=re.compile("Leo Learner"))
        expect(row).to_contain_text("Asked for feedback")
        expect(page.get_by_role("row").nth(1)).to_contain_text("Leo Learner")  # askers first
        tutor.check("review-dashboard")
        row.get_by_role("link", name="Leo Learner").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Review of Leo Learner")
        asked = page.get_by_role("region", name="Asked for feedback")
        expect(asked.get_by_role("link")).to_have_text(["What the usability test taught me"])
        tutor.check("learner-review")
        page.get_by_role("link", name="Open the formative portfolio timeline").click()
        tutor.check("formative")
        item = page.locator(".timeline-item", has_text="What the usability test taught me")
        expect(item).to_contain_text("Asked for feedback")
        item.locator("summary", has_text="Leave feedback on this").click()
        item.get_by_label("Your feedback").fill(FEEDBACK)
        item.get_by_label("Make it a next step in the learner's plan").check()
        item.get_by_role("button", name="Send feedback").click()
        expect(page.locator(".messages")).to_contain_text("Your feedback was sent.")
        item = page.locator(".timeline-item", has_text="What the usability test taught me")
        expect(item.locator(".feedback-comment")).to_contain_text(
            "Good start. Add what you changed"
        )
        tutor.check("feedback-sent")

        thread = FeedbackThread.objects.get(learner=learner_account)
        goal = Goal.objects.get(learner=learner_account)
        assert thread.is_open and goal.title

        # The learner finds the feedback where the work is, and the goal in their plan.
        page = learner.page
        page.get_by_role("navigation").get_by_role("link", name="Formative portfolio").click()
        item = page.locator(".timeline-item", has_text="What the usability test taught me")
        feedback = item.locator(".feedback-thread")
        expect(feedback).to_contain_text("Tom Tutor")
        expect(feedback.locator("strong", has_text="what you changed")).to_be_visible()
        learner.check("feedback-in-place")
        page.get_by_role("navigation").get_by_role("link", name="Plan").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Learning plan")
        expect(page.locator("main")).to_contain_text(goal.title)
        learner.check("plan")

        page.get_by_role("navigation").get_by_role("link", name="Formative portfolio").click()
        item = page.locator(".timeline-item", has_text="What the usability test taught me")
        item.get_by_label("Your reply").fill(REPLY)
        item.get_by_role("button", name="Send reply").click()
        item = page.locator(".timeline-item", has_text="What the usability test taught me")
        expect(item.locator(".feedback-comment").last).to_contain_text(REPLY)
        item.get_by_role("button", name="Mark addressed").click()
        item = page.locator(".timeline-item", has_text="What the usability test taught me")
        expect(item.locator(".feedback-thread .pill")).to_have_text("Addressed")
        expect(item.get_by_role("button", name="Mark addressed")).to_have_count(0)
        learner.check("addressed")

        thread.refresh_from_db()
        assert not thread.is_open
        assert [c.body_markdown for c in thread.comments.order_by("created_at")] == [
            FEEDBACK,
            REPLY,
        ]

        # The tutor sees the reply and that it was addressed.
        tutor.open(f"/review/tutor/learners/{learner_account.public_id}/", "learner-review-after")
        expect(tutor.page.locator("main")).to_contain_text(REPLY)
        expect(tutor.page.locator("main")).to_contain_text("Addressed")
