"""The showcase PDF says everything the showcase says, carries its verification address
on every page, is tagged, PDF/A and signed; the verification page tells the issued
file from a changed copy; asking twice makes one export."""

import io
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from portfolio.exports import services
from portfolio.exports.signing import signature_check
from portfolio.models import Export
from tests.portfolio.exports.builders import exported, full_showcase, pdf_bytes, reader

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def issued(people):
    built = full_showcase(people.learner)
    export = exported(people.learner, built.showcase)
    assert export.state == "done", export.error
    return built, export, pdf_bytes(export)


def test_pdf_holds_every_section_item_caption_badge_status_and_the_address(issued) -> None:
    built, export, data = issued
    pdf = reader(data)
    pages = [page.extract_text() for page in pdf.pages]
    text = "\n".join(pages)
    for expected in [*built.sections, *built.titles, *built.captions, "Verified"]:
        assert expected in text, expected
    address = f"portfolio.test/verify/{export.display_code}/"
    assert all(address in page for page in pages)
    assert export.sha256 and export.size == len(data)


def test_pdf_has_an_outline_entry_per_section_metadata_language_and_pdfa(issued) -> None:
    built, export, data = issued
    pdf = reader(data)
    top = [entry["/Title"] for entry in pdf.outline if not isinstance(entry, list)]
    assert top == built.sections
    assert pdf.metadata is not None
    assert pdf.metadata.title == built.showcase.title
    assert pdf.metadata.author == built.showcase.owner.display_name
    assert pdf.metadata.subject == "Acme Ltd"
    catalog: Any = pdf.trailer["/Root"]
    assert catalog["/Lang"] == "en"
    assert "/StructTreeRoot" in catalog
    assert export.pdfa == "PDF/A-3u"
    xmp = catalog["/Metadata"].get_object().get_data()
    assert re.search(rb"<pdfaid:part>3</pdfaid:part>|pdfaid:part=\"3\"", xmp)


def test_signature_validates_and_fails_on_a_changed_copy(issued) -> None:
    _, _, data = issued
    good = signature_check(data)
    assert good.present and good.intact and good.ours and good.whole_file
    changed = _one_byte_changed(data)
    assert not signature_check(changed).intact


def _one_byte_changed(data: bytes) -> bytes:
    """Change one letter of page text inside the signed range (the first content byte
    after "Junior", which is in a compressed stream: flip a byte in the middle)."""
    at = len(data) // 3
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]


def test_verification_page_accepts_the_file_and_rejects_a_changed_one(issued) -> None:
    _, export, data = issued
    client = Client()
    page = client.get(export.get_verify_url())
    assert page.status_code == 200
    assert export.sha256 in page.content.decode()
    ok = client.post(
        export.get_verify_url(), {"document": SimpleUploadedFile("a.pdf", data)}
    ).content.decode()
    assert "This is the file we issued" in ok
    assert "Signature: intact" in ok
    bad = client.post(
        export.get_verify_url(),
        {"document": SimpleUploadedFile("a.pdf", _one_byte_changed(data))},
    ).content.decode()
    assert "This is not the file we issued" in bad
    assert "Signature: broken" in bad


def test_verification_page_refuses_too_large_and_too_many_uploads(issued, settings) -> None:
    _, export, data = issued
    client = Client()
    settings.EXPORT_VERIFY_MAX_UPLOAD_BYTES = len(data) - 1
    too_big = client.post(export.get_verify_url(), {"document": SimpleUploadedFile("a.pdf", data)})
    assert too_big.status_code == 400
    assert "larger than any document we issue" in too_big.content.decode()
    settings.EXPORT_VERIFY_UPLOADS_PER_HOUR = 1
    client.post(export.get_verify_url(), {"document": SimpleUploadedFile("a.pdf", b"x")})
    refused = client.post(export.get_verify_url(), {"document": SimpleUploadedFile("a.pdf", b"x")})
    assert refused.status_code == 429


def test_withdrawn_export_says_so_and_is_no_longer_downloadable(issued, people) -> None:
    _, export, _ = issued
    services.export_withdraw(export=export)
    client = Client()
    assert "Withdrawn" in client.get(export.get_verify_url()).content.decode()
    client.force_login(people.learner)
    assert client.get(f"/exports/{export.public_id}/download/").status_code == 404


def test_verification_code_is_read_as_typed(issued) -> None:
    _, export, _ = issued
    typed = export.display_code.lower().replace("0", "o").replace("1", "l")
    assert Client().get(f"/verify/{typed}/").status_code == 200
    assert Client().get("/verify/NOTACODE/").status_code == 404


def test_asking_twice_with_the_same_form_makes_one_export(people) -> None:
    built = full_showcase(people.learner)
    client = Client()
    client.force_login(people.learner)
    url = f"/exports/showcase/{built.showcase.public_id}/"
    first = client.post(url, {"request_key": "same"})
    second = client.post(url, {"request_key": "same"})
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Export.objects.count() == 1
    assert Export.objects.get().state == "done"


def test_a_retried_task_renders_nothing_twice(issued) -> None:
    _, export, _ = issued
    assert services.export_render(export_id=export.pk) is None
    export.refresh_from_db()
    assert export.attempts == 1


def test_owner_is_told_when_the_export_is_ready(issued, people) -> None:
    _, export, _ = issued
    note = people.learner.notifications.get()
    assert "ready to download" in note.text
    assert note.url == export.get_absolute_url()


def test_pdf_download_by_owner(issued, people) -> None:
    _, export, data = issued
    client = Client()
    client.force_login(people.learner)
    response = client.get(f"/exports/{export.public_id}/download/")
    assert response.status_code == 200
    served = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert served == data
    assert io.BytesIO(data).read(5) == b"%PDF-"


def test_the_cover_names_the_institution_the_learner_chose_to_show(people) -> None:
    from portfolio.models import Showcase

    built = full_showcase(people.learner)
    institution = people.cohort.institution
    institution.name = "Northtown College"
    institution.save()
    Showcase.objects.filter(pk=built.showcase.pk).update(institution=institution)
    built.showcase.refresh_from_db()
    cover = reader(pdf_bytes(exported(people.learner, built.showcase))).pages[0].extract_text()
    assert "Northtown College" in cover

    Showcase.objects.filter(pk=built.showcase.pk).update(institution=None)
    built.showcase.refresh_from_db()
    services.export_request(owner=people.learner, showcase=built.showcase, request_key="k2")
    latest = Export.objects.filter(showcase=built.showcase).order_by("-created_at").first()
    assert latest is not None
    assert "Northtown College" not in reader(pdf_bytes(latest)).pages[0].extract_text()
