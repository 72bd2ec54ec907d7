"""A learner makes a passphrase-protected link with the keyboard and copies it; an
employer, in a browser of their own, gets the passphrase wrong, then right, reads the
showcase and prints it."""

import re

import pytest
from playwright.sync_api import expect

from artefacts.services import Details, artefact_create_link
from portfolio.models import ShareLink
from portfolio.showcases import services
from tests.browser.journey import Journey
from tests.factories import PASSWORD, LearnerFactory
from tests.portfolio.showcase_data import badge, pdf_artefact, reflection

pytestmark = pytest.mark.django_db(transaction=True)

PASSPHRASE = "blue heron at dawn"
LONG_URL = "https://example.org/reports/2026/" + "usability-findings-for-the-booking-flow-" * 4
CAPTION = "The full write-up: https://example.org/" + "x" * 90


class TestALearnerSharingWithAPassphrase:
    def test_copies_the_link_and_the_employer_opens_reads_and_prints_it(
        self, journey: Journey
    ) -> None:
        account = LearnerFactory.create(name="Lena Learner")
        showcase = services.showcase_create(owner=account, title="Junior UX designer")
        services.section_add(showcase=showcase, heading="My best work")  # left empty
        projects = services.section_add(showcase=showcase, heading="Projects")
        write_up = artefact_create_link(
            owner=account, url=LONG_URL, details=Details(title="Findings write-up")
        )
        report = pdf_artefact(account, title="Usability test report")
        held = badge(account, name="Usability Testing")
        services.items_add(section=projects, targets=[write_up, report, reflection(account), held])
        services.item_update(item=write_up.showcase_items.get(), caption=CAPTION)
        secret = services.section_add(showcase=showcase, heading="Not for employers")
        services.items_add(
            section=secret, targets=[badge(account, name="Secret badge", visibility="private")]
        )

        learner = journey.person("learner")
        learner.context.grant_permissions(
            ["clipboard-read", "clipboard-write"], origin=journey.base_url
        )
        page = learner.page
        learner.log_in(account.email, PASSWORD)
        learner.check("dashboard")
        learner.open(f"/showcases/{showcase.public_id}/links/", "share")
        learner.tab_to(page.get_by_label("Who it is for"))
        learner.type("Acme Ltd recruiter")
        learner.tab_to(page.get_by_label("Passphrase"))
        learner.type(PASSPHRASE)
        learner.tab_to(page.get_by_role("button", name="Make link"))
        learner.press_and_load()

        # Focus is on the new link's block, not at the top of the page.
        title = page.get_by_role("heading", name="Your new link for Acme Ltd recruiter")
        expect(title).to_be_focused()
        assert learner.focused()["ok"], learner.focused()
        learner.check("link-made")
        address = page.get_by_label("Link", exact=True).input_value()
        assert re.fullmatch(rf"{re.escape(journey.base_url)}/s/[\w-]{{20,}}/", address)
        learner.tab_to(page.get_by_role("button", name="Copy link"))
        learner.press("Enter")
        expect(page.locator("#new-link-status")).to_have_text("Copied")
        assert page.evaluate("() => navigator.clipboard.readText()") == address

        # A reload makes no second link and no longer shows the address.
        page.reload()
        learner.check("links-after-reload")
        assert ShareLink.objects.filter(showcase=showcase).count() == 1
        expect(page.get_by_text("Your new link")).to_have_count(0)
        expect(page.locator("main")).not_to_contain_text(address)

        employer = journey.person("employer")
        view = employer.page
        view.goto(address)
        employer.check("passphrase")
        expect(view.locator("main")).not_to_contain_text("Junior UX designer")
        employer.tab_to(view.get_by_label("Passphrase"))
        employer.type("grey heron at dusk")
        employer.press_and_load()
        expect(view.locator("main")).to_contain_text("That passphrase is not right")
        employer.check("wrong-passphrase")
        employer.tab_to(view.get_by_label("Passphrase"))
        employer.type(PASSPHRASE)
        employer.press_and_load()

        expect(view.get_by_role("heading", level=1)).to_have_text("Junior UX designer")
        expect(view.get_by_role("heading", level=2, name="Projects")).to_be_visible()
        for absent in ("My best work", "Not for employers", "Secret badge", "Nothing in this"):
            expect(view.locator("main")).not_to_contain_text(absent)
        expect(view.get_by_role("link", name=LONG_URL)).to_be_visible()
        employer.check("showcase")  # includes: nothing runs off the page at 360 px
        assert ShareLink.objects.get(showcase=showcase).open_count == 1

        # On paper: no buttons, and where to check each badge, in full.
        download = view.get_by_role("link", name=re.compile("Download risk-assessment"))
        verify = view.get_by_text(re.compile(rf"{re.escape(address)}badges/[0-9a-f-]{{36}}/"))
        expect(download).to_be_visible()
        expect(verify).to_be_hidden()
        view.emulate_media(media="print")
        expect(download).to_be_hidden()
        expect(verify).to_be_visible()
        expect(view.get_by_text("Check this badge at")).to_be_visible()
        expect(view.get_by_text(re.compile(r"^File: risk-assessment\.pdf"))).to_be_visible()
        view.screenshot(path=journey.folder / "print-employer-showcase.png", full_page=True)
        view.emulate_media(media="screen")
