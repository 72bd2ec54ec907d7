"""Upload limits: an over-size upload is stopped as soon as it is known to be too large,
without reading the rest; a damaged image is refused before it is stored or counted; a
batch's status says whether everything, something or nothing was added; and the quota is
checked and charged under the learner's lock, so concurrent uploads never exceed it."""

import json
import threading
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.client import FakePayload, encode_multipart
from django.urls import reverse

from artefacts.models import Artefact
from artefacts.services import Details, artefact_create_file, storage_reserve, storage_used
from artefacts.uploadhandlers import FORM_ALLOWANCE
from core.uploads import UploadRejected
from tests import filemakers as make
from tests.conftest import People

UPLOAD = reverse("artefacts:upload")
DETAILS = {"visibility": "tutors", "learned_on": "2026-03-14", "tags": ""}
BOUNDARY = "----evidence-boundary"
CHUNK = 64 * 1024  # Django's multipart parser reads this much at a time


class CountingPayload(FakePayload):
    """A request body that counts how much of it the server read."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.bytes_read = 0

    def read(self, size: int = -1, /) -> bytes:
        data = super().read(size)
        self.bytes_read += len(data)
        return bytes(data)


def stored_files(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()]


@pytest.fixture
def learner_client(client: Client, people: People) -> Client:
    client.force_login(people.learner)
    return client


def post_counting(client: Client, *files: Any, json_reply: bool = True) -> tuple[Any, int, int]:
    body = encode_multipart(BOUNDARY, {**DETAILS, "files": list(files)})
    payload = CountingPayload(body)
    headers = {"accept": "application/json"} if json_reply else {}
    extra: dict[str, Any] = {"wsgi.input": payload}
    response = client.post(
        UPLOAD,
        body,
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
        headers=headers,
        **extra,
    )
    return response, payload.bytes_read, len(body)


def test_an_upload_over_the_limit_is_stopped_before_its_file_is_read(
    learner_client: Client, settings: Any, _media_root: Path
) -> None:
    settings.ARTEFACT_MAX_UPLOAD_BYTES = 100_000
    big = make.uploaded("film.mp4", make.mp4() + b"\0" * 3_000_000)

    response, read, sent = post_counting(learner_client, big)

    assert response.status_code == 413
    (result,) = json.loads(response.content)["results"]
    assert result["name"] == "film.mp4" and result["ok"] is False
    assert result["message"].startswith("This is larger than the 97.7\xa0KB limit")
    assert "nothing was added" in result["message"]
    assert read <= 100_000 + FORM_ALLOWANCE + CHUNK < sent
    assert not Artefact.objects.exists() and stored_files(_media_root) == []


def test_a_file_passing_the_limit_as_it_arrives_is_stopped_there(
    learner_client: Client, settings: Any, _media_root: Path
) -> None:
    settings.ARTEFACT_MAX_UPLOAD_BYTES = 1000  # the body is within the form's allowance
    response, _, _ = post_counting(
        learner_client, make.uploaded("big.pdf", make.pdf() + b" " * 20_000)
    )
    assert response.status_code == 413
    (result,) = json.loads(response.content)["results"]
    assert "larger than the 1000\xa0bytes limit" in result["message"]
    assert not Artefact.objects.exists() and stored_files(_media_root) == []


def test_the_no_script_form_shows_the_limit_when_an_upload_is_too_large(
    learner_client: Client, settings: Any
) -> None:
    settings.ARTEFACT_MAX_UPLOAD_BYTES = 100_000
    response, _, _ = post_counting(
        learner_client, make.uploaded("film.mp4", make.mp4() + b"\0" * 500_000), json_reply=False
    )
    assert response.status_code == 413
    page = response.content.decode()
    assert "Nothing was added." in page and "97.7\xa0KB limit" in page


# --- Damaged images -----------------------------------------------------------------


def test_a_truncated_jpeg_is_refused_at_upload_and_not_counted(
    learner_client: Client, people: People, _media_root: Path
) -> None:
    photo = make.jpeg(800, 600)
    response = learner_client.post(
        UPLOAD,
        {**DETAILS, "files": [make.uploaded("photo.jpg", photo[: len(photo) // 2])]},
        headers={"accept": "application/json"},
    )
    assert response.status_code == 400
    (result,) = json.loads(response.content)["results"]
    assert result["message"].startswith("This JPEG is damaged or incomplete:")
    assert "nothing was added" in result["message"]
    assert not Artefact.objects.exists() and stored_files(_media_root) == []
    assert storage_used(owner=people.learner) == 0


# --- Batch status -------------------------------------------------------------------


def test_a_batch_where_everything_was_added_is_a_200_saying_so(learner_client: Client) -> None:
    files = [make.uploaded("a.png", make.png()), make.uploaded("b.pdf", make.pdf())]
    response = learner_client.post(UPLOAD, {**DETAILS, "files": files})
    assert response.status_code == 200
    assert "2 files added." in response.content.decode()


def test_a_batch_where_nothing_was_added_is_a_400_saying_so(learner_client: Client) -> None:
    files = [make.uploaded("a.png", make.pdf()), make.uploaded("b.exe", make.exe())]
    response = learner_client.post(UPLOAD, {**DETAILS, "files": files})
    assert response.status_code == 400
    assert "Nothing was added. See why below." in response.content.decode()
    assert not Artefact.objects.exists()


# --- Quota under a lock ---------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_reserving_space_outside_a_transaction_is_an_error(people: People) -> None:
    with pytest.raises(RuntimeError, match=r"inside transaction\.atomic"):
        storage_reserve(owner=people.learner, size=1)


def test_reserving_counts_what_the_same_transaction_already_recorded(
    people: People, settings: Any
) -> None:
    data = make.pdf()
    settings.ARTEFACT_QUOTA_BYTES = len(data) * 2 - 1
    with transaction.atomic():
        storage_reserve(owner=people.learner, size=len(data))
        Artefact.objects.create(owner=people.learner, kind="file", title="one", size=len(data))
        with pytest.raises(UploadRejected, match="more than the space you have left"):
            storage_reserve(owner=people.learner, size=len(data))


def test_a_file_that_no_longer_fits_once_locked_is_not_stored(
    people: People, settings: Any, _media_root: Path
) -> None:
    """The check before storing passes; meanwhile another upload fills the quota; the
    locked check refuses and the stored file is removed again."""
    data = make.pdf()
    settings.ARTEFACT_QUOTA_BYTES = len(data)
    upload = make.uploaded("late.pdf", data)
    storage: Any = Artefact._meta.get_field("file").storage
    real_save = storage.save

    def save_while_another_upload_lands(name: str, content: Any, **kwargs: Any) -> str:
        Artefact.objects.create(owner=people.learner, kind="file", title="first", size=len(data))
        return real_save(name, content, **kwargs)

    storage.save = save_while_another_upload_lands  # Django's storage, not our code
    try:
        with pytest.raises(UploadRejected, match="more than the space you have left"):
            artefact_create_file(owner=people.learner, upload=upload, details=Details(title="x"))
    finally:
        del storage.save
    assert list(Artefact.objects.values_list("title", flat=True)) == ["first"]
    assert stored_files(_media_root) == []


@pytest.mark.django_db(transaction=True)
def test_concurrent_uploads_never_exceed_the_quota(
    people: People, settings: Any, _media_root: Path
) -> None:
    if connection.vendor == "sqlite":
        pytest.skip("needs PostgreSQL: SQLite's test database is one connection in memory")
    data = make.text("x" * 50_000)
    settings.ARTEFACT_QUOTA_BYTES = 1_000_000  # room for 19 of these and a bit
    threads, start = 40, threading.Barrier(40)
    outcomes: list[str] = []

    def upload(n: int) -> None:
        try:
            start.wait()
            artefact_create_file(
                owner=people.learner,
                upload=make.uploaded(f"notes-{n}.txt", data),
                details=Details(title=f"notes {n}"),
            )
            outcomes.append("added")
        except UploadRejected:
            outcomes.append("refused")
        finally:
            connection.close()

    workers = [threading.Thread(target=upload, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert storage_used(owner=people.learner) <= 1_000_000
    assert outcomes.count("added") == 1_000_000 // len(data)
    assert outcomes.count("refused") == threads - outcomes.count("added")
    assert len(stored_files(_media_root)) == outcomes.count("added")
