"""The Leap2A pages: a learner exports their portfolio (made on the export machinery),
uploads a Leap2A file, watches its import and reads the report. Nobody else reaches them."""

import io
import zipfile
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts.models import User
from portfolio.archive.leap2a_jobs import LEAP2A_IMPORT
from portfolio.models import ArchiveImport, ArchiveImportState, Export, ExportState, Showcase
from tests.factories import LearnerFactory
from tests.portfolio.archive.leap2a_samples import (
    nothing_imported,
    populated,
    sample_bytes,
    with_feed,
)

DTD = b'<!DOCTYPE feed SYSTEM "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n<feed '


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _upload(client: Client, data: bytes, run: Any, name: str = "mahara.zip") -> Any:
    with run(execute=True):
        return client.post(
            reverse("leap2a:home"),
            {"archive": SimpleUploadedFile(name, data, "application/zip"), "request_key": "k"},
        )


@pytest.fixture
def imported(people, django_capture_on_commit_callbacks) -> ArchiveImport:
    response = _upload(_client(people.learner), sample_bytes(), django_capture_on_commit_callbacks)
    assert response.status_code == 302
    return ArchiveImport.objects.get(owner=people.learner)


def test_the_page_offers_export_and_import(people) -> None:
    page = _client(people.learner).get(reverse("leap2a:home"))

    assert page.status_code == 200
    html = page.content.decode()
    assert reverse("leap2a:export") in html
    assert 'type="file"' in html and 'name="archive"' in html


def test_the_exports_page_leads_to_it(people) -> None:
    page = _client(people.learner).get(reverse("exports:list")).content.decode()

    assert reverse("leap2a:home") in page


def test_an_uploaded_mahara_export_is_imported_and_reported(people, imported) -> None:
    assert imported.archive_id == LEAP2A_IMPORT
    assert imported.state == ArchiveImportState.DONE, imported.error
    assert imported.upload.name == ""  # the upload is gone once imported
    page = _client(people.learner).get(reverse("leap2a:import_detail", args=[imported.public_id]))

    html = page.content.decode()
    assert page.status_code == 200
    assert "Mahara Leap2A Export for Lena Learner" in html
    assert '<th scope="row">Reflections</th><td>8</td><td>0</td>' in html
    assert '<th scope="row">Showcases</th><td>1</td><td>0</td>' in html
    assert "Learner: Lena Learner" in html and "keeps its own name and email" in html
    assert Showcase.objects.get(owner=people.learner).title == "Showcase 10"


def test_the_progress_of_an_import_is_reported_as_json(people, imported) -> None:
    url = reverse("leap2a:import_progress", args=[imported.public_id])

    data = _client(people.learner).get(url).json()

    assert data["state"] == "done" and data["running"] is False
    assert data["done"] == data["total"] == 11


def test_a_file_without_leap2a_xml_is_refused_at_once(
    people, _media_root, django_capture_on_commit_callbacks
) -> None:
    not_leap2a = with_feed(sample_bytes(), lambda xml: xml)
    with zipfile.ZipFile(io.BytesIO(not_leap2a)) as archive:
        files = {n: archive.read(n) for n in archive.namelist() if n != "leap2a.xml"}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)

    response = _upload(_client(people.learner), out.getvalue(), django_capture_on_commit_callbacks)

    assert response.status_code == 400
    assert "This archive has no leap2a.xml" in response.content.decode()
    assert not ArchiveImport.objects.exists()
    assert nothing_imported(people.learner, _media_root)


def test_a_tampered_file_is_refused_in_the_background_and_says_why(
    people, _media_root, django_capture_on_commit_callbacks
) -> None:
    tampered = with_feed(sample_bytes(), lambda xml: xml.replace(b"<feed ", DTD, 1))

    response = _upload(_client(people.learner), tampered, django_capture_on_commit_callbacks)

    found = ArchiveImport.objects.get(owner=people.learner)
    assert response.status_code == 302
    assert found.state == ArchiveImportState.FAILED
    assert "declares a document type (a DTD)" in found.error
    page = _client(people.learner).get(reverse("leap2a:import_detail", args=[found.public_id]))
    assert "Nothing from this file was added to your portfolio." in page.content.decode()
    assert nothing_imported(people.learner, _media_root)


def test_an_upload_over_the_limit_is_stopped(
    people, settings, django_capture_on_commit_callbacks
) -> None:
    settings.ARCHIVE_MAX_UPLOAD_BYTES = 1000

    response = _upload(_client(people.learner), sample_bytes(), django_capture_on_commit_callbacks)

    assert response.status_code == 413
    assert "larger than the 1000" in response.content.decode()
    assert not ArchiveImport.objects.exists()


