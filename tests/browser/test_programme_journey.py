"""An institution admin publishes a programme: enters its details, imports its learning
outcomes from a CSV (a file with a duplicate code is refused with the line named and
nothing imported; the corrected file is previewed and confirmed), and publishes it; a
learner of the institution then finds it and reads its outcomes course by course."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from portfolio.models import LearningOutcome, Programme
from tests.browser.journey import Journey
from tests.factories import PASSWORD, InstitutionAdminFactory, LearnerFactory

pytestmark = pytest.mark.django_db(transaction=True)

GOOD = (
    "course_code,course_title,outcome_code,outcome_text,credits\n"
    "WD101,Accessible web design,WD-LO1,Design web forms that meet WCAG 2.2 AA,5\n"
    "WD101,,WD-LO2,Test a web service with a screen reader,5\n"
    'WD102,User research,WD-LO3,"=HYPERLINK(""https://evil.example"",""Claim"")",5\n'
)
BAD = GOOD + "WD102,,wd-lo1,The same code again,5\n"


class TestAnInstitutionAdmin:
    def test_imports_and_publishes_a_programme_that_a_learner_then_reads(
        self, journey: Journey, tmp_path: Path
    ) -> None:
        account = InstitutionAdminFactory.create(name="Ada Admin")
        learner_account = LearnerFactory.create(name="Lena Learner")
        bad, good = tmp_path / "bad.csv", tmp_path / "outcomes.csv"
        bad.write_text(BAD)
        good.write_text(GOOD)

        admin = journey.person("admin")
        page = admin.page
        admin.log_in(account.email, PASSWORD)
        admin.check("institution-dashboard")
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Staff pages").click()
        admin.check("people")
        page.locator(".subnav").get_by_role("link", name="Programmes").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Programmes at")
        expect(page.get_by_role("main")).to_contain_text("No programmes yet.")
        admin.check("programmes-empty")

        page.get_by_role("link", name="Add a programme").click()
        admin.check("programme-new")
        page.get_by_label(re.compile(r"^Title")).fill("BSc (Hons) Web Development")
        page.get_by_label(re.compile(r"^Total credits")).fill("360")
        page.get_by_label(re.compile(r"^Most credits")).fill("400")
        page.get_by_role("button", name="Add the programme").click()
        expect(page.locator(".field-errors")).to_contain_text("more than the programme's 360")
        admin.check("programme-new-invalid")
        assert not Programme.objects.exists()
        page.get_by_label(re.compile(r"^Most credits")).fill("120")
        page.get_by_label(re.compile(r"^Evidence must be from")).fill("5")
        page.get_by_role("button", name="Add the programme").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("BSc (Hons) Web Development")
        expect(page.get_by_role("main")).to_contain_text("Not published")
        admin.check("programme")

        page.get_by_role("link", name="Import outcomes from a CSV").click()
        expect(page.get_by_role("main")).to_contain_text("outcome_code")
        admin.check("import")
        page.get_by_label("CSV file").set_input_files(bad)
        page.get_by_role("button", name="Check the file").click()
        alert = page.get_by_role("alert")
        expect(alert).to_contain_text("Nothing was imported")
        expect(alert).to_contain_text("Line 5: outcome wd-lo1 is also on line 2.")
        admin.check("import-refused")
        assert not LearningOutcome.objects.exists()

        page.get_by_label("CSV file").set_input_files(good)
        page.get_by_role("button", name="Check the file").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Check before importing")
        expect(page.get_by_role("row", name=re.compile("WD-LO3"))).to_contain_text(
            '=HYPERLINK("https://evil.example","Claim")'
        )
        admin.check("import-preview")
        assert not LearningOutcome.objects.exists()
        page.get_by_role("button", name="Import 3 outcomes").click()
        expect(page.locator(".messages")).to_contain_text(
            "Imported 3 outcomes. 2 new courses were added."
        )
        expect(page.get_by_role("heading", name="WD102 · User research")).to_be_visible()
        admin.check("programme-with-outcomes")
        page.get_by_role("button", name="Publish").click()
        expect(page.locator(".messages")).to_contain_text("Published")
        admin.check("programme-published")
        assert Programme.objects.get().is_published
        text = LearningOutcome.objects.get(code="WD-LO3").text
        assert text == '=HYPERLINK("https://evil.example","Claim")'

        learner = journey.person("learner")
        lpage = learner.page
        learner.log_in(learner_account.email, PASSWORD)
        learner.check("dashboard")
        lpage.get_by_role("navigation", name="Main").get_by_role("link", name="Programmes").click()
        expect(lpage.get_by_role("heading", level=1)).to_have_text("Programmes")
        learner.check("programmes")
        lpage.get_by_role("link", name="BSc (Hons) Web Development").click()
        main = lpage.get_by_role("main")
        expect(main).to_contain_text("At most 120")
        expect(main).to_contain_text("From the last 5 years")
        expect(lpage.get_by_role("heading", name="WD101 · Accessible web design")).to_be_visible()
        expect(main).to_contain_text('=HYPERLINK("https://evil.example","Claim")')
        learner.check("programme")
