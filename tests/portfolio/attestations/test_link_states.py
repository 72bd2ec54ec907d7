"""The attester's link: expiry, cancellation by the learner, reuse, wrong tokens, and
the one item (and file) it opens."""

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portfolio.models import Attestation, AttestationRequest
from tests.conftest import People
from tests.portfolio.attestations.helpers import answer_url, ask_by_email, attest_form
from tests.portfolio.showcase_data import image_artefact, pdf_artefact

pytestmark = pytest.mark.django_db


@pytest.fixture
def asked(client: Client, people: People, django_capture_on_commit_callbacks: Any) -> Any:
    item = pdf_artefact(people.learner)
    return ask_by_email(client, people.learner, item, django_capture_on_commit_callbacks)


def _file_urls(token: str) -> list[str]:
    return [reverse("attest:file", args=[token]), reverse("attest:thumbnail", args=[token])]


def test_an_expired_link_shows_a_410_and_records_nothing(client: Client, asked: Any) -> None:
    request, token = asked
    AttestationRequest.objects.filter(pk=request.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )

    assert client.get(answer_url(token)).status_code == 410
    response = client.post(answer_url(token), attest_form())
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    assert client.get(reverse("attest:file", args=[token])).status_code == 404
    assert not Attestation.objects.exists()


def test_the_learner_can_cancel_a_request_and_its_link_stops_working(
    client: Client, people: People, asked: Any
) -> None:
    request, token = asked
    client.force_login(people.learner)
    response = client.post(reverse("attestations:cancel", args=[request.public_id]))
    assert response.status_code == 302
    client.logout()

    page = client.post(answer_url(token), attest_form())
    assert page.status_code == 410
    assert "cancelled" in page.content.decode()
    assert client.get(reverse("attest:file", args=[token])).status_code == 404
    assert not Attestation.objects.exists()


def test_a_used_link_cannot_be_used_again_nor_open_the_file(client: Client, asked: Any) -> None:
    _request, token = asked
    assert client.get(reverse("attest:file", args=[token])).status_code == 200
    client.post(answer_url(token), attest_form())

    assert client.post(answer_url(token), {"action": "decline"}).status_code == 410
    assert client.get(reverse("attest:file", args=[token])).status_code == 404
    assert AttestationRequest.objects.get().state == AttestationRequest.State.ATTESTED


@pytest.mark.parametrize("token", ["wrong", "x" * 32, "a" * 300])
def test_a_wrong_token_is_a_404(client: Client, asked: Any, token: str) -> None:
    assert client.get(answer_url(token)).status_code == 404
    assert client.post(answer_url(token), attest_form()).status_code == 404
    for url in _file_urls(token):
        assert client.get(url).status_code == 404
    withdraw = reverse("attest:withdraw", args=[token])
    assert client.get(withdraw).status_code == 404
    assert client.post(withdraw).status_code == 404
    assert not Attestation.objects.exists()


def test_the_link_opens_only_the_item_it_is_about(
    client: Client, people: People, asked: Any
) -> None:
    request, token = asked
    other = image_artefact(people.learner, title="Holiday photo")

    page = client.get(answer_url(token)).content.decode()
    assert request.artefact.title in page
    assert "Holiday photo" not in page
    # the file path has no item in it: it serves the asked-about artefact and nothing else
    served = client.get(reverse("attest:file", args=[token]))
    assert served.status_code == 200
    body = b"".join(served.streaming_content)  # type: ignore[attr-defined]
    assert body == request.artefact.file.open("rb").read()
    assert other.public_id.hex not in page
    # the share and owner paths stay closed to the attester
    assert client.get(reverse("artefacts:file", args=[other.public_id])).status_code == 302


def test_the_token_is_never_stored(asked: Any) -> None:
    request, token = asked
    stored = AttestationRequest.objects.filter(pk=request.pk).values()[0]
    assert token not in str(stored)
