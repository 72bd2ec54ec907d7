"""An APEL applicant's whole journey, in real browsers: a learner builds a claim from a
published programme, maps evidence with the keyboard, sees the gaps close in the matrix,
declares and submits; the assessor records judgements; the learner exports the APEL PDF
and it contains them. Then a claim like it sent instead to an outside assessor by email,
who judges it through the emailed link without an account.

Every form a person can fill in wrong is sent once wrong (nothing is saved, the page
says what to do) and once right: sign-in, starting the claim, the picker, the declared
transcript values, submitting, each judgement and the recommendation. A justification
has no wrong input a browser can send (any text the textarea takes is accepted).
Every page is checked with axe at 1280 and 360 px, and a Content Security Policy
violation on any of them fails the journey."""

import hashlib
import re
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import Locator, Page, expect

from portfolio.models import Claim, ClaimAssessor, ClaimState, Export, ExportState
from tests.browser.apel_applicant import CODES, Applicant, applicant
from tests.browser.journey import Journey, Person
from tests.browser.test_assessor_pages_journey import judge_by_keyboard
from tests.browser.test_export_journey import RENDER_WAIT_MS, _download
from tests.factories import PASSWORD
from tests.portfolio.apel.apel_data import claim_for
from tests.portfolio.exports.builders import reader

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "Credit for my network engineering work"
JUDGED = {
    "LO1": ("meets", "Meets", "The design answers the brief."),
    "LO2": ("partly", "Partly meets", "Show the test plan as well as the results."),
    "LO3": ("not_yet", "Not yet met", "The log is older than five years."),
    "LO4": ("not_yet", "Not yet met", "Nothing shows this outcome yet."),
}
ADVICE = "Award LO1; bring a current change log and a test plan."


@pytest.fixture(autouse=True)
def _signing(settings: Any, tmp_path: Path) -> None:
    """Sign PDFs with a development certificate made for this test, not under var/."""
    settings.EXPORT_SIGNING_DEV_DIR = str(tmp_path / "signing")
    settings.EXPORT_SIGNING_SELF_SIGNED = True


def matrix_flags(page: Page, code: str) -> Locator:
    """The flags cell of an outcome's row in the coverage matrix."""
    row = page.locator(".apel-matrix__table tbody tr").filter(
        has=page.get_by_role("rowheader", name=code, exact=True)
    )
    return row.locator(".apel-matrix__flags")


def expect_counts(page: Page, covered: int, gaps: int) -> None:
    counts = page.get_by_role("list", name="Coverage")
    expect(counts).to_contain_text(f"{covered} of {len(CODES)} outcomes covered")
    expect(counts).to_contain_text(f"{gaps} with no evidence")


def signs_in(person: Person, email: str) -> None:
    """A wrong password first (refused, said so), then the right one."""
    page = person.page
    person.open("/accounts/login/", "sign-in")
    form = page.locator("form[action='/accounts/login/']")
    form.get_by_label("Email").fill(email)
    form.get_by_label("Password").fill("not-my-password")
    form.get_by_role("button", name="Sign in").click()
    expect(page.locator("main")).to_contain_text("password you specified are not correct")
    person.check("sign-in-refused")
    person.log_in(email, PASSWORD)


def starts_a_claim(learner: Person, data: Applicant) -> Claim:
    """From the Programmes link in the menu to a new claim's page."""
    page = learner.page
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Programmes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Programmes")
    learner.check("programmes")
    page.get_by_role("link", name=data.programme.title).click()
    expect(page.get_by_role("main")).to_contain_text("From the last 5 years")
    learner.check("programme")
    page.get_by_role("link", name="Start a claim against this programme").click()
    learner.check("start-claim")

    page.get_by_label(re.compile("^Title of your claim")).fill("")
    page.get_by_role("button", name="Start the claim").click()
    expect(page.locator(".field-errors")).to_contain_text("This field is required.")
    learner.check("start-claim-refused")
    assert not Claim.objects.exists()

    page.get_by_label(re.compile("^Title of your claim")).fill(TITLE)
    page.get_by_role("button", name="Start the claim").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(TITLE)
    return Claim.objects.get(learner=data.learner)


