"""An institution admin brings a new cohort in from a CSV: a file with a bad line is
refused with the line named, the corrected file is previewed and confirmed, a tutor is
added from a search that shows emails; an invited learner follows the emailed link,
chooses a password and signs in; and the tutor sees them in review."""

import re
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import Cohort, User
from tests.browser.journey import Journey
from tests.factories import PASSWORD, InstitutionAdminFactory, TutorFactory

pytestmark = pytest.mark.django_db(transaction=True)

NEW_PASSWORD = "evening-class-2026!"
GOOD = (
    "email,name,role,cohort\n"
    "nia@example.org,Nia Newcomer,learner,Evening class 2026\n"
    'ola@example.org,"=HYPERLINK(""https://evil.example"")",learner,Evening class 2026\n'
)
BAD = GOOD + "sam@example.org,Sam,headteacher,Evening class 2026\n"


class TestAnInstitutionAdmin:
    def test_brings_a_cohort_in_from_a_csv_and_its_learner_joins(
        self, journey: Journey, tmp_path: Path
    ) -> None:
        admin_account = InstitutionAdminFactory.create(name="Ada Admin")
        TutorFactory.create(name="Tara Tutor", email="tara@example.org")
        bad, good = tmp_path / "bad.csv", tmp_path / "people.csv"
        bad.write_text(BAD)
        good.write_text(GOOD)

        admin = journey.person("admin")
        page = admin.page
        admin.log_in(admin_account.email, PASSWORD)
        admin.check("institution-dashboard")
        page.get_by_role("navigation").get_by_role("link", name="Staff pages").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("People at")
        admin.check("people")
        page.locator(".actions").get_by_role("link", name="Bring people in from a CSV").click()
        admin.check("onboarding")

        page.get_by_label("CSV file").set_input_files(bad)
        page.get_by_role("button", name="Check the file").click()
        alert = page.get_by_role("alert")
        expect(alert).to_contain_text("Nothing was changed")
        expect(alert).to_contain_text("Line 4: “headteacher” is not a role")
        admin.check("onboarding-refused")
        assert not User.objects.filter(email="nia@example.org").exists()

        page.get_by_label("CSV file").set_input_files(good)
        page.get_by_role("button", name="Check the file").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Check before sending")
        expect(page.get_by_role("main")).to_contain_text("will be created: Evening class 2026")
        expect(page.get_by_role("row", name=re.compile("nia@example.org"))).to_contain_text(
            "New invitation"
        )
        admin.check("onboarding-preview")
        page.get_by_role("button", name="Add 2 people and send the emails").click()
        expect(page.get_by_role("status")).to_contain_text("All done")
        admin.check("onboarding-done")
        assert (
            User.objects.get(email="ola@example.org").name == '=HYPERLINK("https://evil.example")'
        )

        page.get_by_role("link", name="See the cohorts").click()
        expect(page.get_by_role("row", name=re.compile("Evening class 2026"))).to_contain_text("2")
        admin.check("cohorts")
        page.get_by_role("link", name="Evening class 2026").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Evening class 2026")
        page.get_by_label("Find a member of the institution by name or email").fill("Tara")
        page.get_by_role("button", name="Search", exact=True).click()
        expect(page.get_by_role("main")).to_contain_text("tara@example.org")
        admin.check("cohort-search")
        page.get_by_role("button", name="Add as tutor Tara Tutor").click()
        expect(page.locator(".messages")).to_contain_text("1 added to “Evening class 2026”.")
        admin.check("cohort-with-tutor")
        cohort = Cohort.objects.get(name="Evening class 2026")
        assert [t.email for t in cohort.tutors.all()] == ["tara@example.org"]

        (message,) = [m for m in mail.outbox if m.to == ["nia@example.org"]]
        assert "via" in message.from_email
        link = re.search(r"https?://\S+/invitations/\S+/", str(message.body))
        assert link is not None
        learner = journey.person("learner")
        learner.page.goto(link.group(0))
        expect(learner.page.get_by_role("heading", level=1)).to_have_text("Choose your password")
        learner.check("invitation")
        learner.page.get_by_label(re.compile(r"^New password \(required\)$")).fill(NEW_PASSWORD)
        learner.page.get_by_label(re.compile(r"^New password confirmation")).fill("something else")
        learner.page.get_by_role("button", name="Save and sign in").click()
        expect(learner.page.locator(".field-errors")).to_contain_text("password fields didn")
        learner.check("invitation-mismatch")
        learner.page.get_by_label(re.compile(r"^New password \(required\)$")).fill(NEW_PASSWORD)
        learner.page.get_by_label(re.compile(r"^New password confirmation")).fill(NEW_PASSWORD)
        learner.page.get_by_role("button", name="Save and sign in").click()
        expect(learner.page.locator(".messages")).to_contain_text("you are signed in")
        assert learner.path == "/learner/"
        learner.check("learner-dashboard")

        again = journey.person("learner-again")
        again.log_in("nia@example.org", NEW_PASSWORD)
        assert again.path == "/learner/"
        again.check("signed-in")

        tutor = journey.person("tutor")
        tutor.log_in("tara@example.org", PASSWORD)
        expect(tutor.page.get_by_role("heading", level=1)).to_have_text("Tutor review")
        expect(tutor.page.get_by_role("row", name=re.compile("Nia Newcomer"))).to_be_visible()
        tutor.check("tutor-review")
