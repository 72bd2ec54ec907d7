"""Every file we serve is inert: a sandbox policy, nosniff and same-origin CORP on every
type; only raster images, audio and video shown in the browser, everything else (SVG, PDF,
text, documents) a download. With S3 storage too: a raster image is a redirect to a signed
URL forcing its type and disposition; anything else streams through our view, headers and
all, since S3 cannot send a CSP or nosniff."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from artefacts.models import Artefact
from artefacts.services import Details, artefact_create_file, artefact_prepare_preview
from tests import filemakers as make
from tests.conftest import People
from tests.services import S3Bucket

FILES = [
    ("drawing.svg", make.svg(script=True), "attachment"),
    ("report.pdf", make.pdf(), "attachment"),
    ("notes.txt", make.text(), "attachment"),
    ("essay.docx", make.docx(), "attachment"),
    ("talk.mp3", make.mp3(), "inline"),
    ("demo.mp4", make.mp4(), "inline"),
]


def add(people: People, name: str, data: bytes) -> Artefact:
    artefact = artefact_create_file(
        owner=people.learner, upload=make.uploaded(name, data), details=Details(title=name)
    )
    if artefact.is_image:
        artefact_prepare_preview(artefact_id=artefact.pk)
        artefact.refresh_from_db()
    return artefact


def assert_inert(response: Any) -> None:
    policy = response["Content-Security-Policy"]
    assert policy.split(";")[0] == "sandbox", policy
    assert "default-src 'none'" in policy and "script" not in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert response["Cache-Control"] == "private, no-store"


def body_of(response: Any) -> bytes:
    return b"".join(response.streaming_content)


@pytest.mark.parametrize(("name", "data", "disposition"), FILES, ids=[f[0] for f in FILES])
def test_each_kind_of_file_is_served_inert(
    client: Client, people: People, name: str, data: bytes, disposition: str
) -> None:
    artefact = add(people, name, data)
    client.force_login(people.tutor)
    response = client.get(reverse("artefacts:file", args=[artefact.public_id]))
    assert response.status_code == 200
    assert_inert(response)
    assert response["Content-Disposition"].split(";")[0] == disposition
    assert body_of(response) == data


def test_an_image_and_its_thumbnail_are_shown_inline_and_inert(
    client: Client, people: People
) -> None:
    artefact = add(people, "photo.jpg", make.jpeg())
    client.force_login(people.learner)
    for view in ("file", "thumbnail"):
        response = client.get(reverse(f"artefacts:{view}", args=[artefact.public_id]))
        assert response.status_code == 200
        assert_inert(response)
        assert response["Content-Disposition"].startswith("inline;")


# --- S3 -----------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "data", "disposition"), FILES, ids=[f[0] for f in FILES])
def test_with_s3_everything_but_raster_images_streams_through_with_our_headers(
    s3_storage: S3Bucket, client: Client, people: People, name: str, data: bytes, disposition: str
) -> None:
    artefact = add(people, name, data)
    client.force_login(people.learner)
    response = client.get(reverse("artefacts:file", args=[artefact.public_id]))
    assert response.status_code == 200, response
    assert "Location" not in response
    assert response.streaming  # chunks from the store, never the whole file in memory
    assert_inert(response)
    assert response["Content-Type"] == artefact.content_type
    assert response["Content-Disposition"].split(";")[0] == disposition
    assert response["Content-Length"] == str(len(data))
    assert body_of(response) == data


def test_with_s3_a_video_still_seeks(s3_storage: S3Bucket, client: Client, people: People) -> None:
    data = make.mp4()
    artefact = add(people, "demo.mp4", data)
    client.force_login(people.learner)
    url = reverse("artefacts:file", args=[artefact.public_id])
    part = client.get(url, headers={"range": "bytes=4-11"})
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 4-11/{len(data)}"
    assert body_of(part) == data[4:12]
    assert_inert(part)
    assert client.get(url, headers={"range": "bytes=999999-"}).status_code == 416


def test_with_s3_a_raster_image_is_a_redirect_forcing_its_type_and_disposition(
    s3_storage: S3Bucket, client: Client, people: People
) -> None:
    artefact = add(people, "photo.jpg", make.jpeg())
    client.force_login(people.learner)
    response = client.get(reverse("artefacts:file", args=[artefact.public_id]))
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(f"{s3_storage.endpoint}/{s3_storage.name}/")
    assert "response-content-type=image%2Fjpeg" in location
    assert "response-content-disposition=inline" in location
    assert_inert(response)
