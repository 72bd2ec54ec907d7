"""The APEL evidence PDF says everything the claim says (every outcome, every mapped
item, the transcript's totals, the judgements), has a bookmark per outcome, is tagged,
PDF/A-3u and signed, and embeds the claim's data: the same bytes the verification page
offers, equal to the claim's data built again. A changed copy is told apart."""

import hashlib
import json
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from portfolio.apel.claim_json import FORMAT, claim_data, claim_json
from portfolio.exports.signing import signature_check
from portfolio.models import ClaimEvent, Export, LearningOutcome, Programme
from tests.portfolio.apel.apel_data import claim_for
from tests.portfolio.exports.apel_builders import (
    OUTCOMES,
    assessed,
    embedded,
    embedded_json,
    exported_claim,
    one_byte_changed,
    small_claim,
)
from tests.portfolio.exports.builders import pdf_bytes, reader
from tests.portfolio.showcase_data import reflection

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def issued(people):
    built = assessed(small_claim(people.learner))
    export = exported_claim(people.learner, built.claim)
    assert export.state == "done", export.error
    return built, export, pdf_bytes(export)


def _text(data: bytes) -> list[str]:
    return [page.extract_text() for page in reader(data).pages]


def test_pdf_holds_every_outcome_item_the_totals_judgements_and_the_address(issued) -> None:
    built, export, data = issued
    pages = _text(data)
    text = "\n".join(pages)
    for expected in [*OUTCOMES, *built.titles]:
        assert expected in text, expected
    assert "Credits, issuer-stated 5" in text and "Credits, self-declared 0" in text
    assert "Credits in all 5" in text and "Study hours in all 40.0" in text
    assert "Credits the claim seeks 9.00" in text and "more credits than the programme" in text
    assert "(issuer-stated)" in text and "(self-declared)" in text
    assert "Declared by" in text and "Version 1 · Assessed" in text
    assert "s judgement: Meets" in text and "Clear and current." in text
    assert "Overall recommendation: Award part of the credit" in text
    assert "Demo institution" in pages[0] and "SE101 BSc Software Engineering" in pages[0]
    address = f"portfolio.test/verify/{export.display_code}/"
    assert all(address in page for page in pages)
    assert export.title == "APEL claim: BSc Software Engineering v1"


def test_the_legend_gives_the_page_each_item_is_printed_on(issued) -> None:
    built, _, data = issued
    pages = _text(data)
    matrix = next(page for page in pages if page.startswith("Outcomes and evidence"))
    for number, title in enumerate(built.titles, start=1):
        found = re.search(rf"^E{number} {re.escape(title)} \(.*\) .* (\d+)$", matrix, re.M)
        assert found, (title, matrix)
        printed = pages[int(found.group(1)) - 1]
        assert f"E{number} {title}" in printed


def test_pdf_has_a_bookmark_per_outcome_and_is_tagged_pdfa_and_signed(issued) -> None:
    _, export, data = issued
    pdf = reader(data)
    top = [str(entry["/Title"]) for entry in pdf.outline if not isinstance(entry, list)]
    by_outcome = [title.split(":")[0] for title in top if title.startswith("LO")]
    assert by_outcome == OUTCOMES
    assert {"Declaration", "Outcomes and evidence", "Micro-credential transcript"} <= set(top)
    assert pdf.metadata is not None and pdf.metadata.title == export.title
    catalog: Any = pdf.trailer["/Root"]
    assert "/StructTreeRoot" in catalog and catalog["/Lang"] == "en"
    assert export.pdfa == "PDF/A-3u"
    [associated] = {ref.get_object()["/F"]: ref.get_object() for ref in catalog["/AF"]}.values()
    assert associated["/F"] == "claim.json" and associated["/AFRelationship"] == "/Data"
    check = signature_check(data)
    assert check.present and check.intact and check.ours and check.whole_file


def test_embedded_json_is_the_claim_and_the_bytes_the_verify_page_offers(issued) -> None:
    built, export, data = issued
    assert list(embedded(data)) == ["claim.json"]  # nothing else is ever embedded
    [content] = embedded(data)["claim.json"]
    assert content == claim_json(claim=built.claim)
    document = embedded_json(data)
    assert document == claim_data(claim=built.claim)
    assert document["format"] == FORMAT
    assert [o["code"] for o in document["outcomes"]] == OUTCOMES
    assert [i["title"] for i in document["items"]] == built.titles
    [held] = built.badges
    [badge] = document["badges"]
    assert badge["original_payload"] == held.original_payload  # exactly as imported
    assert badge["document"] == json.loads(held.original_payload)
    assert document["outcomes"][0]["judgement"]["value"] == "meets"
    assert document["assessment"]["recommendation"] == "partial"
    assert document["transcript"]["totals"]["credits_total"] == "5"
    with export.attachment.open("rb") as stored:
        assert stored.read() == content
    assert export.attachment_sha256 == hashlib.sha256(content).hexdigest()
    response = Client().get(f"/verify/{export.display_code}/data/")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert b"".join(response.streaming_content) == content  # type: ignore[attr-defined]


def test_verify_page_offers_the_data_and_rejects_a_one_byte_change(issued) -> None:
    _, export, data = issued
    client = Client()  # anyone holding the PDF, signed in or not
    page = client.get(export.get_verify_url()).content.decode()
    assert "Download the claim data (JSON)" in page and export.attachment_sha256 in page
    assert "APEL evidence PDF" in page
    ok = client.post(export.get_verify_url(), {"document": SimpleUploadedFile("c.pdf", data)})
    assert "This is the file we issued" in ok.content.decode()
    changed = one_byte_changed(data)
    bad = client.post(
        export.get_verify_url(), {"document": SimpleUploadedFile("c.pdf", changed)}
    ).content.decode()
    assert "This is not the file we issued" in bad and "Signature: broken" in bad


def test_the_export_is_in_the_claims_history_once(issued) -> None:
    built, export, _ = issued
    [event] = ClaimEvent.objects.filter(claim=built.claim, kind="exported")
    assert event.detail == {"code": export.display_code, "sha256": export.sha256}
    assert event.actor.endswith(f"<{built.claim.learner.email}>")


def test_a_draft_on_a_learner_entered_programme_is_not_yet_declared(people) -> None:
    own = Programme.objects.create(entered_by=people.learner, title="Evening carpentry")
    LearningOutcome.objects.create(programme=own, code="C-1", text="Join timber.", position=0)
    written = reflection(people.learner, title="Building the shed")
    claim = claim_for(people.learner, own, {"C-1": [written]})
    export = exported_claim(people.learner, claim)
    assert export.state == "done", export.error
    text = "\n".join(_text(pdf_bytes(export)))
    assert "Learner-entered programme" in text and "Version 1 · Draft" in text
    assert "Not yet declared." in text and "Declared by" not in text
    assert "C-1" in text and "Building the shed" in text
    assert "Overall recommendation" not in text and "Appendix" not in text
    assert embedded_json(pdf_bytes(export))["claim"]["declaration"] is None
    assert Export.objects.get().claim == claim
