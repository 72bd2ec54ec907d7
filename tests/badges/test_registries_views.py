"""The institution admin's registry pages: who may reach them, what they show, and every
bad input answered with a clear message (400) and nothing stored."""

import json
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.institutions.services import institution_default
from badges.models import IssuerRegistry
from badges.registries.services import registry_add_file, registry_add_url
from tests.badges.issuers import form_errors
from tests.badges.registries import (
    DCC_URL,
    EXAMPLE_ISSUERS,
    listing,
    registry_bytes,
    registry_document,
    upload,
)
from tests.fakeweb import FakeWeb

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client: Client, people: Any) -> Client:
    client.force_login(people.admin)
    return client


@pytest.fixture
def registry(people: Any) -> IssuerRegistry:
    return registry_add_file(
        name="Partners", upload=upload(registry_bytes(), "partners.json"), added_by=people.admin
    )


def _urls(registry: IssuerRegistry) -> list[tuple[str, str]]:
    ids = [registry.public_id]
    return [
        ("get", reverse("badges:registry_list")),
        ("get", reverse("badges:registry_add")),
        ("post", reverse("badges:registry_add")),
        ("get", reverse("badges:registry_detail", args=ids)),
        ("post", reverse("badges:registry_refresh", args=ids)),
        ("get", reverse("badges:registry_delete", args=ids)),
        ("post", reverse("badges:registry_delete", args=ids)),
    ]


# --- access -----------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client: Client, registry: IssuerRegistry) -> None:
    for method, url in _urls(registry):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("account_login")), url
    assert IssuerRegistry.objects.filter(pk=registry.pk).exists()


@pytest.mark.parametrize("role", ["learner", "tutor"])
def test_learners_and_tutors_are_refused(
    client: Client, people: Any, registry: IssuerRegistry, role: str
) -> None:
    client.force_login(getattr(people, role))
    for method, url in _urls(registry):
        assert getattr(client, method)(url).status_code == 403, url
    assert IssuerRegistry.objects.filter(pk=registry.pk).exists()


def test_an_unknown_registry_is_not_found(admin_client: Client) -> None:
    missing = "00000000-0000-4000-8000-000000000000"
    assert admin_client.get(reverse("badges:registry_detail", args=[missing])).status_code == 404


def test_the_institution_dashboard_links_to_the_registries(admin_client: Client) -> None:
    page = admin_client.get(reverse("accounts:institution_dashboard")).content.decode()
    assert reverse("badges:registry_list") in page


# --- what the pages show ------------------------------------------------------------------


def test_the_list_shows_each_registry_with_its_issuer_count(
    admin_client: Client, registry: IssuerRegistry
) -> None:
    response = admin_client.get(reverse("badges:registry_list"))
    page = response.content.decode()
    assert "Partners" in page and "Uploaded file partners.json" in page
    assert "Digital Credentials Consortium registry" in page
    assert "See its 2 issuers" in page
    assert "Last fetched" not in page and "Uploaded" in page
    assert "Refresh now" not in page  # an uploaded file has nowhere to be fetched from


def test_the_list_says_when_a_fetch_failed_and_which_copy_is_used(
    admin_client: Client, fake_web: FakeWeb
) -> None:
    fake_web.add(DCC_URL, registry_document())
    registry = registry_add_url(
        name="DCC", url=DCC_URL, added_by=None, institution=institution_default()
    )
    good = timezone.now() - timedelta(hours=7)
    IssuerRegistry.objects.filter(pk=registry.pk).update(
        fetched_at=good, last_attempt_at=timezone.now(), last_error="registry.test answered 500."
    )
    page = admin_client.get(reverse("badges:registry_list")).content.decode()
    assert "Last fetched" in page and "Refresh now" in page
    assert "Could not fetch on " in page
    assert ": registry.test answered 500.; using the copy from " in page


def test_the_detail_page_lists_and_searches_the_issuers(
    admin_client: Client, registry: IssuerRegistry
) -> None:
    url = reverse("badges:registry_detail", args=[registry.public_id])
    page = admin_client.get(url).content.decode()
    assert all(issuer in page for issuer in EXAMPLE_ISSUERS)
    found = admin_client.get(url, {"q": "college"}).content.decode()
    assert "Example College" in found and "Example University" not in found
    assert "1 issuer matches" in found


def test_long_lists_are_paged_in_a_constant_number_of_queries(admin_client: Client) -> None:
    def queries_for(count: int) -> int:
        ids = [f"did:web:issuer{n:03d}.test" for n in range(count)]
        registry = registry_add_file(
            name=f"{count} issuers",
            upload=upload(registry_bytes(listing(*ids))),
            added_by=None,
            institution=institution_default(),
        )
        url = reverse("badges:registry_detail", args=[registry.public_id])
        with CaptureQueriesContext(connection) as queries:
            response = admin_client.get(url, {"page": 2})
        page = response.content.decode()
        if count > 100:
            assert "Page 2 of 3" in page
            assert "did:web:issuer050.test" in page and "did:web:issuer049.test" not in page
        return len(queries)

    assert queries_for(3) == queries_for(120)


# --- adding -------------------------------------------------------------------------------


def _add(client: Client, **fields: Any) -> Any:
    return client.post(reverse("badges:registry_add"), {"name": "Partners", "format": "", **fields})


