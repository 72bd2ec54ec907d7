"""A learner moving from Mahara brings their Leap2A export in (its page arrives as a
showcase with its ten items), reads what came across and what was left out, then exports
their portfolio as Leap2A to take back."""

import re
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from portfolio.models import ArchiveImport, ArchiveImportState, Showcase
from tests.browser.journey import Journey
from tests.factories import PASSWORD, LearnerFactory
from tests.portfolio.archive.leap2a_samples import MAHARA_SAMPLE

pytestmark = pytest.mark.django_db(transaction=True)


class TestALearnerMovingFromMahara:
    def test_imports_a_mahara_export_and_exports_leap2a(
        self, journey: Journey, tmp_path: Path
    ) -> None:
        account = LearnerFactory.create(name="Lena Learner")
        learner = journey.person("learner")
        page = learner.page
        learner.log_in(account.email, PASSWORD)
        learner.check("dashboard")
        learner.open("/exports/", "exports")
        page.get_by_role("link", name="Moving to or from Mahara? Export or import Leap2A").click()
        page.wait_for_url(re.compile(r"/archive/leap2a/$"))
        learner.check("leap2a")

        page.get_by_label("Leap2A file (.zip)").set_input_files(MAHARA_SAMPLE)
        page.get_by_role("button", name="Upload and import").click()
        page.wait_for_url(re.compile(r"/archive/leap2a/import/[0-9a-f-]{36}/$"))
        expect(page.get_by_role("heading", name="What was imported")).to_be_visible()
        expect(page.get_by_role("row", name=re.compile(r"^Reflections 8 0"))).to_be_visible()
        expect(page.get_by_role("row", name=re.compile(r"^Showcases 1 0"))).to_be_visible()
        expect(page.get_by_role("heading", name="Left out, and why")).to_be_visible()
        expect(page.get_by_text(re.compile(r"^Learner: Lena Learner"))).to_be_visible()
        learner.check("leap2a-report")
        done = ArchiveImport.objects.get(owner=account)
        assert done.state == ArchiveImportState.DONE, done.error
        showcase = Showcase.objects.get(owner=account)
        learner.open(showcase.get_absolute_url(), "imported-showcase")
        expect(page.get_by_role("heading", level=1)).to_have_text("Showcase 10")

        learner.open("/archive/leap2a/", "leap2a-again")
        page.get_by_role("button", name="Export as Leap2A").click()
        page.wait_for_url(re.compile(r"/exports/[0-9a-f-]{36}/$"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Leap2A export of your portfolio")
        learner.check("leap2a-ready")
        with page.expect_download() as waiting:
            page.get_by_role("link", name=re.compile(r"^Download ZIP \(")).click()
        saved = tmp_path / "leap2a.zip"
        waiting.value.save_as(saved)
        with zipfile.ZipFile(saved) as archive:
            xml = archive.read("leap2a.xml")
            assert len([n for n in archive.namelist() if n.startswith("files/")]) == 2
        assert b"<title>Showcase 10</title>" in xml
