"""Who must not reach the signed-in attestation pages: another learner, tutors (for
asking and cancelling), a tutor of another cohort (for signing off), anyone signed
out, and tutors for an item the learner made private."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from core.models import Visibility
from portfolio.attestations import services
from portfolio.models import Attestation, AttestationRequest
from tests.conftest import People
from tests.portfolio.attestations.helpers import ask_url, request_form
from tests.portfolio.showcase_data import pdf_artefact, reflection

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(people: People) -> Any:
    return pdf_artefact(people.learner)


def _sign_off(item: Any) -> dict[str, str]:
    return {"target": f"artefact:{item.public_id}", "statement": "Seen it.", "comment": ""}


@pytest.mark.parametrize("who", ["classmate", "outsider"])
def test_another_learner_cannot_ask_about_someone_elses_item(
    client: Client, people: People, item: Any, who: str
) -> None:
    client.force_login(getattr(people, who))
    assert client.get(ask_url(item)).status_code == 404
    assert client.post(ask_url(item), request_form()).status_code == 404
    assert not AttestationRequest.objects.exists()


@pytest.mark.parametrize("who", ["tutor", "other_tutor", "admin"])
def test_staff_cannot_ask_in_a_learners_name(
    client: Client, people: People, item: Any, who: str
) -> None:
    client.force_login(getattr(people, who))
    assert client.post(ask_url(item), request_form()).status_code == 403
    assert not AttestationRequest.objects.exists()


def test_signed_out_people_go_to_sign_in(client: Client, item: Any) -> None:
    assert client.get(ask_url(item)).status_code == 302
    assert client.post(reverse("attestations:sign_off"), _sign_off(item)).status_code == 302
    assert not AttestationRequest.objects.exists() and not Attestation.objects.exists()


def test_a_nonsense_kind_is_a_404(client: Client, people: People, item: Any) -> None:
    client.force_login(people.learner)
    url = reverse("attestations:ask", args=["badge", item.public_id])
    assert client.get(url).status_code == 404


def test_only_the_learner_can_cancel_their_request(
    client: Client, people: People, item: Any
) -> None:
    asked = services.request_create(
        learner=people.learner,
        item=item,
        name="Jane",
        email="jane@acme.com",
        role="Manager",
        statement="Yes.",
    )
    url = reverse("attestations:cancel", args=[asked.public_id])
    for who in ("classmate", "outsider"):
        client.force_login(getattr(people, who))
        assert client.post(url).status_code == 404
    client.force_login(people.tutor)
    assert client.post(url).status_code == 403
    asked.refresh_from_db()
    assert asked.is_open


def test_a_tutor_of_another_cohort_cannot_sign_off(
    client: Client, people: People, item: Any
) -> None:
    client.force_login(people.other_tutor)
    assert client.post(reverse("attestations:sign_off"), _sign_off(item)).status_code == 404
    assert not Attestation.objects.exists()


@pytest.mark.parametrize("who", ["learner", "classmate", "admin"])
def test_people_other_than_tutors_cannot_sign_off(
    client: Client, people: People, item: Any, who: str
) -> None:
    client.force_login(getattr(people, who))
    assert client.post(reverse("attestations:sign_off"), _sign_off(item)).status_code == 403
    assert not Attestation.objects.exists()


def test_a_tutor_cannot_sign_off_a_private_item(client: Client, people: People) -> None:
    private = reflection(people.learner, visibility=Visibility.PRIVATE)
    client.force_login(people.tutor)
    data = {"target": f"reflection:{private.public_id}", "statement": "Seen it."}
    assert client.post(reverse("attestations:sign_off"), data).status_code == 404
    assert not Attestation.objects.exists()


def test_the_learners_tutor_signs_off_in_place(
    client: Client, people: People, item: Any, settings: Any
) -> None:
    settings.INSTITUTION_NAME = "Not this one"  # the cohort's own institution comes first
    people.cohort.institution.name = "Northtown College"
    people.cohort.institution.save()
    people.tutor.name = "Sam Okafor"
    people.tutor.save()
    client.force_login(people.tutor)
    page = client.get(item.get_absolute_url()).content.decode()
    assert "Attest this as their tutor" in page

    response = client.post(
        reverse("attestations:sign_off"), {**_sign_off(item), "next": item.get_absolute_url()}
    )

    assert response.status_code == 302
    attestation = Attestation.objects.get()
    assert attestation.tutor == people.tutor
    assert attestation.via == Attestation.Via.TUTOR
    assert attestation.name == "Sam Okafor"
    assert attestation.organisation == "Northtown College"
    assert attestation.email_domain == "example.org"
    page = client.get(item.get_absolute_url()).content.decode()
    assert "Attested by Sam Okafor, Tutor, example.org" in page
    assert "Sam Okafor, Tutor, Northtown College" in page
