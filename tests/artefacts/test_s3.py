"""Evidence files on a real S3-compatible server (moto, on loopback): stored under generated
names, served only through short-lived signed URLs to people allowed to read them, images
only as copies without their location, and removed with their artefact.

moto does not check query-string signatures or expiry (it serves a URL with a changed
signature), so the signed URLs are checked here against the secret key instead: a URL is
only accepted if it was signed, with that key, over everything a real S3 would check.
"""

import hashlib
import hmac
import io
import time
import urllib.error
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import Message
from urllib.parse import parse_qsl, quote, urlsplit, urlunsplit

import pytest
from django.test import Client
from django.urls import reverse
from PIL import ExifTags, Image
from pytest_django import DjangoCaptureOnCommitCallbacks

from artefacts.models import Artefact
from artefacts.services import Details, artefact_create_file, artefact_prepare_preview
from tests import filemakers as make
from tests.conftest import People
from tests.services import LOOPBACK, S3Bucket

UPLOAD = reverse("artefacts:upload")
DETAILS = {"visibility": "tutors", "learned_on": "2026-03-01", "tags": ""}
SIGNED_URL_LIMIT = 300


@dataclass
class Fetched:
    status: int
    headers: Message
    body: bytes


def fetch(url: str) -> Fetched:
    """GET `url` from the S3 server, as a browser following the redirect would."""
    try:
        with LOOPBACK.open(url, timeout=10) as answer:
            return Fetched(answer.status, answer.headers, answer.read())
    except urllib.error.HTTPError as refused:
        with refused:
            return Fetched(refused.code, refused.headers, refused.read())


def signed_url(client: Client, url: str, bucket: S3Bucket) -> str:
    """Where `url` redirects: a URL on the S3 server. Fails the test otherwise."""
    response = client.get(url)
    assert response.status_code == 302, response
    location = response["Location"]
    assert location.startswith(f"{bucket.endpoint}/{bucket.name}/"), location
    return str(location)


def query_of(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))


