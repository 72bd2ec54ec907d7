"""A learner imports a credential they signed themselves, naming a university as its
issuer; the employer who opens their link sees that the issuer is not identified, and
no "Verified" anywhere."""

import json
import re
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from badges.models import Badge
from portfolio.showcases import services
from tests.badges.issuers import credential, sign_did_key
from tests.browser.journey import Journey
from tests.factories import PASSWORD, LearnerFactory

pytestmark = pytest.mark.django_db(transaction=True)

UNIVERSITY = "University of Oxford"
UNIVERSITY_URL = "https://www.ox.ac.uk/"


def self_issued(email: str) -> str:
    doc = credential(issuer="did:key:x", recipient=email, name="Advanced Data Science")
    doc["issuer"] = {**doc["issuer"], "name": UNIVERSITY, "url": UNIVERSITY_URL}
    return json.dumps(sign_did_key(doc))


class TestASelfIssuedBadge:
    def test_is_shown_to_the_employer_as_not_identified(
        self, journey: Journey, tmp_path: Path
    ) -> None:
        account = LearnerFactory.create(name="Sam Self")
        learner = journey.person("learner")
        page = learner.page
        learner.log_in(account.email, PASSWORD)
        learner.check("dashboard")

        learner.open(reverse("badges:import"), "import-badge")
        # Something that is not a badge first: the form says what was wrong.
        page.get_by_label("Badge JSON or signed token").fill("this is not a badge")
        page.get_by_role("button", name="Check and add").click()
        expect(page.locator("main")).to_contain_text("We could not read this as a badge")
        learner.check("import-refused")
        page.get_by_label("Badge JSON or signed token").fill(self_issued(account.email))
        page.get_by_role("button", name="Check and add").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Advanced Data Science")
        main = page.locator("main")
        expect(main.locator(".status").first).to_have_text(
            "Signature valid · issuer not identified"
        )
        expect(main).to_contain_text("Issuer not identified")
        expect(page.get_by_role("link", name=re.compile("ox.ac.uk"))).to_have_count(0)
        learner.check("self-issued-badge")

        badge = Badge.objects.get(owner=account)
        showcase = services.showcase_create(owner=account, title="Data roles", summary="")
        section = services.section_add(showcase=showcase, heading="Credentials")
        services.items_add(section=section, targets=[badge])
        link = services.link_create(showcase=showcase, label="Acme Ltd")

        employer = journey.person("employer")
        page = employer.page
        employer.open(f"/s/{link.token}/", "showcase")
        main = page.locator("main")
        expect(main).to_contain_text(f"Claims to be from {UNIVERSITY} · issuer not identified")
        expect(main.locator(".status--verified")).to_have_count(0)
        expect(main).not_to_contain_text(re.compile(r"\bVerified\b"))

        page.get_by_role("link", name="Advanced Data Science").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Advanced Data Science")
        expect(main).to_contain_text("Issuer not identified")
        expect(main).to_contain_text(f"The credential says it is from “{UNIVERSITY}”")
        expect(main).not_to_contain_text(re.compile(r"\bVerified\b"))
        expect(page.get_by_role("link", name=re.compile("ox.ac.uk"))).to_have_count(0)
        employer.check("shared-badge")

        # The verification report travels with the page, for an assessor to keep.
        page.locator("summary", has_text="Verification report").click()
        expect(main).to_contain_text("written in the key's own identifier (did:key)")
        with page.expect_download() as download:
            page.get_by_role("link", name="Download the report (JSON)").click()
        saved = tmp_path / download.value.suggested_filename
        download.value.save_as(saved)
        report = json.loads(saved.read_text())
        assert report["verification"]["status"] == "unidentified"
        assert report["verification"]["issuer"]["identity"] == "none"
        assert report["badge"]["issuer_name_as_stated"] == UNIVERSITY
        employer.check("shared-badge-report")
