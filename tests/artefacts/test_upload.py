"""Uploading evidence files: what is accepted, what is refused and why, and that a
refusal leaves nothing behind."""

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image

from artefacts.models import Artefact
from tests import filemakers as make
from tests.conftest import People

UPLOAD = reverse("artefacts:upload")
DETAILS = {"visibility": "tutors", "learned_on": "2026-03-14", "tags": "placement, Python"}


def stored_files(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()]


def post(client: Client, *files: Any, json_reply: bool = False, **fields: Any) -> Any:
    headers = {"accept": "application/json"} if json_reply else {}
    return client.post(UPLOAD, {**DETAILS, **fields, "files": list(files)}, headers=headers)


@pytest.fixture
def learner_client(client: Client, people: People) -> Client:
    client.force_login(people.learner)
    return client


@pytest.mark.parametrize(
    ("name", "data", "media", "content_type"),
    [
        ("photo.jpg", make.jpeg(), "image", "image/jpeg"),
        ("diagram.png", make.png(), "image", "image/png"),
        ("talk.mp3", make.mp3(), "audio", "audio/mpeg"),
        ("interview.wav", make.wav(), "audio", "audio/wav"),
        ("demo.mp4", make.mp4(), "video", "video/mp4"),
        ("demo.webm", make.webm(), "video", "video/webm"),
        ("report.pdf", make.pdf(), "pdf", "application/pdf"),
        ("essay.docx", make.docx(), "document", None),
        ("slides.pptx", make.pptx(), "document", None),
        ("notes.txt", make.text(), "text", None),
    ],
)
def test_each_kind_of_evidence_is_accepted(
    learner_client: Client, people: People, name: str, data: bytes, media: str, content_type: str
) -> None:
    response = post(learner_client, make.uploaded(name, data))
    assert response.status_code == 200, response.content.decode()
    artefact = Artefact.objects.get(owner=people.learner)
    assert (artefact.kind, artefact.media, artefact.original_filename) == ("file", media, name)
    if content_type:
        assert artefact.content_type == content_type
    assert artefact.title == name.rsplit(".", 1)[0]
    assert {t.name for t in artefact.tags.all()} == {"placement", "Python"}
    assert artefact.visibility == "tutors"
    assert str(artefact.learned_on) == "2026-03-14"
    assert str(artefact.file.name).startswith("artefacts/")
    assert name not in str(artefact.file.name)


def test_several_files_in_one_post_each_get_a_result(
    learner_client: Client, people: People
) -> None:
    response = post(
        learner_client,
        make.uploaded("a.png", make.png()),
        make.uploaded("b.pdf", make.pdf()),
        make.uploaded("c.png", make.pdf()),
    )
    assert response.status_code == 422  # partly refused: not a plain success
    html = response.content.decode()
    assert "2 added, 1 refused. See why below." in html
    assert "a.png" in html and "b.pdf" in html
    assert "named .png but its content is a PDF" in html
    assert Artefact.objects.filter(owner=people.learner).count() == 2


def test_json_reply_reports_each_file(learner_client: Client) -> None:
    response = post(learner_client, make.uploaded("a.png", make.png()), json_reply=True)
    body = json.loads(response.content)
    assert response.status_code == 200
    (result,) = body["results"]
    assert result["ok"] is True and result["url"].startswith("/artefacts/")
    assert body["remaining"]


def test_uploading_nothing_says_to_choose_a_file(learner_client: Client) -> None:
    response = post(learner_client)
    assert response.status_code == 400
    assert "Choose at least one file to upload." in response.content.decode()


def test_the_same_file_twice_is_pointed_out(learner_client: Client, people: People) -> None:
    post(learner_client, make.uploaded("first.png", make.png()))
    response = post(learner_client, make.uploaded("again.png", make.png()), json_reply=True)
    (result,) = json.loads(response.content)["results"]
    assert "You already had this same file, as “first”" in result["message"]
    first = Artefact.objects.get(title="first")
    assert result["duplicate_url"] == first.get_absolute_url()


