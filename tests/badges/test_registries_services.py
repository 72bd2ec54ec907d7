"""Adding, refreshing and deleting issuer registries: each write whole or not at all, a
failed fetch keeping the last good copy, and the scheduled refresh."""

from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.test import override_settings

from badges.models import IssuerRegistry, RegistryIssuer
from badges.registries.services import (
    RegistryError,
    registry_add_file,
    registry_add_url,
    registry_delete,
    registry_refresh,
)
from badges.registries.tasks import registries_refresh_all_task, registry_refresh_task
from portfolio.celery import app as celery_app
from tests.badges.registries import (
    DCC_URL,
    EXAMPLE_ISSUERS,
    LEARNCARD_URL,
    listing,
    registry_bytes,
    registry_document,
    upload,
)
from tests.fakeweb import FakeWeb

pytestmark = pytest.mark.django_db


def _listed(registry: IssuerRegistry) -> set[str]:
    return set(registry.issuers.values_list("issuer_id", flat=True))


def test_adding_by_url_fetches_it_at_once(fake_web: FakeWeb, people: Any) -> None:
    fake_web.add(DCC_URL, registry_document())
    registry = registry_add_url(name="DCC members", url=DCC_URL, added_by=people.admin)
    assert fake_web.requests == [DCC_URL]
    assert registry.format == IssuerRegistry.Format.DCC
    assert registry.fetched_at is not None and registry.last_error == ""
    assert registry.added_by == people.admin
    assert _listed(registry) == set(EXAMPLE_ISSUERS)


def test_a_learncard_registry_is_detected_by_where_it_is_published(fake_web: FakeWeb) -> None:
    fake_web.add(LEARNCARD_URL, registry_document())
    registry = registry_add_url(name="LEF members", url=LEARNCARD_URL, added_by=None)
    assert registry.format == IssuerRegistry.Format.LEARNCARD


def test_adding_a_file_keeps_its_name(people: Any) -> None:
    registry = registry_add_file(
        name="Partners", upload=upload(registry_bytes(), "partners.json"), added_by=people.admin
    )
    assert registry.file_name == "partners.json" and registry.url == ""
    assert registry.source == "partners.json"
    assert _listed(registry) == set(EXAMPLE_ISSUERS)


def test_an_unreachable_url_adds_nothing(fake_web: FakeWeb) -> None:
    with pytest.raises(RegistryError, match=r"Could not fetch https://gone\.test/registry\.json"):
        registry_add_url(name="Gone", url="https://gone.test/registry.json", added_by=None)
    assert not IssuerRegistry.objects.exists()


def test_a_url_that_answers_404_adds_nothing(fake_web: FakeWeb) -> None:
    fake_web.add_host("registry.test")
    with pytest.raises(RegistryError, match=r"registry\.test answered 404"):
        registry_add_url(name="Missing", url=DCC_URL, added_by=None)
    assert not IssuerRegistry.objects.exists()


def test_a_private_address_is_not_fetched(fake_web: FakeWeb) -> None:
    with pytest.raises(RegistryError, match="private or local network"):
        registry_add_url(name="Inside", url="https://192.168.1.10/registry.json", added_by=None)
    assert fake_web.requests == [] and not IssuerRegistry.objects.exists()


@override_settings(OUTBOUND_FETCH_MAX_BYTES=1000)
def test_a_registry_too_big_to_fetch_is_refused(fake_web: FakeWeb) -> None:
    fake_web.add(DCC_URL, registry_document(listing(*(f"did:web:i{n}.test" for n in range(40)))))
    with pytest.raises(RegistryError, match="larger than 1000"):
        registry_add_url(name="Huge", url=DCC_URL, added_by=None)
    assert not IssuerRegistry.objects.exists()


@override_settings(OUTBOUND_FETCH_MAX_BYTES=1000)
def test_an_upload_too_big_is_refused_unread() -> None:
    with pytest.raises(RegistryError, match="larger than 1000") as refused:
        registry_add_file(name="Huge", upload=upload(b" " * 1001), added_by=None)
    assert refused.value.field == "upload"
    assert not IssuerRegistry.objects.exists()


def test_a_malformed_file_adds_nothing() -> None:
    with pytest.raises(RegistryError, match="not valid JSON") as refused:
        registry_add_file(name="Broken", upload=upload(b'{"registry": {'), added_by=None)
    assert refused.value.field == "upload"
    assert not IssuerRegistry.objects.exists() and not RegistryIssuer.objects.exists()


def test_names_are_unique_whatever_their_case() -> None:
    registry_add_file(name="Partners", upload=upload(registry_bytes()), added_by=None)
    with pytest.raises(RegistryError, match="already a registry called “Partners”") as refused:
        registry_add_file(name=" partners ", upload=upload(registry_bytes()), added_by=None)
    assert refused.value.field == "name"
    assert IssuerRegistry.objects.count() == 1


