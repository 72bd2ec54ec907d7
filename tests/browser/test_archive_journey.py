"""A learner downloads everything in their portfolio, opens the archive's offline copy
from the unzipped folder in a browser with no server (every image loads, every link leads
to a file in the folder, and no request leaves it), then brings the archive into a new
account on the import page and reads what came across and what was left out."""

import re
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from playwright.sync_api import Page, Route, expect

from portfolio.models import ArchiveImport, ArchiveImportState
from tests.browser.journey import Journey, Person
from tests.factories import PASSWORD, CohortFactory, LearnerFactory, TutorFactory
from tests.portfolio.archive.builders import rich_account

pytestmark = pytest.mark.django_db(transaction=True)

# Every image on the page loaded eagerly (the pages ask for lazy loading), then each
# image's natural width, and every link's target as written.
IMAGES = """async () => {
  const images = Array.from(document.images);
  images.forEach(img => { img.loading = "eager"; });
  await Promise.all(images.map(img => img.decode().catch(() => null)));
  return images.map(img => ({src: img.getAttribute("src"), width: img.naturalWidth}));
}"""
LINKS = "() => Array.from(document.querySelectorAll('a[href]')).map(a => a.getAttribute('href'))"
OUTSIDE = ("http://", "https://", "mailto:")


def _download_zip(learner: Person, folder: Path) -> Path:
    with learner.page.expect_download() as waiting:
        learner.page.get_by_role("link", name=re.compile(r"^Download ZIP \(")).click()
    saved = folder / "archive.zip"
    waiting.value.save_as(saved)
    return saved


def _offline_visitor(journey: Journey, folder: Path) -> tuple[Person, list[str]]:
    """A browser that may read the folder and nothing else; every request is noted."""
    visitor = journey.person("offline")
    asked: list[str] = []

    def route(request_route: Route) -> None:
        url = request_route.request.url
        asked.append(url)
        if _inside(url, folder):
            request_route.continue_()
        else:
            request_route.abort()

    visitor.context.route("**/*", route)
    return visitor, asked


def _inside(url: str, folder: Path) -> bool:
    parts = urlsplit(url)
    if parts.scheme != "file":
        return False
    return Path(unquote(parts.path)).resolve().is_relative_to(folder.resolve())


def _check_offline_page(page: Page, folder: Path, images: list[str]) -> list[Path]:
    """Every image loaded and every link's target exists; the pages it links to. Adds
    the images seen to `images`."""
    here = Path(unquote(urlsplit(page.url).path))
    for image in page.evaluate(IMAGES):
        assert image["width"] > 0, f"{image['src']} did not load on {here.name}"
        images.append(image["src"])
    pages = []
    for href in page.evaluate(LINKS):
        if href.startswith(OUTSIDE):
            continue  # the learner's own links out (a blog...), not requested by the page
        target = href.split("#", 1)[0]
        if not target:
            assert page.locator(f"[id='{href[1:]}']").count() == 1, href
            continue
        resolved = (here.parent / unquote(target)).resolve()
        assert resolved.is_relative_to(folder.resolve()), f"{href} leaves the folder"
        assert resolved.is_file(), f"{href} on {here.name} leads to no file"
        if resolved.suffix == ".html":
            pages.append(resolved)
    return pages


class TestALearnerTakingEverythingWithThem:
    def test_downloads_opens_offline_and_imports_into_a_new_account(
        self, journey: Journey, tmp_path: Path
    ) -> None:
        account = LearnerFactory.create(name="Lena Learner")
        tutor = TutorFactory.create(name="Tom Tutor")
        CohortFactory.create(tutors=[tutor], learners=[account])
        rich_account(account, tutor)

        learner = journey.person("learner")
        page = learner.page
        learner.log_in(account.email, PASSWORD)
        learner.check("dashboard")
        learner.open("/exports/", "exports")
        page.get_by_role("button", name="Download everything").click()
        page.wait_for_url(re.compile(r"/exports/[0-9a-f-]{36}/$"))
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Archive of everything in your portfolio"
        )
        learner.check("archive-ready")
        saved = _download_zip(learner, tmp_path)

        folder = tmp_path / "unzipped"
        with zipfile.ZipFile(saved) as archive:
            archive.extractall(folder)
        visitor, asked = _offline_visitor(journey, folder)
        seen: set[Path] = set()
        images: list[str] = []
        waiting = [folder / "index.html"]
        while waiting:
            current = waiting.pop()
            if current in seen:
                continue
            seen.add(current)
            visitor.page.goto(current.as_uri())
            visitor.check(f"offline-{current.stem[:12]}")
            waiting.extend(_check_offline_page(visitor.page, folder, images))
        assert len([p for p in seen if p.parent.name == "showcases"]) == 1
        assert len(set(images)) == 3  # the photo and both badges (shown twice each)
        assert len([p for p in seen if p.parent.name == "badges"]) == 2
        outside = [url for url in asked if not _inside(url, folder)]
        assert asked and not outside, outside

        # The same archive, brought into a new account of Lena's on the import page.
        fresh = LearnerFactory.create(name="Lena Learner")
        newcomer = journey.person("newcomer")
        screen = newcomer.page
        newcomer.log_in(fresh.email, PASSWORD)
        newcomer.check("new-dashboard")
        newcomer.open("/archive/import/", "import")
        screen.get_by_label("Archive (.zip)").set_input_files(saved)
        screen.get_by_role("button", name="Upload and import").click()
        screen.wait_for_url(re.compile(r"/archive/import/[0-9a-f-]{36}/$"))
        expect(screen.get_by_role("heading", name="What was imported")).to_be_visible()
        expect(screen.get_by_role("row", name=re.compile(r"^Evidence 6 0"))).to_be_visible()
        # Badges are issued to Lena's old address, which this account has not verified.
        expect(screen.get_by_role("heading", name="Left out")).to_be_visible()
        expect(screen.get_by_text(re.compile(r"^Badges: Python programming"))).to_be_visible()
        newcomer.check("import-report")
        done = ArchiveImport.objects.get(owner=fresh)
        assert done.state == ArchiveImportState.DONE, done.error