def test_an_image_gets_a_thumbnail_and_a_clean_served_copy(
    learner_client: Client, people: People, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        post(learner_client, make.uploaded("photo.jpg", make.jpeg(800, 600, gps=True)))
    artefact = Artefact.objects.get(owner=people.learner)
    assert artefact.preview == Artefact.Preview.READY
    thumb = learner_client.get(reverse("artefacts:thumbnail", args=[artefact.public_id]))
    assert thumb.status_code == 200
    with Image.open(_body(thumb)) as image:
        assert max(image.size) <= 480


def test_a_gps_tagged_photo_is_served_without_its_location(
    learner_client: Client, people: People, django_capture_on_commit_callbacks
) -> None:
    original = make.jpeg(64, 48, gps=True)
    with Image.open(io.BytesIO(original)) as image:
        assert image.getexif().get_ifd(0x8825)  # the upload really carries a location
    with django_capture_on_commit_callbacks(execute=True):
        post(learner_client, make.uploaded("walk.jpg", original))
    artefact = Artefact.objects.get(owner=people.learner)
    response = learner_client.get(reverse("artefacts:file", args=[artefact.public_id]))
    served = _body(response).getvalue()
    assert response["Content-Type"] == "image/jpeg"
    with Image.open(io.BytesIO(served)) as image:
        assert not image.getexif().get_ifd(0x8825)  # GPSInfo
        assert "xmp" not in image.info
    assert b"http://ns.adobe.com/xap" not in served
    assert b"GPS" not in served


def test_an_image_is_not_served_before_its_clean_copy_exists(
    learner_client: Client, people: People
) -> None:
    post(learner_client, make.uploaded("photo.jpg", make.jpeg(gps=True)))  # task not yet run
    artefact = Artefact.objects.get(owner=people.learner)
    assert artefact.preview == Artefact.Preview.PENDING
    assert (
        learner_client.get(reverse("artefacts:file", args=[artefact.public_id])).status_code == 404
    )
    detail = learner_client.get(artefact.get_absolute_url()).content.decode()
    assert "Preparing the preview" in detail


# --- Bad input ------------------------------------------------------------------------

BAD_FILES = [
    ("report.png", make.pdf(), "named .png but its content is a PDF"),
    ("photo.jpg", make.html(), "HTML"),
    ("logo.png", make.svg(script=True), "SVG"),
    ("tool.pdf", make.exe(), "can't accept"),
    ("bundle.docx", make.zip_archive(), "can't accept"),
    ("empty.txt", b"", "empty"),
    ("noextension", make.pdf(), "extension"),
    ("huge.png", make.png_claiming_size(100_000, 100_000), "megapixels"),
]


@pytest.mark.parametrize(("name", "data", "says"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_files_are_refused_with_a_reason_and_leave_nothing(
    learner_client: Client, people: People, _media_root: Path, name: str, data: bytes, says: str
) -> None:
    response = post(learner_client, make.uploaded(name, data), json_reply=True)
    assert response.status_code == 400
    (result,) = json.loads(response.content)["results"]
    assert result["ok"] is False
    assert says.lower() in result["message"].lower(), result["message"]
    assert not Artefact.objects.exists()
    assert stored_files(_media_root) == []


def test_a_file_over_the_size_limit_is_refused_while_it_arrives(
    learner_client: Client, settings, _media_root: Path
) -> None:
    settings.ARTEFACT_MAX_UPLOAD_BYTES = 1000
    response = post(
        learner_client, make.uploaded("big.pdf", make.pdf() + b" " * 5000), json_reply=True
    )
    assert response.status_code == 413
    (result,) = json.loads(response.content)["results"]
    assert result["name"] == "big.pdf"
    assert "larger than the 1000" in result["message"]
    assert stored_files(_media_root) == [] and not Artefact.objects.exists()


def test_a_file_over_the_quota_is_refused_and_the_space_left_is_shown(
    learner_client: Client, people: People, settings, _media_root: Path
) -> None:
    first = make.pdf()
    settings.ARTEFACT_QUOTA_BYTES = len(first) + 100
    assert post(learner_client, make.uploaded("one.pdf", first)).status_code == 200
    response = post(learner_client, make.uploaded("two.pdf", make.pdf("another")), json_reply=True)
    (result,) = json.loads(response.content)["results"]
    assert "more than the space you have left (100" in result["message"]
    assert Artefact.objects.count() == 1
    assert len(stored_files(_media_root)) == 1
    page = learner_client.get(UPLOAD).content.decode()
    assert "You have <strong data-quota-remaining>100" in page


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("<script>alert(1)</script>.txt", None),
        ("notes\x00\x1b[31m.txt", "notes[31m.txt"),
    ],
)
def test_hostile_filenames_are_kept_only_as_safe_display_text(
    learner_client: Client, people: People, name: str, kept: str | None
) -> None:
    response = post(learner_client, make.uploaded(name, make.text()))
    assert response.status_code == 200
    artefact = Artefact.objects.get(owner=people.learner)
    assert "/" not in artefact.original_filename and "\x00" not in artefact.original_filename
    if kept:
        assert artefact.original_filename == kept
    page = learner_client.get(artefact.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in page
    download = learner_client.get(reverse("artefacts:file", args=[artefact.public_id]))
    assert download["Content-Disposition"].startswith("attachment;")
    assert "\n" not in download["Content-Disposition"]


def _body(response: Any) -> io.BytesIO:
    return io.BytesIO(b"".join(response.streaming_content))
