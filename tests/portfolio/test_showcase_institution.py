"""A learner's institution on their shared showcase: shown when they choose (by default
when the institution says so), with its name and logo, and never someone else's."""

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts.institutions.services import branding_update, institution_default
from portfolio.models import Showcase
from portfolio.showcases import services
from tests.conftest import People
from tests.factories import InstitutionFactory
from tests.filemakers import png

pytestmark = pytest.mark.django_db


def _shared_html(client: Client, showcase: Showcase) -> str:
    services.section_add(showcase=showcase, heading="Work")
    token = services.link_create(showcase=showcase, label="Employer").token
    return client.get(reverse("share:showcase", args=[token])).content.decode()


def test_a_new_showcase_shows_the_learners_institution_by_default(
    client: Client, people: People
) -> None:
    institution = institution_default()
    branding_update(institution=institution, logo=SimpleUploadedFile("l.png", png()))
    showcase = services.showcase_create(owner=people.learner, title="CV")
    assert showcase.institution == institution
    html = _shared_html(client, showcase)
    assert f"Learner at {institution.name}" in html
    logo = reverse("accounts:institution_logo", args=[institution.slug])
    assert logo in html
    response = client.get(logo)
    assert response["Content-Type"] == "image/png"


def test_an_institution_that_opts_out_is_not_shown_by_default(
    client: Client, people: People
) -> None:
    institution = institution_default()
    institution.show_on_showcases = False
    institution.save()
    showcase = services.showcase_create(owner=people.learner, title="CV")
    assert showcase.institution is None
    assert "Learner at" not in _shared_html(client, showcase)


def test_the_learner_chooses_on_the_showcase_form(client: Client, people: People) -> None:
    client.force_login(people.learner)
    response = client.get(reverse("showcases:create"))
    assert "Do not show an institution" in response.content.decode()
    client.post(
        reverse("showcases:create"),
        {"title": "CV", "theme": "classic", "institution": ""},
    )
    assert Showcase.objects.get(title="CV").institution is None


def test_a_learner_cannot_show_an_institution_they_do_not_belong_to(
    client: Client, people: People
) -> None:
    other = InstitutionFactory.create()
    client.force_login(people.learner)
    response = client.post(
        reverse("showcases:create"),
        {"title": "CV", "theme": "classic", "institution": str(other.pk)},
    )
    assert response.status_code == 400
    assert not Showcase.objects.filter(title="CV").exists()


def test_the_logo_of_an_institution_without_one_is_not_found(client: Client, db: Any) -> None:
    institution = institution_default()
    assert (
        client.get(reverse("accounts:institution_logo", args=[institution.slug])).status_code == 404
    )
