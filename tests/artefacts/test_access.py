"""Every artefact URL, for each person who must not reach it. A refusal is a 404 so
that nobody learns the item exists; anonymous visitors are sent to sign in."""

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from artefacts.models import Artefact
from artefacts.services import Details, artefact_create_file, artefact_prepare_preview
from tests import filemakers as make
from tests.conftest import People


def _make(people: People, visibility: str) -> Artefact:
    artefact = artefact_create_file(
        owner=people.learner,
        upload=make.uploaded("photo.png", make.png()),
        details=Details(title="Site visit", visibility=visibility),
    )
    artefact_prepare_preview(artefact_id=artefact.pk)
    artefact.refresh_from_db()
    assert artefact.preview == Artefact.Preview.READY
    return artefact


READ_URLS = ["detail", "file", "thumbnail"]
WRITE_URLS = ["edit", "delete"]


def url(name: str, artefact: Artefact) -> str:
    return reverse(f"artefacts:{name}", args=[artefact.public_id])


Who = Callable[[People], object]
STRANGERS: dict[str, Who] = {
    "another learner": lambda p: p.classmate,
    "a learner of another cohort": lambda p: p.outsider,
    "a tutor of another cohort": lambda p: p.other_tutor,
    "an institution admin": lambda p: p.admin,
}


@pytest.mark.parametrize("name", READ_URLS + WRITE_URLS)
@pytest.mark.parametrize("who", STRANGERS)
@pytest.mark.parametrize("visibility", ["tutors", "private"])
def test_strangers_get_404(
    client: Client, people: People, name: str, who: str, visibility: str
) -> None:
    artefact = _make(people, visibility)
    client.force_login(STRANGERS[who](people))  # type: ignore[arg-type]
    response = client.get(url(name, artefact))
    assert response.status_code in (404, 403)
    if name in READ_URLS:
        assert response.status_code == 404


@pytest.mark.parametrize("name", READ_URLS)
def test_the_cohort_tutor_cannot_read_a_private_item(
    client: Client, people: People, name: str
) -> None:
    artefact = _make(people, "private")
    client.force_login(people.tutor)
    assert client.get(url(name, artefact)).status_code == 404


@pytest.mark.parametrize("name", READ_URLS)
def test_the_cohort_tutor_reads_a_shared_item(client: Client, people: People, name: str) -> None:
    artefact = _make(people, "tutors")
    client.force_login(people.tutor)
    assert client.get(url(name, artefact)).status_code == 200


@pytest.mark.parametrize("name", WRITE_URLS)
def test_the_cohort_tutor_cannot_edit_or_delete(client: Client, people: People, name: str) -> None:
    artefact = _make(people, "tutors")
    client.force_login(people.tutor)
    assert client.get(url(name, artefact)).status_code == 403
    assert client.post(url(name, artefact), {"title": "changed"}).status_code == 403
    artefact.refresh_from_db()
    assert artefact.title == "Site visit"


def test_another_learner_cannot_delete_by_post(client: Client, people: People) -> None:
    artefact = _make(people, "tutors")
    client.force_login(people.classmate)
    assert client.post(url("delete", artefact)).status_code == 404
    assert Artefact.objects.filter(pk=artefact.pk).exists()


@pytest.mark.parametrize("name", READ_URLS + WRITE_URLS)
def test_anonymous_is_sent_to_sign_in(client: Client, people: People, name: str) -> None:
    artefact = _make(people, "tutors")
    response = client.get(url(name, artefact))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_tutor_loses_access_when_the_learner_leaves_the_cohort(
    client: Client, people: People
) -> None:
    artefact = _make(people, "tutors")
    client.force_login(people.tutor)
    assert client.get(url("file", artefact)).status_code == 200
    people.cohort.learners.remove(people.learner)
    assert client.get(url("file", artefact)).status_code == 404


@pytest.mark.parametrize("name", ["add", "upload", "add_link", "add_text"])
@pytest.mark.parametrize("role", ["tutor", "admin"])
def test_only_learners_add_evidence(client: Client, people: People, name: str, role: str) -> None:
    client.force_login(getattr(people, role))
    assert client.get(reverse(f"artefacts:{name}")).status_code == 403


@pytest.mark.parametrize("name", ["add", "upload", "add_link", "add_text"])
def test_anonymous_cannot_add_evidence(client: Client, db: None, name: str) -> None:
    assert client.get(reverse(f"artefacts:{name}")).status_code == 302


def test_file_responses_carry_safe_headers(client: Client, people: People) -> None:
    artefact = artefact_create_file(
        owner=people.learner,
        upload=make.uploaded("Résumé “final”.docx", make.docx()),
        details=Details(title="CV"),
    )
    client.force_login(people.learner)
    response = client.get(url("file", artefact))
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == artefact.content_type
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''R%C3%A9sum%C3%A9" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]


def test_pdfs_are_downloaded_inert_and_video_seeks(client: Client, people: People) -> None:
    pdf = artefact_create_file(
        owner=people.learner, upload=make.uploaded("r.pdf", make.pdf()), details=Details(title="R")
    )
    video = artefact_create_file(
        owner=people.learner, upload=make.uploaded("v.mp4", make.mp4()), details=Details(title="V")
    )
    client.force_login(people.learner)
    # Chromium's PDF viewer does not run under a sandbox policy, so PDFs are downloads.
    served = client.get(url("file", pdf))
    assert served["Content-Disposition"].startswith("attachment;")
    assert served["Content-Security-Policy"].startswith("sandbox;")
    response = client.get(url("file", video), headers={"range": "bytes=4-11"})
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 4-11/{video.size}"
    assert b"".join(response.streaming_content) == make.mp4()[4:12]  # type: ignore[attr-defined]
    assert client.get(url("file", video), headers={"range": "bytes=999999-"}).status_code == 416
