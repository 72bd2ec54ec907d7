"""First steps on a phone: a learner opens the menu with the keyboard and follows a link,
reads which way to add a badge, and sets their time zone; a tutor reads the review
dashboard as cards. Each at 360 px, in a real browser."""

import re

import pytest
from playwright.sync_api import Page, expect

from accounts.models import User
from tests.browser.journey import NARROW, Journey
from tests.factories import PASSWORD, CohortFactory, LearnerFactory, TutorFactory
from tests.portfolio.showcase_data import reflection

pytestmark = pytest.mark.django_db(transaction=True)

# How far down the page content starts, and whether anything scrolls sideways.
LAYOUT = """() => ({
  header: Math.round(document.querySelector(".site-header").getBoundingClientRect().height),
  sideways: document.documentElement.scrollWidth - document.documentElement.clientWidth,
})"""

# How each learner row of the review table is laid out, and what each cell says it is.
ROWS = """() => Array.from(document.querySelectorAll("tbody tr")).map(tr => ({
  display: getComputedStyle(tr).display,
  width: Math.round(tr.getBoundingClientRect().width),
  labels: Array.from(tr.querySelectorAll("td")).map(
    td => getComputedStyle(td, "::before").content.replace(/"/g, "")),
}))"""


def narrow(page: Page) -> dict[str, int]:
    page.set_viewport_size(NARROW)  # type: ignore[arg-type]
    return page.evaluate(LAYOUT)


class TestALearnerOnAPhone:
    def test_opens_the_menu_with_the_keyboard_and_finds_their_way(self, journey: Journey) -> None:
        account = LearnerFactory.create(name="Lee Learner")
        learner = journey.person("learner")
        page = learner.page
        learner.log_in(account.email, PASSWORD)
        learner.check("dashboard")

        narrow(page)
        menu = page.get_by_role("navigation", name="Main")
        toggle = menu.locator("summary", has_text="Menu")
        badges = menu.get_by_role("link", name="Badges", exact=True)
        expect(toggle).to_be_visible()
        expect(toggle).to_have_attribute("aria-expanded", "false")
        expect(badges).to_be_hidden()
        layout = page.evaluate(LAYOUT)
        assert layout["header"] <= 80, layout  # the links no longer fill the first screen

        learner.tab_to(toggle)
        learner.press("Enter")
        expect(toggle).to_have_attribute("aria-expanded", "true")
        expect(badges).to_be_visible()
        page.screenshot(path=journey.folder / "learner-menu-open.png")
        learner.press("Escape")
        expect(badges).to_be_hidden()
        assert learner.focused()["what"].startswith("summary")
        learner.press("Enter")
        learner.tab_to(badges)
        learner.press_and_load("Enter")
        assert learner.path == "/badges/"
        learner.check("badges")

        # Adding a badge: the page says which way to use, and shows just the chosen one.
        narrow(page)
        page.goto(learner.url("/badges/import/"))
        for heading in (
            "Upload the badge image",
            "Paste the badge's JSON or signed token",
            "Give the badge's web address",
        ):
            expect(page.get_by_role("heading", name=heading)).to_be_visible()
        expect(page.get_by_text("for example attached to the issuer's email")).to_be_visible()
        learner.check("badge-import")
        page.get_by_label("I have the badge's web address").check()
        expect(page.get_by_role("heading", name="Upload the badge image")).to_be_hidden()
        expect(page.get_by_label("Web address of a hosted badge")).to_be_visible()
        page.get_by_role("button", name="Check and add").click()
        expect(page.locator(".field-errors")).to_have_text("Enter the badge's web address.")
        expect(page.get_by_label("I have the badge's web address")).to_be_checked()
        expect(
            page.get_by_role("heading", name="Paste the badge's JSON or signed token")
        ).to_be_hidden()
        learner.check("badge-import-error")

        # The time zone: a refused name keeps the choice, a good one is saved.
        self._changes_time_zone(journey, account)

    def _changes_time_zone(self, journey: Journey, account: User) -> None:
        learner = journey.people[0]
        page = learner.page
        narrow(page)
        page.goto(learner.url("/profile/"))
        learner.check("profile")
        page.get_by_label("Time zone").select_option("Asia/Tokyo")
        page.get_by_label("Name").fill("")
        page.get_by_role("button", name="Save profile").click()
        expect(page.locator(".field-errors")).to_contain_text("This field is required.")
        expect(page.get_by_label("Time zone")).to_have_value("Asia/Tokyo")
        learner.check("profile-error")
        page.get_by_label("Name").fill("Lee L.")
        page.get_by_role("button", name="Save profile").click()
        expect(page.locator(".messages")).to_contain_text("Your profile is saved.")
        expect(page.get_by_label("Time zone")).to_have_value("Asia/Tokyo")
        learner.check("profile-saved")
        account.refresh_from_db()
        assert (account.name, account.time_zone) == ("Lee L.", "Asia/Tokyo")


class TestATutorOnAPhone:
    def test_reads_the_review_dashboard_as_cards(self, journey: Journey) -> None:
        account = TutorFactory.create(name="Tia Tutor")
        learners = [LearnerFactory.create(name=f"Learner with a long name {n}") for n in "AB"]
        CohortFactory.create(tutors=[account], learners=learners)
        reflection(learners[0], title="Week one")
        tutor = journey.person("tutor")
        page = tutor.page
        tutor.log_in(account.email, PASSWORD)
        expect(page.get_by_role("heading", level=1)).to_have_text("Tutor review")
        tutor.check("review-dashboard")
        # Wide, it is a table with its column headers.
        expect(page.get_by_role("columnheader", name="Open goals")).to_be_visible()

        layout = narrow(page)
        rows = page.evaluate(ROWS)
        assert layout["sideways"] <= 0, layout
        assert len(rows) == 2
        for row in rows:
            assert row["display"] == "block"
            assert row["width"] <= 360
            assert row["labels"] == [
                "Last activity",
                "New since your review",
                "Open feedback",
                "Open goals",
            ]
        card = page.locator("tbody tr", has_text="Learner with a long name A")
        expect(card).to_contain_text(re.compile(r"\b\d{1,2} \w{3} \d{4}\b"))  # en-GB dates
        page.screenshot(path=journey.folder / "tutor-dashboard-cards.png", full_page=True)
