"""A learner asks their supervisor to attest a piece of work; the supervisor opens the
emailed link in a browser of their own (no account), first sends an empty statement,
then attests; an employer sees the attestation on the shared showcase, and the PDF the
learner exports says it too."""

import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import expect
from pypdf import PdfReader

from artefacts.services import Details, artefact_create_link
from portfolio.models import Attestation
from portfolio.showcases import services
from tests.browser.journey import Journey
from tests.factories import PASSWORD, LearnerFactory

pytestmark = pytest.mark.django_db(transaction=True)

LINE = "Attested by Jane Smith, Line manager, acme.com"


@pytest.fixture(autouse=True)
def _export_signing(settings: Any, tmp_path: Path) -> None:
    settings.EXPORT_SIGNING_DEV_DIR = str(tmp_path / "signing")
    settings.EXPORT_SIGNING_SELF_SIGNED = True


class TestALearnerAskingTheirSupervisor:
    def test_the_supervisor_attests_and_the_employer_sees_it_on_the_page_and_the_pdf(
        self, journey: Journey
    ) -> None:
        account = LearnerFactory.create(name="Lena Learner")
        survey = artefact_create_link(
            owner=account,
            url="https://example.org/site-survey",
            details=Details(title="Site survey for Acme"),
        )
        showcase = services.showcase_create(owner=account, title="Surveyor application")
        section = services.section_add(showcase=showcase, heading="Fieldwork")
        services.items_add(section=section, targets=[survey])
        token = services.link_create(showcase=showcase, label="Employer").token

        learner = journey.person("learner")
        page = learner.page
        learner.log_in(account.email, PASSWORD)
        learner.check("dashboard")
        learner.open(survey.get_absolute_url(), "evidence")
        page.get_by_role("link", name="Ask someone to attest this").click()
        page.wait_for_url(re.compile(r"/attestations/ask/"))
        learner.check("ask")
        page.get_by_label("Their name").fill("Jane Smith")
        page.get_by_label("Their email address").fill("jane at acme")
        page.get_by_label("Their role").fill("Line manager")
        page.get_by_label("Their organisation").fill("Acme Ltd")
        page.get_by_label("A message to them").fill("Could you vouch for my survey?")
        with page.expect_navigation():
            page.get_by_role("button", name="Send the request").click()
        expect(page.locator("main")).to_contain_text(
            "Enter an email address like name@example.com."
        )
        learner.check("ask-bad-email")
        page.get_by_label("Their email address").fill("jane.smith@acme.com")
        with page.expect_navigation():
            page.get_by_role("button", name="Send the request").click()
        expect(page.locator("main")).to_contain_text("Your request is on its way to Jane Smith.")
        learner.check("asked")

        (message,) = [m for m in mail.outbox if m.to == ["jane.smith@acme.com"]]
        found = re.search(r"https?://\S+/attest/[\w-]+/", str(message.body))
        assert found, message.body

        supervisor = journey.person("supervisor")
        view = supervisor.page
        view.goto(found.group(0))
        expect(view.get_by_role("heading", level=2, name="Site survey for Acme")).to_be_visible()
        expect(view.locator("main")).to_contain_text("acme.com")
        supervisor.check("answer")
        view.get_by_label("Your statement").fill("")
        with view.expect_navigation():
            view.get_by_role("button", name="Attest", exact=True).click()
        expect(view.locator("main")).to_contain_text("Write the statement you are making")
        supervisor.check("answer-empty-statement")
        assert not Attestation.objects.exists()
        view.get_by_label("Your statement").fill("I supervised this project.")
        view.get_by_label("Your comment (optional)").fill("Careful, **thorough** work.")
        with view.expect_navigation():
            view.get_by_role("button", name="Attest", exact=True).click()
        expect(view.get_by_test_id("attested-line")).to_contain_text(LINE)
        supervisor.check("attested")

        employer = journey.person("employer")
        shared = employer.page
        shared.goto(f"{journey.base_url}/s/{token}/")
        attestation = shared.get_by_test_id("attestation")
        expect(attestation).to_contain_text(LINE)
        expect(attestation).to_contain_text("I supervised this project.")
        attestation.locator("summary").click()
        expect(attestation).to_contain_text("Unchanged")
        expect(attestation.locator("strong")).to_have_text("thorough")
        employer.check("showcase")

        learner.open(showcase.get_absolute_url(), "showcase-editor")
        with page.expect_navigation():
            page.get_by_role("button", name="Export to PDF").click()
        download = page.get_by_role("link", name=re.compile("Download PDF"))
        expect(download).to_be_visible(timeout=60_000)
        learner.check("export")
        response = page.request.get(learner.url(download.get_attribute("href") or ""))
        assert response.ok
        pdf = PdfReader(io.BytesIO(response.body()))
        text = " ".join(" ".join(p.extract_text() for p in pdf.pages).split())
        assert LINE in text
        assert "I supervised this project." in text
