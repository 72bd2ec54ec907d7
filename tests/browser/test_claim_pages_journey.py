"""A learner builds an APEL claim with the keyboard: starts it from a programme, maps
evidence through the picker (from the library and from a showcase), accepts a suggested
badge, justifies an outcome, declares a badge's study hours; once the claim has been
submitted and assessed, reads the judgements and starts a new version. Every page is
checked with axe at 1280 and 360 px."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from portfolio.apel import services
from portfolio.models import Claim, ClaimState, Judgement, Recommendation
from tests.browser.journey import Journey
from tests.factories import PASSWORD, LearnerFactory
from tests.portfolio.apel.apel_data import aligned_badge, answer, programme
from tests.portfolio.showcase_data import pdf_artefact, reflection, showcase_with

pytestmark = pytest.mark.django_db(transaction=True)


class TestALearnerBuildingAClaim:
    def test_maps_evidence_by_keyboard_and_answers_the_assessor(self, journey: Journey) -> None:
        account = LearnerFactory.create(name="Ada Applicant")
        prog = programme(outcomes=4, courses=2, credit_cap=Decimal(6), currency_years=5)
        written = reflection(account, title="Weekly placement reflection")
        report = pdf_artefact(account, title="Network design report")
        showcase_with(account, {"Projects": [report]}, title="For admissions")
        aligned_badge(account, name="Network testing", code="LO2")

        learner = journey.person("learner")
        page = learner.page
        learner.log_in(account.email, PASSWORD)
        learner.check("dashboard")
        page.get_by_role("navigation").get_by_role("link", name="APEL claims").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("APEL claims")
        learner.check("claims")

        page.get_by_role("link", name=f"Start a claim against {prog}").click()
        learner.check("start-claim")
        page.get_by_label("Title of your claim").fill("Credit for year 1")
        page.get_by_role("button", name="Start the claim").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Credit for year 1")
        claim = Claim.objects.get(learner=account)
        learner.check("new-claim")

        # The matrix scrolls sideways inside a region the keyboard can reach.
        learner.tab_to(page.get_by_role("region", name="Coverage matrix (scrolls sideways)"))

        # Evidence for LO1, with the keyboard only: the picker is a plain form.
        learner.tab_to(page.get_by_role("link", name="Add evidence to LO1").last)
        learner.press_and_load("Enter")
        expect(page.get_by_role("heading", level=1)).to_have_text("Add evidence to LO1")
        learner.check("picker")
        library = page.get_by_role("group", name="Reflections")
        learner.tab_to(library.get_by_role("checkbox", name="Weekly placement reflection"))
        learner.press("Space")
        showcase = page.get_by_role("group", name="For admissions")
        learner.tab_to(showcase.get_by_role("checkbox", name="Network design report"))
        learner.press("Space")
        learner.tab_to(page.get_by_role("button", name="Add the ticked items to LO1"))
        learner.press_and_load("Enter")
        said = page.locator("#outcome-LO1 [data-said]")
        expect(said).to_have_text("2 items are mapped to LO1.")
        expect(said).to_be_focused()
        learner.check("mapped")
        mapped = answer(claim, "LO1").mappings.all()
        assert {str(m.target) for m in mapped} == {str(written), str(report)}
        assert any(m.showcase_item_id for m in mapped)

        # The suggested badge for LO2, with its reason.
        lo2 = page.locator("#outcome-LO2")
        expect(lo2).to_contain_text("Aligned to code LO2")
        learner.tab_to(lo2.get_by_role("button", name="Add “Network testing” to LO2"))
        learner.press_and_load("Enter")
        expect(page.locator("#outcome-LO2 [data-said]")).to_be_focused()
        learner.check("suggestion-accepted")

        # A justification for LO1, typed and saved from the keyboard.
        learner.tab_to(page.get_by_label("Your justification for LO1"))
        learner.type("I wrote a reflection every week and designed the network myself.")
        learner.tab_to(page.get_by_role("button", name="Save the justification for LO1"))
        learner.press_and_load("Enter")
        expect(page.locator("#outcome-LO1 [data-said]")).to_have_text("Justification saved.")
        learner.check("justified")

        # The badge says nothing of study hours: the learner declares them. An EQF level
        # out of range is refused, kept as typed, and focus goes to it.
        declared = page.locator(".apel-credential")
        declared.get_by_label("Study hours").fill("40")
        declared.get_by_label("EQF level").fill("9")
        declared.get_by_role("button", name="Save what you declare for “Network testing”").click()
        expect(page.get_by_role("alert")).to_contain_text("Nothing was saved.")
        expect(declared.get_by_label("EQF level")).to_be_focused()
        expect(declared.get_by_label("Study hours")).to_have_value("40")
        learner.check("declared-refused")
        declared.get_by_label("EQF level").fill("")
        declared.get_by_role("button", name="Save what you declare for “Network testing”").click()
        expect(page.locator(".apel-transcript")).to_contain_text("40 self-declared")
        learner.check("declared")

        # Submitted (on the submit page another part builds), judged and assessed.
        claim = services.claim_submit(claim=claim, declared=True)
        services.judgement_record(
            answer=answer(claim, "LO1"), judgement=Judgement.MEETS, comment="Clear.", by="Sam"
        )
        services.recommendation_record(
            claim=claim, recommendation=Recommendation.PARTIAL, comment="LO3 next.", by="Sam"
        )
        page.reload()
        expect(page.get_by_role("heading", name="The assessor's recommendation")).to_be_visible()
        expect(page.locator("#outcome-LO1")).to_contain_text("Clear.")
        assert page.get_by_label("Your justification for LO1").count() == 0
        learner.check("assessed")

        learner.tab_to(page.get_by_role("button", name="Start a new version"))
        learner.press_and_load("Enter")
        newer = Claim.objects.get(previous=claim)
        assert newer.state == ClaimState.DRAFT and newer.version == 2
        expect(page.locator(".messages")).to_contain_text("Version 2 started from version 1")
        learner.check("new-version")

        page.get_by_role("link", name="Delete this draft").click()
        learner.check("delete-draft")
        page.get_by_role("button", name="Delete the draft").click()
        expect(page.locator(".messages")).to_contain_text("Draft claim deleted.")
        learner.check("claims-again")
        assert list(Claim.objects.filter(learner=account)) == [claim]