def maps_evidence_by_keyboard(learner: Person, code: str, titles: dict[str, str]) -> None:
    """From the claim page, with Tab, Space and Enter only: open the picker for `code`,
    send it once with nothing ticked, then tick `titles` (title: the picker group it is
    in) and add them. Back on the claim page, focus is on what was said."""
    page = learner.page
    learner.tab_to(page.get_by_role("link", name=f"Add evidence to {code}").last)
    learner.press_and_load("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Add evidence to {code}")
    learner.check(f"picker-{code}")
    add = page.get_by_role("button", name=f"Add the ticked items to {code}")
    learner.tab_to(add)
    learner.press_and_load("Enter")
    expect(page.get_by_role("alert")).to_have_text("Tick at least one item to add.")
    learner.check(f"picker-{code}-nothing-ticked")
    for title, group in titles.items():
        learner.tab_to(page.get_by_role("group", name=group).get_by_role("checkbox", name=title))
        learner.press("Space")
    learner.tab_to(add)
    learner.press_and_load("Enter")
    said = page.locator(f"#outcome-{code} [data-said]")
    count = len(titles)
    expect(said).to_have_text(f"{count} item{'s are' if count > 1 else ' is'} mapped to {code}.")
    expect(said).to_be_focused()


def builds_the_claim(learner: Person, data: Applicant) -> Claim:
    page = learner.page
    claim = starts_a_claim(learner, data)
    # Nothing mapped: every outcome is a gap, and the cap is already exceeded.
    expect_counts(page, covered=0, gaps=4)
    for code in CODES:
        expect(matrix_flags(page, code)).to_contain_text("No evidence")
    expect(page.locator("#transcript")).to_contain_text(
        "This claim seeks 20 credits, more than the 15 the programme grants by APEL"
    )
    learner.check("new-claim")

    maps_evidence_by_keyboard(
        learner, "LO1", {data.written.title: "Reflections", data.report.title: "Artefacts"}
    )
    expect_counts(page, covered=1, gaps=3)
    expect(matrix_flags(page, "LO1")).to_have_text("✎ Self-declared evidence only")
    learner.check("mapped-LO1")
    maps_evidence_by_keyboard(learner, "LO3", {data.old_log.title: "Artefacts"})
    expect_counts(page, covered=2, gaps=2)
    flags = matrix_flags(page, "LO3")
    for flag in ("Relies on one item", "Self-declared evidence only", "not current"):
        expect(flags).to_contain_text(flag)
    learner.check("mapped-LO3")

    # The badge aligned to LO2 is suggested there, with the reason; Enter accepts it.
    lo2 = page.locator("#outcome-LO2")
    expect(lo2).to_contain_text("Aligned to code LO2 in NE100")
    learner.tab_to(lo2.get_by_role("button", name=f"Add “{data.held.name}” to LO2"))
    learner.press_and_load("Enter")
    expect(page.locator("#outcome-LO2 [data-said]")).to_be_focused()
    expect_counts(page, covered=3, gaps=1)
    expect(matrix_flags(page, "LO2")).to_have_text("① Relies on one item")
    learner.check("suggestion-accepted")

    learner.tab_to(page.get_by_label("Your justification for LO1"))
    learner.type("I designed the office network for my placement and wrote about it weekly.")
    learner.tab_to(page.get_by_role("button", name="Save the justification for LO1"))
    learner.press_and_load("Enter")
    expect(page.locator("#outcome-LO1 [data-said]")).to_have_text("Justification saved.")
    learner.check("justified")

    # The badge states no study hours: the learner declares them (an EQF level out of
    # range is refused first, and what was typed is kept).
    declared = page.locator(".apel-credential")
    save = declared.get_by_role("button", name=f"Save what you declare for “{data.held.name}”")
    declared.get_by_label("Study hours").fill("40")
    declared.get_by_label("EQF level").fill("9")
    save.click()
    expect(page.get_by_role("alert")).to_contain_text("Nothing was saved.")
    expect(declared.get_by_label("Study hours")).to_have_value("40")
    learner.check("declared-refused")
    declared.get_by_label("EQF level").fill("")
    save.click()
    expect(page.locator(".apel-transcript")).to_contain_text("40 self-declared")
    learner.check("declared")
    return claim


def submits(learner: Person, claim: Claim, route: str, fill: dict[str, str]) -> None:
    """The submit page: sent first without the declaration (nothing submitted), then with
    it. `route` is the assessor choice's label, `fill` the fields' labels and values."""
    page = learner.page
    page.get_by_role("link", name="Submit", exact=True).click()
    expect(page.get_by_test_id("gaps-warning")).to_contain_text("1 outcome has no evidence")
    learner.check("submit")
    page.get_by_label(route).check()
    for label, value in fill.items():
        field = page.get_by_label(label, exact=True)
        field.select_option(label=value) if label == "Assessor" else field.fill(value)
    page.get_by_role("button", name="Submit the claim").click()
    expect(page.locator(".field-errors")).to_contain_text(
        "Confirm the declaration of authenticity before you submit the claim."
    )
    learner.check("submit-without-declaration")
    claim.refresh_from_db()
    assert claim.state == ClaimState.DRAFT and not ClaimAssessor.objects.exists()

    page.get_by_label("I confirm this declaration").check()
    page.get_by_role("button", name="Submit the claim").click()
    expect(page.locator(".messages")).to_contain_text("Your claim is submitted and sent to")
    learner.check("submitted")
    claim.refresh_from_db()
    assert claim.state == ClaimState.SUBMITTED and claim.declared_at is not None