def test_an_export_is_made_in_the_background_and_imports_back(
    people, django_capture_on_commit_callbacks
) -> None:
    populated(people.learner)
    client = _client(people.learner)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("leap2a:export"), {"request_key": "once"})

    export = Export.objects.get(owner=people.learner)
    assert response.status_code == 302 and response["Location"] == export.get_absolute_url()
    assert (export.kind, export.state) == ("leap2a_zip", ExportState.DONE)
    detail = client.get(export.get_absolute_url()).content.decode()
    assert (
        "Leap2A export of your portfolio" in detail
        and "each showcase becomes a Mahara page" in detail
    )
    download = client.get(reverse("exports:download", args=[export.public_id]))
    data = b"".join(download.streaming_content)  # type: ignore[attr-defined]
    assert download["Content-Type"] == "application/zip"
    fresh = LearnerFactory.create()
    response = _upload(_client(fresh), data, django_capture_on_commit_callbacks, "export.zip")
    assert response.status_code == 302
    assert Showcase.objects.get(owner=fresh).title == "Junior developer application"


def test_a_resent_export_form_makes_one_export(people, django_capture_on_commit_callbacks) -> None:
    client = _client(people.learner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("leap2a:export"), {"request_key": "same"})
        client.post(reverse("leap2a:export"), {"request_key": "same"})

    assert Export.objects.filter(owner=people.learner).count() == 1


def test_removing_an_import_from_the_list_keeps_what_it_added(people, imported) -> None:
    response = _client(people.learner).post(
        reverse("leap2a:import_delete", args=[imported.public_id])
    )

    assert response.status_code == 302
    assert not ArchiveImport.objects.exists()
    assert Showcase.objects.filter(owner=people.learner).exists()


# --- Who may not reach the pages ------------------------------------------------------


def _import_urls(imported: ArchiveImport) -> list[tuple[str, str]]:
    key = [imported.public_id]
    return [
        ("get", reverse("leap2a:import_detail", args=key)),
        ("get", reverse("leap2a:import_progress", args=key)),
        ("post", reverse("leap2a:import_delete", args=key)),
    ]


ALL_URLS: list[Callable[[ArchiveImport], list[tuple[str, str]]]] = [
    lambda imported: [("get", reverse("leap2a:home")), ("post", reverse("leap2a:export"))],
    _import_urls,
]


@pytest.mark.parametrize("who", ["tutor", "other_tutor", "admin"])
def test_other_roles_are_refused_every_page(people, imported, who: str) -> None:
    client = _client(getattr(people, who))
    for urls in ALL_URLS:
        for method, url in urls(imported):
            assert getattr(client, method)(url).status_code == 403, url
    assert ArchiveImport.objects.filter(pk=imported.pk).exists()
    assert not Export.objects.exists()


def test_signed_out_visitors_are_sent_to_sign_in(people, imported) -> None:
    client = Client()
    for urls in ALL_URLS:
        for method, url in urls(imported):
            response = getattr(client, method)(url)
            assert response.status_code == 302 and "/login/" in response["Location"], url


@pytest.mark.parametrize("who", ["classmate", "outsider"])
def test_another_learner_cannot_see_or_remove_an_import(people, imported, who: str) -> None:
    client = _client(getattr(people, who))
    for method, url in _import_urls(imported):
        assert getattr(client, method)(url).status_code == 404, url
    assert ArchiveImport.objects.filter(pk=imported.pk).exists()
    assert reverse("leap2a:import_detail", args=[imported.public_id]) not in (
        client.get(reverse("leap2a:home")).content.decode()
    )


def test_an_archive_import_is_not_shown_as_a_leap2a_one(people, imported) -> None:
    imported.archive_id = ""
    imported.save()

    response = _client(people.learner).get(
        reverse("leap2a:import_detail", args=[imported.public_id])
    )

    assert response.status_code == 404


def test_a_leap2a_import_is_not_shown_as_an_archive_one(people, imported) -> None:
    client = _client(people.learner)
    assert str(imported.public_id) not in client.get(reverse("archive:import")).content.decode()
    response = client.get(reverse("archive:import_detail", args=[imported.public_id]))
    assert response.status_code == 404


def test_the_page_takes_the_same_queries_however_many_imports(
    people, django_assert_max_num_queries
) -> None:
    client = _client(people.learner)

    def imports(n: int) -> None:
        for index in range(n):
            ArchiveImport.objects.create(
                owner=people.learner, archive_id=LEAP2A_IMPORT, idempotency_key=f"{n}-{index}",
                original_name=f"file {index}.zip",
            )  # fmt: skip

    counted = []
    for n in (1, 10):
        imports(n)
        with django_assert_max_num_queries(12) as queries:
            assert client.get(reverse("leap2a:home")).status_code == 200
        counted.append(len(queries.captured_queries))
    assert counted[0] == counted[1]
