"""A learner exports a showcase to PDF, watches the export page until the PDF is ready
and downloads it; an employer, in a browser of their own, opens the address printed in
the PDF, reads what was issued, and checks the file and a changed copy of it. Then the
learner offers the PDF on a share link and the employer downloads it from there."""

import hashlib
import re
import threading
from pathlib import Path
from typing import Any

import pytest
from django.db import connections
from playwright.sync_api import expect

from portfolio.exports.tasks import export_render_task
from portfolio.models import Export, ExportKind, ExportState
from portfolio.showcases import services
from tests.browser.journey import Journey, Person
from tests.factories import PASSWORD, LearnerFactory
from tests.portfolio.exports.builders import reader
from tests.portfolio.showcase_data import badge, image_artefact, link_artefact, reflection

pytestmark = pytest.mark.django_db(transaction=True)

RENDER_WAIT_MS = 60_000  # a busy machine lays out a small PDF in well under this


@pytest.fixture(autouse=True)
def _signing(settings: Any, tmp_path: Path) -> None:
    """Sign with a development certificate made for this test, not under var/."""
    settings.EXPORT_SIGNING_DEV_DIR = str(tmp_path / "signing")
    settings.EXPORT_SIGNING_SELF_SIGNED = True


def _download(person: Person, link_name: str, folder: Path) -> bytes:
    with person.page.expect_download() as waiting:
        person.page.get_by_role("link", name=re.compile(link_name)).click()
    folder.mkdir(parents=True, exist_ok=True)
    saved = folder / waiting.value.suggested_filename
    waiting.value.save_as(saved)
    return saved.read_bytes()


def _as_a_worker(export_id: int) -> None:
    """Run the export task as a worker would, on a thread of its own (Playwright keeps
    an event loop running on the test's thread, and the signer starts one of its own)."""
    failed: list[BaseException] = []

    def work() -> None:
        try:
            export_render_task.delay(export_id)
        except BaseException as error:  # reported on the test's thread
            failed.append(error)
        finally:
            connections.close_all()

    worker = threading.Thread(target=work)
    worker.start()
    worker.join(timeout=RENDER_WAIT_MS / 1000)
    assert not worker.is_alive() and not failed, failed