def test_an_admin_adds_a_registry_by_uploading_it(admin_client: Client, people: Any) -> None:
    response = _add(admin_client, upload=upload(registry_bytes()))
    registry = IssuerRegistry.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("badges:registry_detail", args=[registry.public_id])
    assert registry.added_by == people.admin and registry.issuers.count() == 2
    page = admin_client.get(response["Location"]).content.decode()
    assert "“Partners” is trusted now. It lists 2 issuers." in page


def test_an_admin_adds_a_registry_by_its_address(admin_client: Client, fake_web: FakeWeb) -> None:
    fake_web.add(DCC_URL, registry_document())
    response = _add(admin_client, url=DCC_URL, format="learncard")
    assert response.status_code == 302
    registry = IssuerRegistry.objects.get()
    assert registry.url == DCC_URL and registry.format == "learncard"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"registry: yes", "not valid JSON"),
        (json.dumps({"registry": ["did:web:x.test"]}).encode(), "should be an object"),
        (json.dumps({"issuers": []}).encode(), "We do not recognise this format"),
        (registry_bytes({"not an id": {}}), "“not an id” (line 7) is neither a DID"),
    ],
    ids=["not-json", "wrong-shape", "unknown-format", "bad-entry"],
)
def test_a_bad_file_is_refused_with_its_reason(
    admin_client: Client, data: bytes, message: str
) -> None:
    response = _add(admin_client, upload=upload(data))
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors["upload"])
    assert not IssuerRegistry.objects.exists()


@override_settings(OUTBOUND_FETCH_MAX_BYTES=1000)
def test_a_file_too_big_is_refused(admin_client: Client) -> None:
    response = _add(admin_client, upload=upload(b" " * 1001))
    assert response.status_code == 400
    assert "larger than 1000" in form_errors(response)
    assert not IssuerRegistry.objects.exists()


def test_an_unreachable_address_is_refused(admin_client: Client, fake_web: FakeWeb) -> None:
    response = _add(admin_client, url="https://nowhere.test/registry.json")
    assert response.status_code == 400
    assert "could not be found" in " ".join(response.context["form"].errors["url"])
    assert not IssuerRegistry.objects.exists()


def test_a_private_address_is_refused(admin_client: Client, fake_web: FakeWeb) -> None:
    response = _add(admin_client, url="https://10.1.2.3/registry.json")
    assert response.status_code == 400
    assert "private or local network" in form_errors(response)
    assert fake_web.requests == []


def test_a_plain_http_address_is_refused(admin_client: Client, fake_web: FakeWeb) -> None:
    response = _add(admin_client, url="http://registry.test/registry.json")
    assert response.status_code == 400
    assert "https address" in form_errors(response) and fake_web.requests == []


def test_a_duplicate_name_is_refused(admin_client: Client, registry: IssuerRegistry) -> None:
    response = _add(admin_client, upload=upload(registry_bytes()))
    assert response.status_code == 400
    assert "already a registry called “Partners”" in " ".join(
        response.context["form"].errors["name"]
    )
    assert IssuerRegistry.objects.count() == 1


def test_an_unknown_format_choice_is_refused(admin_client: Client) -> None:
    response = _add(admin_client, upload=upload(registry_bytes()), format="openid")
    assert response.status_code == 400 and not IssuerRegistry.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [({}, "Give the registry's web address"), ({"url": DCC_URL, "upload": "x"}, "one way")],
    ids=["neither", "both"],
)
def test_one_source_at_a_time(admin_client: Client, fields: dict[str, Any], message: str) -> None:
    if "upload" in fields:
        fields = {**fields, "upload": upload(registry_bytes())}
    response = _add(admin_client, **fields)
    assert response.status_code == 400 and message in form_errors(response)


# --- refreshing and deleting --------------------------------------------------------------


def test_refresh_now_fetches_again_and_says_so(admin_client: Client, fake_web: FakeWeb) -> None:
    fake_web.add(DCC_URL, registry_document(listing("did:web:old.test")))
    registry = registry_add_url(
        name="DCC", url=DCC_URL, added_by=None, institution=institution_default()
    )
    fake_web.add(DCC_URL, registry_document(listing("did:web:new.test")))
    url = reverse("badges:registry_refresh", args=[registry.public_id])
    assert admin_client.get(url).status_code == 405
    response = admin_client.post(url, follow=True)
    assert "“DCC” is up to date." in response.content.decode()
    assert list(registry.issuers.values_list("issuer_id", flat=True)) == ["did:web:new.test"]


def test_refresh_now_reports_a_failure_and_keeps_the_copy(
    admin_client: Client, fake_web: FakeWeb
) -> None:
    fake_web.add(DCC_URL, registry_document())
    registry = registry_add_url(
        name="DCC", url=DCC_URL, added_by=None, institution=institution_default()
    )
    fake_web.add(DCC_URL, {}, status=404)
    response = admin_client.post(
        reverse("badges:registry_refresh", args=[registry.public_id]), follow=True
    )
    page = response.content.decode()
    assert "“DCC” was not refreshed. registry.test answered 404 instead of the registry." in page
    assert "It keeps the copy from" in page
    assert registry.issuers.count() == 2


def test_delete_asks_first_then_deletes(admin_client: Client, registry: IssuerRegistry) -> None:
    url = reverse("badges:registry_delete", args=[registry.public_id])
    page = admin_client.get(url).content.decode()
    assert "Stop trusting “Partners”?" in page and "Its 2 issuers will no longer" in page
    assert IssuerRegistry.objects.exists()
    response = admin_client.post(url)
    assert response["Location"] == reverse("badges:registry_list")
    assert not IssuerRegistry.objects.exists()