def opens_an_evidence_file(assessor: Person, title: str) -> str:
    """Follow the evidence's download link through the assessor's own session: the file
    comes from the permission-checked URL, as a PDF."""
    page = assessor.page
    item = page.locator(".apel-item").filter(has=page.get_by_role("heading", name=title))
    href = item.get_by_role("link", name=re.compile("^Download")).get_attribute("href")
    assert href
    response = page.request.get(assessor.url(href))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    return href


def judges_every_outcome(assessor: Person) -> None:
    """By keyboard, "partly" without the comment it needs first (refused), then each
    outcome as JUDGED says; then the recommendation (refused first without a comment)."""
    page = assessor.page
    judge_by_keyboard(assessor, "LO2", "partly")
    problem = page.get_by_test_id("problem")
    expect(problem).to_contain_text("Say what is missing")
    expect(problem).to_be_focused()
    assessor.check("judgement-refused")
    for code, (value, _label, comment) in JUDGED.items():
        judge_by_keyboard(assessor, code, value, comment)
        expect(page.locator(".messages")).to_contain_text(f"Your judgement of {code} is saved.")
    expect(page.get_by_test_id("progress")).to_contain_text("4 of 4 outcomes judged")
    assessor.check("judged")

    form = page.locator("#recommendation")
    assessor.tab_to(form.get_by_role("radio").first, limit=300)
    assessor.press("Space")
    assessor.press("ArrowDown")  # "Award part of the credit"
    expect(form.get_by_label("Award part of the credit")).to_be_checked()
    assessor.tab_to(form.get_by_role("button", name="Save recommendation"))
    assessor.press_and_load()
    expect(page.get_by_test_id("problem")).to_contain_text("Say what the learner should do next")
    assessor.check("recommendation-refused")
    assessor.tab_to(form.get_by_label("Comment to the learner"))
    assessor.type(ADVICE)
    assessor.tab_to(form.get_by_role("button", name="Save recommendation"))
    assessor.press_and_load()
    expect(page.locator(".messages")).to_contain_text("the learner has been told")
    assessor.check("recommended")


def sees_the_judgements(learner: Person, claim: Claim) -> None:
    page = learner.page
    learner.open(claim.get_absolute_url(), "claim-assessed")
    result = page.get_by_role("region", name="The assessor's recommendation")
    expect(result).to_contain_text("Award part of the credit")
    expect(result).to_contain_text(ADVICE)
    for code, (_value, label, comment) in JUDGED.items():
        expect(page.locator(f"#outcome-{code}")).to_contain_text(f"Assessor's judgement: {label}")
        expect(page.locator(f"#outcome-{code}")).to_contain_text(comment)