class TestALearnerExportingTheirShowcase:
    def test_exports_downloads_and_the_employer_checks_the_file(
        self, journey: Journey, tmp_path: Path
    ) -> None:
        account = LearnerFactory.create(name="Lena Learner")
        showcase = services.showcase_create(
            owner=account, title="Junior UX designer", audience="Acme Ltd"
        )
        work = services.section_add(showcase=showcase, heading="Projects")
        services.items_add(
            section=work,
            targets=[
                image_artefact(account, title="Site visit photo"),
                link_artefact(account, title="Findings write-up"),
                reflection(account),
                badge(account, name="Usability Testing"),
            ],
        )
        # The queue is busy: an export of this showcase was asked for and no worker
        # has taken it yet.
        waiting = Export.objects.create(
            owner=account,
            showcase=showcase,
            kind=ExportKind.SHOWCASE_PDF,
            title=showcase.title,
            idempotency_key="asked-earlier",
            stage="Waiting to start",
        )

        learner = journey.person("learner")
        page = learner.page
        learner.log_in(account.email, PASSWORD)
        learner.check("dashboard")
        learner.open(showcase.get_absolute_url(), "showcase")
        page.get_by_role("button", name="Export to PDF").click()

        # Asking again while one is on its way gives that one, with its progress.
        page.wait_for_url(re.compile(r"/exports/[0-9a-f-]{36}/$"))
        assert learner.path == waiting.get_absolute_url()
        assert Export.objects.filter(showcase=showcase).count() == 1
        expect(page.get_by_role("heading", level=1)).to_have_text("PDF of “Junior UX designer”")
        expect(page.get_by_role("progressbar")).to_be_visible()
        expect(page.get_by_text("Waiting to start", exact=True).first).to_be_visible()
        learner.check("export-waiting")

        # A worker takes it; the page notices by itself and offers the download.
        _as_a_worker(waiting.pk)
        download = page.get_by_role("link", name=re.compile(r"^Download PDF \(\d"))
        expect(download).to_be_visible(timeout=RENDER_WAIT_MS)
        expect(page.get_by_role("progressbar")).to_have_count(0)
        learner.check("export-done")
        export = Export.objects.get(pk=waiting.pk)
        assert export.state == ExportState.DONE, export.error
        data = _download(learner, r"^Download PDF", tmp_path)
        assert data.startswith(b"%PDF")
        assert hashlib.sha256(data).hexdigest() == export.sha256

        # The address the employer types is the one printed on the PDF's first page.
        printed = reader(data).pages[0].extract_text()
        match = re.search(r"/verify/([0-9A-Z]{4}(?:-[0-9A-Z]{4}){3})/", printed)
        assert match, printed
        assert match.group(1) == export.display_code

        employer = journey.person("employer")
        view = employer.page
        employer.open(f"/verify/{match.group(1)}/", "verify")
        record = view.get_by_role("region", name="What we issued")
        for fact in ("Lena Learner", "Junior UX designer", export.display_code, export.sha256):
            expect(record).to_contain_text(fact)
        badges = view.get_by_role("region", name="The badges in it, as they stand now")
        expect(badges).to_contain_text("Usability Testing")
        expect(badges).to_contain_text("Verified")

        issued = tmp_path / "issued.pdf"
        issued.write_bytes(data)
        view.get_by_label("The PDF to check").set_input_files(issued)
        view.get_by_role("button", name="Check the file").click()
        expect(view.locator("#verify-outcome")).to_have_text(
            re.compile(r"^This is the file we issued")
        )
        expect(view.locator("#verify-signature")).to_contain_text("Signature: intact")
        employer.check("verify-genuine")

        middle = len(data) // 2
        changed = tmp_path / "changed.pdf"
        changed.write_bytes(data[:middle] + bytes([data[middle] ^ 0x01]) + data[middle + 1 :])
        view.get_by_label("The PDF to check").set_input_files(changed)
        view.get_by_role("button", name="Check the file").click()
        expect(view.locator("#verify-outcome")).to_have_text(
            re.compile(r"^This is not the file we issued")
        )
        employer.check("verify-changed")

        # The learner offers the PDF on a new share link; the employer downloads it there.
        learner.open(f"/showcases/{showcase.public_id}/links/", "share")
        page.get_by_label("Who it is for").fill("Acme Ltd recruiter")
        page.get_by_label("Offer the PDF of this showcase").check()
        page.get_by_role("button", name="Make link").click()
        address = page.get_by_label("Link", exact=True).input_value()
        learner.check("link-made")

        view.goto(address)
        employer.check("shared-showcase")
        expect(view.get_by_role("heading", level=1)).to_have_text("Junior UX designer")
        shared = _download(employer, r"^Download the PDF", tmp_path / "employer")
        assert hashlib.sha256(shared).hexdigest() == export.sha256

    def test_a_link_without_the_option_offers_no_pdf(self, journey: Journey) -> None:
        account = LearnerFactory.create(name="Lena Learner")
        showcase = services.showcase_create(owner=account, title="Junior UX designer")
        work = services.section_add(showcase=showcase, heading="Projects")
        services.items_add(section=work, targets=[link_artefact(account, title="Write-up")])
        learner = journey.person("learner")
        page = learner.page
        learner.log_in(account.email, PASSWORD)
        learner.check("dashboard")
        learner.open(showcase.get_absolute_url(), "showcase")
        page.get_by_role("button", name="Export to PDF").click()
        # Tasks run in this process, so the PDF is ready when the page opens.
        expect(page.get_by_role("link", name=re.compile(r"^Download PDF"))).to_be_visible()
        learner.check("export-done")

        learner.open(f"/showcases/{showcase.public_id}/links/", "share")
        page.get_by_label("Who it is for").fill("Acme Ltd recruiter")
        page.get_by_role("button", name="Make link").click()
        address = page.get_by_label("Link", exact=True).input_value()
        learner.check("link-made")

        employer = journey.person("employer")
        employer.page.goto(address)
        employer.check("shared-showcase")
        expect(employer.page.get_by_role("heading", level=1)).to_have_text("Junior UX designer")
        expect(employer.page.get_by_text("Download the PDF")).to_have_count(0)