def test_the_same_address_is_not_added_twice(fake_web: FakeWeb) -> None:
    fake_web.add(DCC_URL, registry_document())
    registry_add_url(name="DCC", url=DCC_URL, added_by=None)
    with pytest.raises(RegistryError, match="already added, as “DCC”"):
        registry_add_url(name="DCC again", url=DCC_URL, added_by=None)


def test_a_refresh_replaces_the_issuers(fake_web: FakeWeb) -> None:
    fake_web.add(DCC_URL, registry_document(listing("did:web:old.test")))
    registry = registry_add_url(name="DCC", url=DCC_URL, added_by=None)
    first_fetch = registry.fetched_at
    fake_web.add(DCC_URL, registry_document(listing("did:web:new.test")))
    stored = registry_refresh(registry=registry)
    assert stored is not None and stored.fetched_at and first_fetch
    assert stored.fetched_at > first_fetch and stored.last_error == ""
    assert _listed(registry) == {"did:web:new.test"}


def test_a_failed_refresh_keeps_the_last_good_copy(fake_web: FakeWeb) -> None:
    fake_web.add(DCC_URL, registry_document())
    registry = registry_add_url(name="DCC", url=DCC_URL, added_by=None)
    good_copy = registry.fetched_at
    fake_web.add(DCC_URL, "<html>Down for maintenance</html>", content_type="text/html")
    stored = registry_refresh(registry=registry)
    assert stored is not None
    assert stored.fetched_at == good_copy
    assert stored.last_attempt_at and good_copy and stored.last_attempt_at > good_copy
    assert "not valid JSON" in stored.last_error
    assert _listed(registry) == set(EXAMPLE_ISSUERS)

    fake_web.add(DCC_URL, registry_document())
    stored = registry_refresh(registry=registry)
    assert stored is not None and stored.last_error == "" and stored.fetched_at != good_copy


def test_an_uploaded_registry_cannot_be_fetched_again() -> None:
    registry = registry_add_file(name="Partners", upload=upload(registry_bytes()), added_by=None)
    with pytest.raises(RegistryError, match="no address"):
        registry_refresh(registry=registry)


def test_delete_removes_the_registry_and_its_issuers() -> None:
    registry = registry_add_file(name="Partners", upload=upload(registry_bytes()), added_by=None)
    registry_delete(registry=registry)
    assert not IssuerRegistry.objects.exists() and not RegistryIssuer.objects.exists()


def test_registries_are_refreshed_every_six_hours_by_default() -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["badges-registries-refresh-all"]
    assert entry["task"] == "badges.registries.tasks.registries_refresh_all_task"
    assert entry["schedule"] == timedelta(hours=6)
    celery_app.loader.import_default_modules()  # what a worker does when it starts
    assert entry["task"] in celery_app.tasks


def test_the_scheduled_refresh_fetches_each_url_registry(fake_web: FakeWeb) -> None:
    fake_web.add(DCC_URL, registry_document(listing("did:web:old.test")))
    registry_add_url(name="DCC", url=DCC_URL, added_by=None)
    registry_add_file(name="Partners", upload=upload(registry_bytes()), added_by=None)
    fake_web.add(DCC_URL, registry_document(listing("did:web:new.test")))

    assert registries_refresh_all_task.delay().get() == 1
    assert _listed(IssuerRegistry.objects.get(name="DCC")) == {"did:web:new.test"}
    assert _listed(IssuerRegistry.objects.get(name="Partners")) == set(EXAMPLE_ISSUERS)


def test_the_refresh_task_is_idempotent(fake_web: FakeWeb) -> None:
    fake_web.add(DCC_URL, registry_document())
    registry = registry_add_url(name="DCC", url=DCC_URL, added_by=None)
    ids = set(registry.issuers.values_list("pk", flat=True))
    assert registry_refresh_task.delay(registry.pk).get() is True
    assert registry_refresh_task.delay(registry.pk).get() is True
    assert set(registry.issuers.values_list("pk", flat=True)) == ids  # nothing rewritten
    assert registry_refresh_task.delay(registry.pk + 1000).get() is None


def test_the_refresh_task_reports_a_failure_without_raising(fake_web: FakeWeb) -> None:
    fake_web.add(DCC_URL, registry_document())
    registry = registry_add_url(name="DCC", url=DCC_URL, added_by=None)
    fake_web.add(DCC_URL, {"error": "gone"}, status=500)
    assert registry_refresh_task.delay(registry.pk).get() is False
    registry.refresh_from_db()
    assert registry.last_error == "registry.test answered 500 instead of the registry."
