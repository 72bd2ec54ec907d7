"""Adding, refreshing and deleting the issuer registries an institution trusts.

Each write replaces a registry's issuers as a whole, from a copy read in full first, so a
registry never half-changes. A failed fetch keeps the last good copy (which keeps
matching) and records when and why it failed. When the set of listed issuers changes,
the badges those issuers signed are checked again, so their identity follows the lists.

The fetch happens before the database transaction opens: a slow registry server never
holds a transaction open.
"""

import logging
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError

from accounts.institutions.selectors import administered_institutions
from badges.models import Badge, IssuerRegistry, RegistryIssuer
from badges.registries.formats import (
    Parsed,
    RegistryInvalid,
    max_bytes,
    parse_registry,
    too_big_message,
)
from core.fetch import FetchError, FetchRefused, fetch

logger = logging.getLogger(__name__)

ACCEPT = "application/json, */*;q=0.1"
IN_CHUNK = 500  # issuer ids per query when finding their badges


class RegistryError(ValueError):
    """Not added or not refreshed: the message says why, in plain words. `field` names
    the form field it belongs to, if any."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def registry_add_url(
    *, name: str, url: str, format: str = "", added_by: Any, institution: Any = None
) -> IssuerRegistry:
    """Fetch the registry at `url` now and, if it reads, trust it. Raises RegistryError
    (and stores nothing) when the name or address is taken, or the fetch or file fails."""
    name = name.strip()
    _refuse_duplicates(name=name, url=url)
    parsed = _fetched(url, format=format)
    return _create(
        name=name, url=url, file_name="", parsed=parsed, added_by=added_by,
        institution=institution,
    )  # fmt: skip


def registry_add_file(
    *, name: str, upload: UploadedFile, format: str = "", added_by: Any, institution: Any = None
) -> IssuerRegistry:
    """Trust the registry in an uploaded file. Raises RegistryError (and stores nothing)
    when the name is taken or the file cannot be used."""
    name = name.strip()
    _refuse_duplicates(name=name, url="")
    if (upload.size or 0) > max_bytes():
        raise RegistryError(too_big_message(), field="upload")
    data = upload.read(max_bytes() + 1)
    try:
        parsed = parse_registry(data, format=format)
    except RegistryInvalid as invalid:
        raise RegistryError(str(invalid), field="upload") from None
    file_name = (upload.name or "registry.json").rsplit("/", 1)[-1][:255]
    return _create(
        name=name, url="", file_name=file_name, parsed=parsed, added_by=added_by,
        institution=institution,
    )  # fmt: skip


def registry_refresh(*, registry: IssuerRegistry) -> IssuerRegistry | None:
    """Fetch a URL registry again. On success its issuers become the new copy; on failure
    the last good copy stays (and keeps matching) and the failure is recorded, in plain
    words, in `last_error`. Returns the registry as stored (None if it was deleted
    meanwhile). Idempotent and safe to retry."""
    if not registry.url:
        raise RegistryError(_("An uploaded registry has no address to fetch it from again."))
    now = timezone.now()
    try:
        parsed = _fetched(registry.url, format=registry.format)
    except RegistryError as error:
        return _record_failure(registry_id=registry.pk, now=now, reason=str(error))
    return _store(registry_id=registry.pk, parsed=parsed, now=now)


@transaction.atomic
def registry_delete(*, registry: IssuerRegistry) -> None:
    """Stop trusting a registry; the badges of the issuers it listed are checked again."""
    listed = set(registry.issuers.values_list("issuer_id", flat=True))
    registry.delete()
    _recheck_badges_of(listed)


# --- fetching -------------------------------------------------------------------------


def _fetched(url: str, *, format: str) -> Parsed:
    host = urlsplit(url).hostname or url
    try:
        response = fetch(url, accept=ACCEPT, max_bytes=max_bytes())
    except FetchRefused as error:
        if "over" in error.detail or "Content-Length" in error.detail:
            raise RegistryError(too_big_message(), field="url") from None
        raise RegistryError(_fetch_problem(url, str(error)), field="url") from None
    except FetchError as error:
        raise RegistryError(_fetch_problem(url, str(error)), field="url") from None
    if response.status != 200:
        raise RegistryError(
            _("%(host)s answered %(status)s instead of the registry.")
            % {"host": host, "status": response.status},
            field="url",
        )
    try:
        return parse_registry(response.body, format=format, source_url=url)
    except RegistryInvalid as invalid:
        raise RegistryError(str(invalid), field="url") from None


def _fetch_problem(url: str, reason: str) -> str:
    return _("Could not fetch %(url)s: %(reason)s") % {"url": url, "reason": reason}


# --- writing --------------------------------------------------------------------------


def _refuse_duplicates(*, name: str, url: str) -> None:
    """One registry per name, and per address (registries are shown by name)."""
    same_name = IssuerRegistry.objects.filter(name__iexact=name).first()
    if same_name is not None:
        raise RegistryError(
            _("There is already a registry called “%(name)s”. Choose another name.")
            % {"name": same_name.name},
            field="name",
        )
    same_url = IssuerRegistry.objects.filter(url=url).first() if url else None
    if same_url is not None:
        raise RegistryError(
            _("This registry is already added, as “%(name)s”.") % {"name": same_url.name},
            field="url",
        )


@transaction.atomic
def _create(
    *, name: str, url: str, file_name: str, parsed: Parsed, added_by: Any, institution: Any
) -> IssuerRegistry:
    """`institution` None: the one `added_by` administers (site-wide if none)."""
    _refuse_duplicates(name=name, url=url)  # again: another admin may have been quicker
    now = timezone.now()
    if institution is None and added_by is not None:
        institution = administered_institutions(user=added_by).first()
    registry = IssuerRegistry.objects.create(
        institution=institution,
        name=name,
        url=url,
        file_name=file_name,
        format=parsed.format,
        added_by=added_by,
        fetched_at=now,
        last_attempt_at=now,
    )
    _replace_issuers(registry, parsed)
    _recheck_badges_of(parsed.issuer_ids)
    return registry


@transaction.atomic
def _store(*, registry_id: int, parsed: Parsed, now: Any) -> IssuerRegistry | None:
    registry = IssuerRegistry.objects.select_for_update().filter(pk=registry_id).first()
    if registry is None:
        return None
    before = _listed(registry)
    after = {(e.issuer_id, e.name, e.url) for e in parsed.entries}
    if before != after:
        _replace_issuers(registry, parsed)
        old_ids = {issuer_id for issuer_id, _name, _url in before}
        _recheck_badges_of(old_ids ^ parsed.issuer_ids)
    registry.fetched_at = registry.last_attempt_at = now
    registry.last_error = ""
    registry.save(update_fields=["fetched_at", "last_attempt_at", "last_error", "updated_at"])
    return registry


@transaction.atomic
def _record_failure(*, registry_id: int, now: Any, reason: str) -> IssuerRegistry | None:
    registry = IssuerRegistry.objects.select_for_update().filter(pk=registry_id).first()
    if registry is None:
        return None
    registry.last_attempt_at = now
    registry.last_error = reason
    registry.save(update_fields=["last_attempt_at", "last_error", "updated_at"])
    return registry


def _listed(registry: IssuerRegistry) -> set[tuple[str, str, str]]:
    return set(registry.issuers.values_list("issuer_id", "name", "url"))


def _replace_issuers(registry: IssuerRegistry, parsed: Parsed) -> None:
    registry.issuers.all().delete()
    RegistryIssuer.objects.bulk_create(
        RegistryIssuer(registry=registry, issuer_id=e.issuer_id, name=e.name, url=e.url)
        for e in parsed.entries
    )


def _recheck_badges_of(issuer_ids: Iterable[str]) -> None:
    """Once committed, queue a re-check of every badge naming one of these issuers."""
    ids = sorted(set(issuer_ids))
    badge_ids: list[int] = []
    for start in range(0, len(ids), IN_CHUNK):
        chunk = ids[start : start + IN_CHUNK]
        badge_ids += Badge.objects.filter(details__issuer_id__in=chunk).values_list("pk", flat=True)
    if badge_ids:
        transaction.on_commit(lambda: _queue(badge_ids))


def _queue(badge_ids: list[int]) -> None:
    """The broker being down is logged, not raised: the registry is saved, and the
    scheduled sweep checks every badge anyway."""
    from badges.tasks import badge_reverify_task

    try:
        for badge_id in badge_ids:
            badge_reverify_task.delay(badge_id)
    except OperationalError as error:
        logger.warning("Could not queue the re-check of %s badges now: %s", len(badge_ids), error)
