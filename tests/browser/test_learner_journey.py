"""A new learner, from signing up to sharing a showcase, in a real browser.

The curation steps (sections, adding items, reordering, sharing) are done with the
keyboard alone, checking at every Tab that focus is visible."""

import json
import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect

from badges.baking import bake_png
from portfolio.demo_badges import badge_png, demo_credential, demo_issuer_did, demo_issuer_key
from portfolio.models import ShareLink
from tests import filemakers
from tests.badges.issuers import trust_issuer
from tests.browser.journey import Journey, Person

pytestmark = pytest.mark.django_db(transaction=True)

NAME = "Nell Newbie"
EMAIL = "nell.newbie@example.org"
PASSWORD = "a-long-and-unusual-passphrase-2026"


def sign_up_and_verify(learner: Person) -> None:
    learner.open("/accounts/signup/", "sign-up")
    page = learner.page
    page.get_by_label("Your name").fill(NAME)
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label(re.compile(r"^Password \(required\)")).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.locator("main form").get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Check your email")
    learner.check("verification-sent")

    (message,) = [m for m in mail.outbox if m.to == [EMAIL]]
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", str(message.body))
    assert link, message.body
    assert urlsplit(link.group()).netloc == urlsplit(learner.journey.base_url).netloc
    page.goto(link.group())
    learner.check("confirm-email")
    page.locator("main form").get_by_role("button", name="Confirm").click()
    # Confirming from the browser that signed up signs the person in.
    expect(page.get_by_role("heading", level=1)).to_contain_text(NAME.split()[0])


def write_files(folder: Path) -> tuple[Path, Path, Path]:
    photo = folder / "prototype-photo.png"
    photo.write_bytes(filemakers.png(640, 480))
    report = folder / "usability-report.pdf"
    report.write_bytes(filemakers.pdf("Usability test report"))
    credential = demo_credential(
        issuer_key=demo_issuer_key(), email=EMAIL, slug="usability-testing",
        name="Usability Testing", issued=timezone.localdate() - timedelta(days=10), expires=None,
    )  # fmt: skip
    badge = folder / "usability-testing-badge.png"
    badge.write_bytes(
        bake_png(
            badge_png("Usability Testing", (27, 107, 58)),
            json.dumps(credential),
            keyword="openbadgecredential",
        )
    )
    return photo, report, badge


def item_titles(page: Page, section: str) -> list[str]:
    items = page.locator(f"section:has(h2:text-is('{section}')) .editor-item__title a")
    return items.all_inner_texts()