def seconds_valid(url: str) -> float:
    """How long from now a signed URL stays valid (SigV4: a start and a duration)."""
    query = query_of(url)
    assert query.get("X-Amz-Algorithm") == "AWS4-HMAC-SHA256", f"not signed with SigV4: {url}"
    signed_at = datetime.strptime(query["X-Amz-Date"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    assert abs(time.time() - signed_at.timestamp()) < 60, "signed at the wrong time"
    return signed_at.timestamp() + int(query["X-Amz-Expires"]) - time.time()


def signature_is_valid(url: str, *, secret_key: str) -> bool:
    """Whether a real S3 would accept this presigned GET's signature for `secret_key`."""
    parts = urlsplit(url)
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    query = dict(pairs)
    if query.get("X-Amz-Algorithm") == "AWS4-HMAC-SHA256":
        if query.get("X-Amz-SignedHeaders") != "host":
            return False
        unsigned = sorted((k, v) for k, v in pairs if k != "X-Amz-Signature")
        canonical_query = "&".join(
            f"{quote(k, safe='-_.~')}={quote(v, safe='-_.~')}" for k, v in unsigned
        )
        canonical_request = "\n".join(
            ["GET", parts.path, canonical_query, f"host:{parts.netloc}\n", "host",
             "UNSIGNED-PAYLOAD"]
        )  # fmt: skip
        scope = query["X-Amz-Credential"].split("/", 1)[1]
        day, region, service, terminator = scope.split("/")
        to_sign = "\n".join(
            ["AWS4-HMAC-SHA256", query["X-Amz-Date"], scope,
             hashlib.sha256(canonical_request.encode()).hexdigest()]
        )  # fmt: skip
        key = f"AWS4{secret_key}".encode()
        for part in (day, region, service, terminator):
            key = hmac.new(key, part.encode(), hashlib.sha256).digest()
        expected = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected, query.get("X-Amz-Signature", ""))
    return False


def with_query(url: str, **changes: str | None) -> str:
    """`url` with some query parameters replaced, or removed where given None."""
    parts = urlsplit(url)
    pairs = [(k, changes.get(k, v)) for k, v in parse_qsl(parts.query, keep_blank_values=True)]
    query = "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in pairs if v is not None)
    return urlunsplit(parts._replace(query=query))


def tampered(signature: str) -> str:
    return ("A" if signature[0] != "A" else "B") + signature[1:]


def gps_of(data: bytes) -> dict[int, object]:
    with Image.open(io.BytesIO(data)) as image:
        return dict(image.getexif().get_ifd(ExifTags.IFD.GPSInfo))


def add_file(people: People, name: str, data: bytes) -> Artefact:
    return artefact_create_file(
        owner=people.learner,
        upload=make.uploaded(name, data),
        details=Details(title=name, visibility="tutors"),
    )


def add_photo(people: People) -> Artefact:
    """A JPEG with its GPS position, its served copy and thumbnail made."""
    artefact = add_file(people, "photo.jpg", make.jpeg(64, 48, gps=True))
    artefact_prepare_preview(artefact_id=artefact.pk)
    artefact.refresh_from_db()
    assert artefact.preview == Artefact.Preview.READY
    return artefact


@pytest.fixture
def learner_client(client: Client, people: People) -> Client:
    client.force_login(people.learner)
    return client


def test_an_uploaded_pdf_is_stored_in_the_bucket_under_a_generated_name(
    s3_storage: S3Bucket, learner_client: Client, people: People
) -> None:
    data = make.pdf("Placement report")
    upload = make.uploaded("report.pdf", data)

    response = learner_client.post(UPLOAD, {**DETAILS, "files": [upload]})

    assert response.status_code == 200, response.content.decode()
    artefact = Artefact.objects.get(owner=people.learner)
    assert artefact.original_filename == "report.pdf"
    assert s3_storage.object_keys() == [artefact.file.name]
    key = str(artefact.file.name)
    assert key.startswith("artefacts/") and "report" not in key
    assert s3_storage.read(key) == data
    grants = s3_storage.client.get_object_acl(Bucket=s3_storage.name, Key=key)["Grants"]
    assert all("URI" not in grant["Grantee"] for grant in grants), grants  # no public grant


@pytest.mark.parametrize("s3_storage", ["eu-west-2", "us-east-1"], indirect=True)
def test_the_owner_is_redirected_to_a_short_lived_signed_url(
    s3_storage: S3Bucket, learner_client: Client, people: People
) -> None:
    artefact = add_photo(people)
    data = s3_storage.read(str(artefact.display_file.name))

    url = signed_url(
        learner_client, reverse("artefacts:file", args=[artefact.public_id]), s3_storage
    )

    assert urlsplit(url).path == f"/{s3_storage.name}/{artefact.display_file.name}"
    assert 0 < seconds_valid(url) <= SIGNED_URL_LIMIT
    fetched = fetch(url)
    assert fetched.status == 200
    assert fetched.body == data
    assert fetched.headers["Content-Type"] == "image/jpeg"
    assert fetched.headers["Content-Disposition"] == 'inline; filename="photo.jpg"'
    assert fetched.headers["Cache-Control"] == "private, no-store"
    # The overrides are signed with the key, so a real S3 refuses any change to them...
    secret = s3_storage.secret_key
    assert signature_is_valid(url, secret_key=secret)
    query = query_of(url)
    for changed in (
        with_query(url, **{"X-Amz-Signature": tampered(query["X-Amz-Signature"])}),
        with_query(url, **{"response-content-disposition": "attachment"}),
        with_query(url, **{"response-content-type": "text/html"}),
    ):
        assert not signature_is_valid(changed, secret_key=secret), changed
    # ...and the object is private: the server itself refuses it without a signature.
    assert fetch(urlunsplit(urlsplit(url)._replace(query=""))).status == 403


@pytest.mark.parametrize("who", ["classmate", "outsider", "other_tutor"])
def test_people_who_may_not_read_it_get_a_404_and_no_file(
    s3_storage: S3Bucket, client: Client, people: People, who: str
) -> None:
    artefact = add_file(people, "report.pdf", make.pdf())
    file_url = reverse("artefacts:file", args=[artefact.public_id])
    client.force_login(people.tutor)
    assert client.get(file_url).status_code == 200  # the cohort's tutor may read it

    client.force_login(getattr(people, who))
    response = client.get(file_url)

    assert response.status_code == 404
    assert "Location" not in response
    assert make.pdf() not in response.content
    assert s3_storage.endpoint.encode() not in response.content
    assert b"Signature" not in response.content


def test_anonymous_is_sent_to_log_in_not_to_the_store(s3_storage: S3Bucket, people: People) -> None:
    artefact = add_file(people, "report.pdf", make.pdf())

    response = Client().get(reverse("artefacts:file", args=[artefact.public_id]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login") + "?next=")
    assert s3_storage.endpoint not in response["Location"]


def test_an_image_is_served_from_the_store_without_its_location(
    s3_storage: S3Bucket, learner_client: Client, people: People
) -> None:
    artefact = add_photo(people)
    assert gps_of(s3_storage.read(str(artefact.file.name)))  # the original keeps it
    assert set(s3_storage.object_keys()) == set(artefact.stored_names)
    assert len(artefact.stored_names) == 4  # original, display and print copies, thumbnail
    assert gps_of(s3_storage.read(str(artefact.print_file.name))) == {}

    for view, stored in (("thumbnail", artefact.thumbnail), ("file", artefact.display_file)):
        url = signed_url(
            learner_client, reverse(f"artefacts:{view}", args=[artefact.public_id]), s3_storage
        )
        assert urlsplit(url).path == f"/{s3_storage.name}/{stored.name}", view
        assert 0 < seconds_valid(url) <= SIGNED_URL_LIMIT
        fetched = fetch(url)
        assert fetched.status == 200
        assert fetched.headers["Content-Type"] == "image/jpeg"
        with Image.open(io.BytesIO(fetched.body)) as image:
            assert image.format == "JPEG"
        assert gps_of(fetched.body) == {}, view


def test_deleting_an_artefact_removes_its_objects_from_the_bucket(
    s3_storage: S3Bucket,
    learner_client: Client,
    people: People,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    photo = add_photo(people)
    kept = add_file(people, "report.pdf", make.pdf())
    assert len(s3_storage.object_keys()) == 5  # the photo, its three copies, the report

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = learner_client.post(reverse("artefacts:delete", args=[photo.public_id]))

    assert response.status_code == 302
    assert callbacks, "the files are removed after commit"
    assert not Artefact.objects.filter(pk=photo.pk).exists()
    assert s3_storage.object_keys() == [kept.file.name]


def test_a_refused_upload_leaves_the_bucket_empty(
    s3_storage: S3Bucket, learner_client: Client, people: People
) -> None:
    upload = make.uploaded("diagram.png", make.pdf())

    response = learner_client.post(UPLOAD, {**DETAILS, "files": [upload]})

    assert response.status_code == 400
    assert not Artefact.objects.filter(owner=people.learner).exists()
    assert s3_storage.object_keys() == []
