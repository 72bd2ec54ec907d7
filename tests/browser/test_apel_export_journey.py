"""A learner's APEL evidence PDF, made and downloaded from its export page; an assessor,
in a browser of their own, opens the address printed in it, downloads the claim's data
(the file embedded in the PDF) and checks the PDF and a changed copy of it."""

import json
import re
import threading
from pathlib import Path
from typing import Any

import pytest
from django.db import connections
from playwright.sync_api import expect

from portfolio.exports import services
from portfolio.models import Claim, Export, ExportState
from tests.browser.journey import Journey
from tests.browser.test_export_journey import RENDER_WAIT_MS, _download
from tests.factories import PASSWORD, LearnerFactory
from tests.portfolio.exports.apel_builders import embedded, small_claim
from tests.portfolio.exports.builders import reader

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _signing(settings: Any, tmp_path: Path) -> None:
    """Sign with a development certificate made for this test, not under var/."""
    settings.EXPORT_SIGNING_DEV_DIR = str(tmp_path / "signing")
    settings.EXPORT_SIGNING_SELF_SIGNED = True


def _exported(account: Any, claim: Claim) -> Export:
    """Ask for the PDF as the claim page does; its task runs at once, on a thread of its
    own (Playwright keeps an event loop running on the test's thread, and the signer
    starts one of its own)."""
    made: list[Export] = []

    def work() -> None:
        try:
            made.append(services.export_request_claim(owner=account, claim=claim))
        finally:
            connections.close_all()

    worker = threading.Thread(target=work)
    worker.start()
    worker.join(timeout=RENDER_WAIT_MS / 1000)
    assert not worker.is_alive() and made
    return Export.objects.get(pk=made[0].pk)


class TestAnAssessorCheckingAnApelPdf:
    def test_downloads_the_claims_data_and_checks_the_file(
        self, journey: Journey, tmp_path: Path
    ) -> None:
        account = LearnerFactory.create(name="Sam Applicant")
        built = small_claim(account)
        export = _exported(account, built.claim)
        assert export.state == ExportState.DONE, export.error

        learner = journey.person("learner")
        learner.log_in(account.email, PASSWORD)
        learner.check("dashboard")
        learner.open(export.get_absolute_url(), "apel-export-done")
        expect(learner.page.get_by_role("heading", level=1)).to_contain_text("APEL claim:")
        data = _download(learner, r"^Download PDF", tmp_path / "learner")
        printed = reader(data).pages[0].extract_text()
        match = re.search(r"/verify/([0-9A-Z]{4}(?:-[0-9A-Z]{4}){3})/", printed)
        assert match and match.group(1) == export.display_code, printed

        assessor = journey.person("assessor")
        view = assessor.page
        assessor.open(f"/verify/{match.group(1)}/", "apel-verify")
        record = view.get_by_role("region", name="What we issued")
        expect(record).to_contain_text("APEL evidence PDF")
        expect(view.get_by_role("region", name="The claim as data")).to_contain_text(
            export.attachment_sha256
        )
        claim_data = _download(assessor, r"^Download the claim data", tmp_path / "assessor")
        assert [claim_data] == embedded(data)["claim.json"]
        assert json.loads(claim_data)["claim"]["applicant"]["name"] == "Sam Applicant"

        issued, changed = tmp_path / "issued.pdf", tmp_path / "changed.pdf"
        issued.write_bytes(data)
        middle = len(data) // 2
        changed.write_bytes(data[:middle] + bytes([data[middle] ^ 0x01]) + data[middle + 1 :])
        view.get_by_label("The PDF to check").set_input_files(issued)
        view.get_by_role("button", name="Check the file").click()
        expect(view.locator("#verify-outcome")).to_have_text(
            re.compile(r"^This is the file we issued")
        )
        assessor.check("apel-verify-genuine")
        view.get_by_label("The PDF to check").set_input_files(changed)
        view.get_by_role("button", name="Check the file").click()
        expect(view.locator("#verify-outcome")).to_have_text(
            re.compile(r"^This is not the file we issued")
        )
        assessor.check("apel-verify-changed")
