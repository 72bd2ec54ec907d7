"""The archive pages: "Download everything" on the exports list, the import page, its
progress and report; and every URL tried by each actor who must not reach it."""

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from artefacts.services import Details, artefact_create_text
from portfolio.models import ArchiveImport, ArchiveImportState, Export, ExportKind
from tests.factories import LearnerFactory
from tests.portfolio.archive.builders import account_rows

pytestmark = pytest.mark.django_db(transaction=True)


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def made(people: Any) -> tuple[Export, ArchiveImport]:
    """The learner's archive (of a small account) and an import of it into their own
    account."""
    artefact_create_text(owner=people.learner, body_markdown="Hello", details=Details("Note"))
    client = signed_in(people.learner)
    client.post("/archive/export/", {"request_key": "k"})
    export = Export.objects.get(kind=ExportKind.ARCHIVE_ZIP)
    with export.file.open("rb") as stored:
        data = stored.read()
    client.post("/archive/import/", {"archive": SimpleUploadedFile("mine.zip", data)})
    return export, ArchiveImport.objects.get()


def owner_urls(export: Export, archive_import: ArchiveImport) -> list[tuple[str, str]]:
    base = f"/archive/import/{archive_import.public_id}/"
    return [
        ("get", f"/exports/{export.public_id}/"),
        ("get", f"/exports/{export.public_id}/progress.json"),
        ("get", f"/exports/{export.public_id}/download/"),
        ("post", f"/exports/{export.public_id}/delete/"),
        ("get", base),
        ("get", base + "progress.json"),
        ("post", base + "delete/"),
    ]


ROLE_URLS = [
    ("post", "/archive/export/"),
    ("get", "/archive/import/"),
    ("post", "/archive/import/"),
]


def test_the_owner_downloads_their_archive_and_reads_the_import_report(made, people):
    export, archive_import = made
    client = signed_in(people.learner)
    response = client.get(f"/exports/{export.public_id}/download/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Disposition"].endswith('.zip"')
    page = client.get(f"/archive/import/{archive_import.public_id}/").content.decode()
    assert "Nothing new: everything in this archive was already in your account." in page
    assert client.get("/exports/").content.decode().count("Download everything") == 1


def test_restoring_an_archive_into_its_own_account_makes_nothing_new(made, people):
    _export, archive_import = made
    assert archive_import.state == ArchiveImportState.DONE, archive_import.error
    assert account_rows(people.learner)["artefacts"] == 1
    assert archive_import.report["existing"] == {"artefacts": 1}


def test_an_archive_has_no_verification_page(made):
    export, _archive_import = made
    assert Client().get(f"/verify/{export.display_code}/").status_code == 404


def test_a_file_that_is_not_an_archive_is_refused_on_the_form(people):
    client = signed_in(people.learner)
    upload = SimpleUploadedFile("holiday.zip", b"not a zip at all")
    response = client.post("/archive/import/", {"archive": upload})
    assert response.status_code == 400
    assert "This file is not a ZIP archive" in response.content.decode()
    assert not ArchiveImport.objects.exists()


def test_an_archive_over_the_upload_limit_is_stopped_unread(people, settings):
    settings.ARCHIVE_MAX_UPLOAD_BYTES = 1000
    client = signed_in(people.learner)
    upload = SimpleUploadedFile("big.zip", b"x" * 100_000)
    response = client.post("/archive/import/", {"archive": upload})
    assert response.status_code == 413
    assert "larger than the 1000\xa0bytes limit" in response.content.decode()
    assert not ArchiveImport.objects.exists()


@pytest.mark.parametrize("actor", ["classmate", "outsider"])
def test_other_learners_get_404(made, people, actor):
    client = signed_in(getattr(people, actor))
    for method, url in owner_urls(*made):
        assert getattr(client, method)(url).status_code == 404, url


@pytest.mark.parametrize("actor", ["tutor", "other_tutor", "admin"])
def test_tutors_and_admins_get_403(made, people, actor):
    client = signed_in(getattr(people, actor))
    for method, url in [*owner_urls(*made), *ROLE_URLS]:
        assert getattr(client, method)(url).status_code == 403, url


def test_anonymous_visitors_are_sent_to_sign_in(made):
    for method, url in [*owner_urls(*made), *ROLE_URLS]:
        response = getattr(Client(), method)(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    assert Export.objects.filter(state="done").count() == 1
    assert ArchiveImport.objects.count() == 1


def test_asking_twice_with_the_same_form_makes_one_archive(people):
    client = signed_in(people.learner)
    first = client.post("/archive/export/", {"request_key": "same"})
    second = client.post("/archive/export/", {"request_key": "same"})
    assert first["Location"] == second["Location"]
    assert Export.objects.filter(kind=ExportKind.ARCHIVE_ZIP).count() == 1


def test_another_learners_archive_imports_into_an_empty_account(made):
    export, _archive_import = made
    stranger = LearnerFactory.create()
    with export.file.open("rb") as stored:
        data = stored.read()
    response = signed_in(stranger).post(
        "/archive/import/", {"archive": SimpleUploadedFile("theirs.zip", data)}
    )
    found = ArchiveImport.objects.get(owner=stranger)
    assert response["Location"] == found.get_absolute_url()
    assert found.state == ArchiveImportState.DONE
    assert account_rows(stranger)["artefacts"] == 1


def test_a_learner_finds_their_exports_and_data_from_their_profile(people):
    page = signed_in(people.learner).get("/profile/").content.decode()
    assert 'href="/exports/">Exports and your data</a>' in page
    assert "Exports and your data" not in signed_in(people.tutor).get("/profile/").content.decode()


def _imports(owner: Any, count: int) -> None:
    for n in range(count):
        ArchiveImport.objects.create(
            owner=owner,
            original_name=f"archive-{n}.zip",
            idempotency_key=f"{owner.pk}-{n}-{ArchiveImport.objects.count()}",
            state=ArchiveImportState.DONE,
        )


def test_the_import_page_runs_the_same_queries_however_many_imports(
    people, django_assert_num_queries
):
    client = signed_in(people.learner)
    _imports(people.learner, 1)
    client.get("/archive/import/")  # the session and the user, read once
    with CaptureQueriesContext(connection) as few:
        client.get("/archive/import/")
    _imports(people.learner, 9)
    with django_assert_num_queries(len(few)):
        assert client.get("/archive/import/").content.decode().count("archive-") == 10
