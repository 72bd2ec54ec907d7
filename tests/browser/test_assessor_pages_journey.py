"""A learner submits an APEL claim to a named assessor by email; the assessor opens the
emailed link in a browser of their own (no account), reads the evidence, records a
judgement of each outcome by keyboard (one refused first: "partly" without saying what
is missing), opens a badge's details, and gives the overall recommendation; the
learner, emailed, sees the judgements on their claim."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from portfolio.models import Claim, ClaimState
from tests.browser.journey import Journey, Person
from tests.factories import PASSWORD, LearnerFactory
from tests.portfolio.apel.assessor_data import draft_with, evidence_of

pytestmark = pytest.mark.django_db(transaction=True)


def judge_by_keyboard(assessor: Person, code: str, choice: str, comment: str = "") -> None:
    """Tab to the outcome's judgements (the chosen one, or the first), arrow to `choice`,
    type the comment, and press Enter on "Save judgement"."""
    page = assessor.page
    section = page.locator(f"#outcome-{code}")
    radios = section.get_by_role("radio")
    values = [radios.nth(n).get_attribute("value") for n in range(radios.count())]
    checked = [n for n in range(radios.count()) if radios.nth(n).is_checked()]
    start = checked[0] if checked else 0
    assessor.tab_to(radios.nth(start), limit=200)
    if not checked:
        assessor.press("Space")
    steps = values.index(choice) - start
    for _n in range(abs(steps)):
        assessor.press("ArrowDown" if steps > 0 else "ArrowUp")
    expect(section.locator(f"input[value='{choice}']")).to_be_checked()
    assessor.tab_to(section.get_by_label("Comment"))
    assessor.press("Control+A")
    assessor.type(comment) if comment else assessor.press("Delete")
    assessor.tab_to(section.get_by_role("button", name=re.compile("Save judgement")))
    assessor.press_and_load()


class TestAnAssessorByLink:
    def test_judges_every_outcome_by_keyboard_and_the_learner_sees_it(
        self, journey: Journey
    ) -> None:
        account = LearnerFactory.create(name="Lena Learner")
        claim = draft_with(account, evidence_of(account))
        Claim.objects.filter(pk=claim.pk).update(title="Recognition of my placement")

        learner = journey.person("learner")
        page = learner.page
        learner.log_in(account.email, PASSWORD)
        learner.check("dashboard")
        learner.open(f"/apel/claims/{claim.public_id}/submit/", "submit")
        expect(page.get_by_test_id("gaps-warning")).to_contain_text("1 outcome has no evidence")
        page.get_by_label("Their name").fill("Grace Hopper")
        page.get_by_label("Their email address").fill("grace@navy.test")
        with page.expect_navigation():
            page.get_by_role("button", name="Submit the claim").click()
        expect(page.locator("main")).to_contain_text("Confirm the declaration of authenticity")
        learner.check("submit-without-declaration")
        page.get_by_label("I confirm this declaration").check()
        with page.expect_navigation():
            page.get_by_role("button", name="Submit the claim").click()
        expect(page.locator("main")).to_contain_text("sent to Grace Hopper")
        learner.check("claim-submitted")

        (message,) = [m for m in mail.outbox if m.to == ["grace@navy.test"]]
        found = re.search(r"https?://\S+/apel/assess/[\w-]+/", str(message.body))
        assert found, message.body

        assessor = journey.person("assessor")
        view = assessor.page
        view.goto(found.group(0))
        expect(view.get_by_role("heading", level=1)).to_contain_text("Recognition of my placement")
        expect(view.locator("main")).to_contain_text("Confirmed by Lena Learner")
        expect(view.locator("main")).to_contain_text("I learned to plan ahead.")
        assessor.check("claim")

        judge_by_keyboard(assessor, "LO1", "meets")
        expect(view.locator("main")).to_contain_text("Your judgement of LO1 is saved.")
        assessor.check("judged-LO1")
        judge_by_keyboard(assessor, "LO2", "partly")
        problem = view.get_by_test_id("problem")
        expect(problem).to_contain_text("Say what is missing")
        expect(problem).to_be_focused()  # the refusal is where focus starts
        assessor.check("judge-refused")
        assessor.tab_to(problem.get_by_role("link", name="Go to the form"))
        assessor.press("Enter")
        expect(view.locator("#outcome-LO2")).to_be_focused()
        judge_by_keyboard(assessor, "LO2", "partly", "Add a dated log of the placement.")
        expect(view.locator("main")).to_contain_text("Your judgement of LO2 is saved.")
        judge_by_keyboard(assessor, "LO3", "not_yet", "No evidence for this outcome yet.")
        expect(view.get_by_test_id("progress")).to_contain_text("3 of 3 outcomes judged")
        assessor.check("judged-all")

        view.get_by_role("link", name=re.compile("Details and verification of")).click()
        view.wait_for_url(re.compile(r"/badges/"))
        expect(view.locator("main")).to_contain_text("Verification")
        assessor.check("badge")
        with view.expect_navigation():
            view.get_by_role("link", name=re.compile("Back to")).click()

        form = view.locator("#recommendation")
        assessor.tab_to(form.get_by_role("radio").first, limit=300)
        assessor.press("Space")
        assessor.press("ArrowDown")
        assessor.tab_to(form.get_by_label("Comment to the learner"))
        assessor.type("Award LO1 and LO2; show LO3 at work.")
        assessor.tab_to(form.get_by_role("button", name="Save recommendation"))
        assessor.press_and_load()
        expect(view.locator("main")).to_contain_text("the learner has been told")
        assessor.check("recommended")

        claim.refresh_from_db()
        assert claim.state == ClaimState.ASSESSED and claim.recommendation == "partial"
        (told,) = [m for m in mail.outbox if m.to == [account.email]]
        assert "has been assessed" in told.subject
        learner.open(claim.get_absolute_url(), "claim-assessed")
        expect(page.locator("main")).to_contain_text("Add a dated log of the placement.")
        expect(page.locator("main")).to_contain_text("Award part of the credit")