class TestAnApelApplicant:
    def test_builds_a_claim_by_keyboard_has_it_judged_and_exports_the_pdf_with_the_judgements(
        self, journey: Journey, tmp_path: Path
    ) -> None:
        data = applicant()
        learner = journey.person("learner")
        page = learner.page
        signs_in(learner, data.learner.email)
        learner.check("dashboard")
        claim = builds_the_claim(learner, data)
        submits(
            learner,
            claim,
            "An assessor of the institution",
            {"Assessor": f"Sam Assessor ({data.assessor.email})"},
        )
        expect(page.locator(".messages")).to_contain_text("sent to Sam Assessor")

        assessor = journey.person("assessor")
        view = assessor.page
        signs_in(assessor, data.assessor.email)
        assessor.check("landing")
        view.get_by_role("navigation", name="Main").get_by_role(
            "link", name="Claims to assess"
        ).click()
        expect(view.get_by_role("heading", level=1)).to_have_text("Claims to assess")
        expect(view.get_by_role("row", name=re.compile(TITLE))).to_contain_text(
            "0 of 4 outcomes judged"
        )
        assessor.check("claims-to-assess")
        view.get_by_role("link", name=TITLE).click()
        expect(view.get_by_role("heading", level=1)).to_have_text(f"Assess “{TITLE}”")
        expect(view.locator("main")).to_contain_text("Confirmed by Ada Applicant")
        assessor.check("claim")
        href = opens_an_evidence_file(assessor, data.report.title)
        # The same address refuses anyone not signed in as the claim's assessor.
        stranger = journey.person("stranger").page.request.get(assessor.url(href), max_redirects=0)
        assert stranger.status == 302 and "/accounts/login/" in stranger.headers["location"]
        judges_every_outcome(assessor)
        claim.refresh_from_db()
        assert claim.state == ClaimState.ASSESSED and claim.recommendation == "partial"

        sees_the_judgements(learner, claim)
        page.get_by_role("button", name="Export APEL PDF").click()
        page.wait_for_url(re.compile(r"/exports/[0-9a-f-]{36}/$"))
        expect(page.get_by_role("heading", level=1)).to_contain_text(f"APEL claim: {TITLE}")
        download = page.get_by_role("link", name=re.compile(r"^Download PDF \(\d"))
        expect(download).to_be_visible(timeout=RENDER_WAIT_MS)
        expect(page.get_by_role("progressbar")).to_have_count(0)
        learner.check("apel-pdf-ready")
        export = Export.objects.get(claim=claim)
        assert export.state == ExportState.DONE, export.error
        pdf = _download(learner, r"^Download PDF", tmp_path)
        assert hashlib.sha256(pdf).hexdigest() == export.sha256

        text = " ".join(" ".join(p.extract_text() for p in reader(pdf).pages).split())
        # Each outcome with the assessor's judgement and comment, the judgements again in
        # the assessment's table, the recommendation, and the address to check it at.
        for code, (_value, label, comment) in JUDGED.items():
            assert f"Assessor\u2019s judgement: {label} by Sam Assessor" in text
            assert comment in text
            assert f"{code} {label} Sam Assessor <{data.assessor.email}>" in text
        assert "Overall recommendation: Award part of the credit By Sam Assessor" in text
        assert ADVICE in text
        assert "40.0 (self-declared)" in text
        address = f"{learner.url('')}/verify/{export.display_code}/".split("://", 1)[1]
        assert address in text.replace(" ", ""), text[:600]

    def test_names_an_outside_assessor_who_judges_through_the_emailed_link(
        self, journey: Journey
    ) -> None:
        data = applicant()
        claim = claim_for(
            data.learner,
            data.programme,
            {"LO1": [data.report, data.written], "LO2": [data.held], "LO3": [data.old_log]},
        )
        learner = journey.person("learner")
        page = learner.page
        learner.log_in(data.learner.email, PASSWORD)
        learner.check("dashboard")
        page.get_by_role("navigation", name="Main").get_by_role("link", name="APEL claims").click()
        learner.check("claims")
        page.get_by_role("link", name=claim.title, exact=True).click()
        expect_counts(page, covered=3, gaps=1)
        learner.check("claim")

        page.get_by_role("link", name="Submit", exact=True).click()
        learner.check("submit")
        page.get_by_label("A named person, by email").check()
        page.get_by_label("Their name").fill("Grace Hopper")
        page.get_by_label("Their email address").fill("grace at navy")
        page.get_by_label("I confirm this declaration").check()
        page.get_by_role("button", name="Submit the claim").click()
        expect(page.locator(".field-errors")).to_contain_text(
            "Enter an email address like name@example.com."
        )
        learner.check("submit-bad-address")
        assert not mail.outbox and not ClaimAssessor.objects.exists()
        expect(page.get_by_label("I confirm this declaration")).to_be_checked()
        page.get_by_label("Their email address").fill("grace@navy.test")
        page.get_by_role("button", name="Submit the claim").click()
        expect(page.locator(".messages")).to_contain_text("sent to Grace Hopper")
        learner.check("submitted")

        (message,) = [m for m in mail.outbox if m.to == ["grace@navy.test"]]
        found = re.search(r"https?://\S+/apel/assess/[\w-]+/", str(message.body))
        assert found, message.body
        outsider = journey.person("outside-assessor")
        view = outsider.page
        view.goto(found.group(0))
        expect(view.get_by_role("heading", level=1)).to_have_text(f"Assess “{claim.title}”")
        expect(view.get_by_role("navigation", name="Main")).to_have_count(0)
        outsider.check("claim-by-link")
        opens_an_evidence_file(outsider, data.report.title)
        judges_every_outcome(outsider)
        claim.refresh_from_db()
        assert claim.state == ClaimState.ASSESSED
        assert claim.assessed_by == "Grace Hopper <grace@navy.test>"

        (told,) = [m for m in mail.outbox if m.to == [data.learner.email]]
        assert "has been assessed" in told.subject
        sees_the_judgements(learner, claim)
