"""No path lets a learner, an admin or anyone else alter an attestation: the model
refuses it, the admin is read only, and no view edits one."""

import pytest
from django.test import Client
from django.urls import reverse

from portfolio.models import Attestation, AttestationImmutable
from tests.conftest import People
from tests.portfolio.attestations.helpers import attested
from tests.portfolio.showcase_data import pdf_artefact

pytestmark = pytest.mark.django_db


@pytest.fixture
def attestation(people: People) -> Attestation:
    return attested(people.learner, pdf_artefact(people.learner))


def test_the_model_refuses_a_change(attestation: Attestation) -> None:
    attestation.statement = "I never saw this."
    with pytest.raises(AttestationImmutable):
        attestation.save()
    with pytest.raises(AttestationImmutable):
        Attestation.objects.filter(pk=attestation.pk).update(statement="Changed")
    with pytest.raises(AttestationImmutable):
        attestation.delete()
    assert Attestation.objects.get().statement == "I supervised this project."


def test_only_the_withdrawal_date_can_be_written(attestation: Attestation) -> None:
    assert Attestation.objects.filter(pk=attestation.pk).update(withdrawn_at=None) == 1


def test_the_admin_shows_attestations_but_cannot_change_them(
    client: Client, people: People, attestation: Attestation
) -> None:
    people.admin.is_superuser = True
    people.admin.save()
    client.force_login(people.admin)
    change = reverse("admin:portfolio_attestation_change", args=[attestation.pk])

    page = client.get(change)
    assert page.status_code == 200
    assert "I supervised this project." in page.content.decode()
    assert 'name="statement"' not in page.content.decode()  # read only: no input
    assert client.post(change, {"statement": "Changed"}).status_code == 403
    assert client.get(reverse("admin:portfolio_attestation_add")).status_code == 403
    delete = reverse("admin:portfolio_attestation_delete", args=[attestation.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert Attestation.objects.get().statement == "I supervised this project."


def test_the_learner_has_no_page_that_edits_an_attestation(
    client: Client, people: People, attestation: Attestation
) -> None:
    """Every attestation URL a learner can reach leaves the record as it was."""
    client.force_login(people.learner)
    item = attestation.item
    for url in (
        reverse("attestations:ask", args=["artefact", item.public_id]),
        reverse("attestations:cancel", args=[attestation.request.public_id]),  # type: ignore[union-attr]
        reverse("attestations:sign_off"),
    ):
        client.post(url, {"statement": "Changed", "target": f"artefact:{item.public_id}"})
    attestation_now = Attestation.objects.get()
    assert attestation_now.statement == "I supervised this project."
    assert attestation_now.withdrawn_at is None
