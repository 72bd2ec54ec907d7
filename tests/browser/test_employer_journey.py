"""An employer opens the link a learner sent them, without an account, in a real browser;
then the learner revokes it and the same page says so."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from portfolio.showcases import services
from tests import filemakers
from tests.browser.journey import Journey
from tests.factories import PASSWORD, LearnerFactory
from tests.portfolio.showcase_data import (
    PDF_TEXT,
    badge,
    image_artefact,
    pdf_artefact,
    reflection,
    showcase_with,
)

pytestmark = pytest.mark.django_db(transaction=True)


class TestAnEmployer:
    def test_reads_a_shared_showcase_checks_a_badge_and_downloads_evidence(
        self, journey: Journey, tmp_path: Path
    ) -> None:
        learner_account = LearnerFactory.create(name="Lena Learner")
        photo = image_artefact(learner_account, title="Prototype on paper")
        report = pdf_artefact(learner_account, title="Usability test report")
        held = badge(learner_account, name="Usability Testing")
        showcase = showcase_with(
            learner_account,
            {
                "Projects": [photo, report],
                "Reflection and credentials": [reflection(learner_account), held],
            },
            title="Junior UX designer",
        )
        services.item_update(
            item=report.showcase_items.get(), caption="Five participants, three changes made."
        )
        link = services.link_create(
            showcase=showcase, label="Acme Ltd recruiter",
            expires_on=timezone.localdate() + timedelta(days=30),
        )  # fmt: skip

        # A fresh browser: no account, no cookies.
        employer = journey.person("employer")
        page = employer.page
        employer.open(f"/s/{link.token}/", "showcase")
        expect(page.get_by_role("heading", level=1)).to_have_text("Junior UX designer")
        expect(page.locator("main")).to_contain_text("Lena Learner")
        for heading in ("Projects", "Reflection and credentials"):
            expect(page.get_by_role("heading", level=2, name=heading)).to_be_visible()
        expect(page.get_by_role("img", name=re.compile("Prototype on paper"))).to_be_visible()
        expect(page.locator("main")).to_contain_text("Five participants, three changes made.")
        expect(page.get_by_role("heading", name="What the placement taught me")).to_be_visible()
        expect(page.locator("main")).to_contain_text("Verified")
        # The page asks not to be indexed and not to leak its address to other sites.
        assert page.locator("meta[name=robots]").get_attribute("content") == "noindex, nofollow"

        with page.expect_download() as download:
            page.get_by_role("link", name=re.compile(r"Download risk-assessment\.pdf")).click()
        saved = tmp_path / download.value.suggested_filename
        download.value.save_as(saved)
        assert download.value.suggested_filename == "risk-assessment.pdf"
        assert saved.read_bytes() == filemakers.pdf(PDF_TEXT)

        page.get_by_role("link", name="Usability Testing").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Usability Testing")
        expect(page.locator("main")).to_contain_text("Verified")
        expect(page.locator("main")).to_contain_text(re.compile(r"[Cc]hecked"))
        expect(page.locator("main")).to_contain_text("Issued to Lena Learner")
        # A did:key issuer is named, not offered as a web link that goes nowhere.
        expect(page.get_by_role("link", name=re.compile("^did:"))).to_have_count(0)
        employer.check("badge")
        page.go_back()
        expect(page.get_by_role("heading", level=1)).to_have_text("Junior UX designer")

        # The learner, signed in elsewhere, revokes the link.
        learner = journey.person("learner")
        learner.log_in(learner_account.email, PASSWORD)
        learner.check("dashboard")
        learner.page.get_by_role("navigation").get_by_role("link", name="Showcases").click()
        learner.check("showcases")
        learner.page.get_by_role("link", name="Junior UX designer").click()
        learner.check("editor")
        learner.page.get_by_role("link", name="Share", exact=True).click()
        learner.check("links")
        shared = learner.page.get_by_role("listitem").filter(
            has=learner.page.get_by_role("heading", name=re.compile("Acme Ltd recruiter"))
        )
        expect(shared).to_contain_text("2 times")  # the first visit and the return from the badge
        shared.get_by_role("button", name="Revoke the link for Acme Ltd recruiter").click()
        expect(shared).to_contain_text("Revoked")
        expect(shared.get_by_role("button")).to_have_count(0)
        learner.check("link-revoked")

        response = page.reload()
        assert response is not None and response.status == 410
        expect(page.get_by_role("heading", level=1)).to_have_text("This link is no longer active")
        expect(page.locator("main")).not_to_contain_text("Lena")
        employer.check("link-inactive")