class TestALearner:
    def test_signs_up_gathers_evidence_and_shares_a_showcase(
        self, journey: Journey, tmp_path: Path
    ) -> None:
        photo, report, baked_badge = write_files(tmp_path)
        # A site-wide registry lists the badge's issuer (someone who signs up on their
        # own belongs to no institution, so only site-wide registries speak for them).
        trust_issuer(demo_issuer_did(), name="Site registry")
        learner = journey.person("learner")
        page = learner.page

        sign_up_and_verify(learner)
        learner.check("dashboard")

        # Upload a photo and a PDF through the page's own file control.
        page.get_by_role("link", name="Add evidence").first.click()
        learner.check("add-evidence")
        page.get_by_role("link", name="Upload files").click()
        learner.check("upload")
        with page.expect_file_chooser() as chooser:
            page.get_by_label("Files", exact=True).click()
        chooser.value.set_files([photo, report])
        page.locator("main form").get_by_role("button", name="Upload").click()
        results = page.locator("[data-upload-list] li")
        expect(results).to_have_count(2)
        expect(results.filter(has_text="prototype-photo.png")).to_contain_text(
            "Added as “prototype-photo”: open it."
        )
        expect(results.filter(has_text="usability-report.pdf")).to_contain_text(
            "Added as “usability-report”: open it."
        )
        learner.check("uploaded")
        page.get_by_role("link", name="Go to your evidence library").click()
        expect(page.locator("main")).to_contain_text("prototype-photo")
        expect(page.locator("main")).to_contain_text("usability-report")
        learner.check("library")

        # A reflection on both.
        page.get_by_role("link", name="Add evidence").first.click()
        page.get_by_role("link", name="Write a reflection").click()
        learner.check("new-reflection")
        page.get_by_label("Title").fill("What the usability test taught me")
        page.get_by_label(re.compile(r"^Reflection")).fill(
            "## What happened\n\nFive people tried the **prototype**; three got stuck.\n\n"
            "## Next\n\n- Move the save button\n- Test again"
        )
        page.get_by_role("checkbox", name=re.compile("prototype-photo")).check()
        page.get_by_role("checkbox", name=re.compile("usability-report")).check()
        page.locator("main form").get_by_role("button", name=re.compile("Save")).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "What the usability test taught me"
        )
        expect(page.get_by_role("heading", name="What happened")).to_be_visible()
        expect(page.get_by_role("link", name=re.compile("prototype-photo"))).to_be_visible()
        expect(page.get_by_role("link", name=re.compile("usability-report"))).to_be_visible()
        learner.check("reflection")

        # Import the badge baked into an image.
        page.get_by_role("navigation").get_by_role("link", name="Badges").click()
        learner.check("badges")
        page.get_by_role("link", name=re.compile("Add a badge")).first.click()
        learner.check("import-badge")
        page.get_by_label("Baked badge image").set_input_files(baked_badge)
        page.get_by_role("button", name="Check and add").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Usability Testing")
        expect(page.locator("main .status").first).to_have_text("Verified")
        expect(page.locator("main")).to_contain_text("listed in Site registry")
        learner.check("badge")

        # A showcase for employers.
        page.get_by_role("navigation").get_by_role("link", name="Showcases").click()
        learner.check("showcases")
        page.get_by_role("link", name=re.compile("New showcase")).first.click()
        learner.check("new-showcase")
        page.get_by_label("Title").fill("Junior UX designer")
        page.locator("main form").get_by_role("button", name="Save").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Junior UX designer")
        learner.check("editor-empty")

        # From here on, keyboard only. A new showcase starts with one section; add another.
        expect(page.get_by_role("heading", level=2, name="My best work")).to_be_visible()
        learner.tab_to(page.get_by_label("Section heading"))
        learner.type("Credentials")
        learner.tab_to(page.get_by_role("button", name="Add section"))
        learner.press_and_load()
        expect(page.get_by_role("heading", name="Credentials", level=2)).to_be_visible()

        learner.tab_to(page.locator("summary", has_text="Add evidence or badges to “My best work”"))
        learner.press("Enter")
        projects = page.locator("section", has=page.get_by_role("heading", name="My best work"))
        learner.tab_to(projects.get_by_label("Search your evidence and badges"))
        learner.type("usability")
        # The PDF, the reflection and the badge match; the photo does not.
        expect(projects.get_by_role("checkbox")).to_have_count(3)
        learner.press("Control+A")
        learner.press("Backspace")
        expect(projects.get_by_role("checkbox")).to_have_count(4)
        for name in ("prototype-photo", "usability-report", "What the usability test"):
            learner.tab_to(projects.get_by_role("checkbox", name=re.compile(name)))
            learner.press("Space")
        learner.tab_to(projects.get_by_role("button", name="Add the ticked items"))
        learner.press_and_load()
        learner.check("editor-with-items")
        assert item_titles(page, "My best work") == [
            "usability-report", "prototype-photo", "What the usability test taught me"
        ]  # fmt: skip

        # The photo should lead.
        learner.tab_to(page.get_by_role("button", name="Move prototype-photo up"))
        learner.press_and_load()
        assert item_titles(page, "My best work") == [
            "prototype-photo", "usability-report", "What the usability test taught me"
        ]  # fmt: skip
        # Focus is back on the item just moved: the next Tab goes into it, not to the top.
        assert page.evaluate("document.activeElement.id") == page.locator(
            ".editor-item", has_text="prototype-photo"
        ).get_attribute("id")
        learner.press("Tab")
        assert "prototype-photo" in learner.focused()["what"]

        credentials = page.locator("section", has=page.get_by_role("heading", name="Credentials"))
        learner.tab_to(page.locator("summary", has_text="Add evidence or badges to “Credentials”"))
        learner.press("Enter")
        learner.tab_to(credentials.get_by_role("checkbox", name=re.compile("Usability Testing")))
        learner.press("Space")
        learner.tab_to(credentials.get_by_role("button", name="Add the ticked items"))
        learner.press_and_load()
        expect(credentials.locator(".editor-item")).to_have_count(1)
        learner.check("editor")

        learner.tab_to(page.get_by_role("link", name="Share", exact=True))
        learner.press_and_load()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Share")
        learner.check("share")
        expires = timezone.localdate() + timedelta(days=30)
        learner.tab_to(page.get_by_label("Who it is for"))
        learner.type("Acme Ltd recruiter")
        learner.tab_to(page.get_by_label("Stops working after"))
        learner.type_date(expires)
        expect(page.get_by_label("Stops working after")).to_have_value(expires.isoformat())
        learner.tab_to(page.get_by_role("button", name="Make link"))
        learner.press_and_load()
        new_link = page.get_by_label("Link", exact=True)
        expect(new_link).to_have_value(re.compile(r"/s/[\w-]{20,}/$"))
        learner.check("link-made")
        made = page.get_by_role("listitem").filter(
            has=page.get_by_role("heading", name=re.compile("Acme Ltd recruiter"))
        )
        expect(made).to_contain_text("Active")
        expect(made).to_contain_text(expires.strftime("%-d %b %Y"))

        link = ShareLink.objects.get(label="Acme Ltd recruiter")
        assert link.expires_on == expires
        assert link.showcase.owner.email == EMAIL
