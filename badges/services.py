"""Writes with business meaning for badges: import, re-verification, the learner's note."""

import base64
import binascii
import json
from dataclasses import dataclass, field
from typing import Any

from allauth.account.models import EmailAddress
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from badges.models import Badge, Status, Verification
from badges.outcome import BadgeRejected, Outcome, Result
from badges.parsing import Facts, fingerprint
from badges.registries.matching import registry_match
from badges.report import report_for
from badges.verification import check_payload
from badges.verification.clr import clr_in_payload, clr_verified_credentials
from badges.verification.fetching import fetch_bytes, recording
from badges.wording import checks_reason
from core.models import Visibility
from core.storage import files_delete_on_commit, files_removed_on_error

MAX_IMAGE_BYTES = 2 * 1024 * 1024


def verified_emails(owner: Any) -> list[str]:
    return list(
        EmailAddress.objects.filter(user=owner, verified=True).values_list("email", flat=True)
    )


def badge_check(*, payload: str, owner: Any, now: Any) -> tuple[Outcome, Facts]:
    """Every check of a badge, its issuer's identity (domain, then trusted registries)
    and the URLs fetched on the way. Raises BadgeRejected as check_payload does."""
    with recording() as fetched:
        outcome, facts = check_payload(payload, emails=verified_emails(owner), now=now)
    outcome.fetches = fetched
    outcome.issuer_id = facts.issuer_id
    if _signature_holds(outcome):
        outcome.registry = registry_match(issuer_id=facts.issuer_id, owner=owner)
    if outcome.registry is not None:  # what identifies the issuer now is the registry
        outcome.identity_note = _(
            "The registry “%(registry)s” lists the issuer's id, and the credential is "
            "signed with that id's key."
        ) % {"registry": outcome.registry.name}
    return outcome, facts


def _signature_holds(outcome: Outcome) -> bool:
    """A registry vouches for an issuer id; that says something about this badge only
    when its signature (or the issuer's own server) binds it to that id. A valid
    signature by a key that an embedded profile lists, or a badge hosted anywhere by an
    issuer whose id is not a web address, binds it to nothing."""
    signature = [c for c in outcome.checks if c.key == "signature"]
    return (
        bool(signature)
        and all(c.result == Result.PASSED for c in signature)
        and not (outcome.failures)
        and outcome.bound_to_issuer
    )


@dataclass
class ImportReport:
    """What became of each badge in one import (a CLR can hold many)."""

    imported: list[Badge] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (name, reason)


def badges_import(
    *, owner: Any, payload: str, source: str, image: bytes = b"", **options: Any
) -> ImportReport:
    """Import one badge, or each credential of a CLR 2.0 (each checked on its own, once
    the CLR's own proof, status and dates hold).

    Raises BadgeRejected when nothing could be imported, with every reason."""
    report = ImportReport()
    clr = clr_in_payload(payload)
    if clr is None:
        report.imported.append(
            badge_import(owner=owner, payload=payload, source=source, image=image, **options)
        )
        return report
    document, token = clr
    inner = clr_verified_credentials(document=document, token=token, now=timezone.now())
    if not inner:
        raise BadgeRejected(_("This learner record (CLR) contains no credentials."))
    for name, credential in inner:
        try:
            report.imported.append(
                badge_import(owner=owner, payload=credential, source=source, **options)
            )
        except BadgeRejected as rejected:
            report.refused.append((name, str(rejected)))
    if not report.imported:
        raise BadgeRejected(" ".join(f"{name}: {reason}" for name, reason in report.refused))
    return report


def _json_or_empty(payload: str) -> dict[str, Any]:
    text = payload.strip()
    if not text.startswith("{"):
        return {}
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return {}
    return value if isinstance(value, dict) else {}


def badge_import(
    *,
    owner: Any,
    payload: str,
    source: str,
    image: bytes = b"",
    visibility: str = Visibility.TUTORS,
    note: str = "",
) -> Badge:
    """Check and store a badge. Raises BadgeRejected (plain words) and stores nothing when
    it is not a valid badge for this learner, was issued in the future, or is revoked;
    an expired badge, or one whose issuer cannot be reached, is imported with that status."""
    now = timezone.now()
    outcome, facts = badge_check(payload=payload, owner=owner, now=now)
    if outcome.status == Status.FAILED:
        raise BadgeRejected(checks_reason([c.as_dict() for c in outcome.checks]))
    if outcome.status == Status.REVOKED:
        raise BadgeRejected(_("This badge has been revoked by its issuer, so it was not added."))
    print_ = fingerprint(outcome.document, payload)
    existing = Badge.objects.filter(owner=owner, fingerprint=print_).first()
    if existing is not None:
        raise BadgeRejected(_("You already have this badge: “%(name)s”.") % {"name": existing.name})
    display, display_type = _display_image(image, outcome)
    badge = Badge(
        owner=owner,
        source=source,
        original_payload=payload,
        document=outcome.document,
        spec_version=outcome.version,
        fingerprint=print_,
        note=note,
        visibility=visibility,
        display_image_type=display_type,
    )
    _apply_facts(badge, facts)
    _apply_outcome(badge, outcome, now)
    try:
        with files_removed_on_error() as saved:
            if image:
                badge.original_image.save("badge", ContentFile(image), save=False)
                saved.append(str(badge.original_image.name))
            if display:
                badge.display_image.save("display", ContentFile(display), save=False)
                saved.append(str(badge.display_image.name))
            with transaction.atomic():
                badge.save()
                _record(badge, outcome, now, changed=True)
    except IntegrityError:  # the same badge, imported twice at once
        raise BadgeRejected(_("You already have this badge.")) from None
    return badge


def badge_reverify(*, badge_id: int) -> Badge | None:
    """Check a stored badge again and record the result. Idempotent and safe to retry.

    The issuer not answering makes the status "not verifiable now", never "failed"."""
    badge = Badge.objects.filter(pk=badge_id).select_related("owner").first()
    if badge is None:
        return None
    now = timezone.now()
    try:
        outcome, _facts = badge_check(payload=badge.original_payload, owner=badge.owner, now=now)
    except BadgeRejected as rejected:
        outcome = Outcome(version=badge.spec_version, document=badge.document)
        if rejected.revoked:
            outcome.failed("revocation", str(rejected), leads_to=Status.REVOKED)
        else:
            outcome.add("structure", None if rejected.unreachable else False, str(rejected))
    previous = badge.status
    with transaction.atomic():
        _apply_outcome(badge, outcome, now)
        badge.save(update_fields=OUTCOME_FIELDS)
        _record(badge, outcome, now, changed=badge.status != previous)
    return badge


@transaction.atomic
def badge_update(*, badge: Badge, note: str, visibility: str) -> Badge:
    """The learner's own context; what the issuer stated is never editable."""
    badge.note = note
    badge.visibility = visibility
    badge.save(update_fields=["note", "visibility", "updated_at"])
    return badge


@transaction.atomic
def badge_delete(*, badge: Badge) -> None:
    files_delete_on_commit([str(f.name) for f in (badge.original_image, badge.display_image) if f])
    badge.delete()


def _apply_facts(badge: Badge, facts: Facts) -> None:
    badge.assertion_id = facts.assertion_id[:2000]
    badge.achievement_id = facts.achievement_id[:2000]
    badge.name = (facts.name or _("Untitled badge"))[:500]
    badge.description = facts.description
    badge.issuer_name = facts.issuer_name[:500]
    badge.issuer_url = facts.issuer_url[:2000]
    badge.issued_at = facts.issued_at
    badge.expires_at = facts.expires_at
    badge.details = {
        **facts.details,
        "issuer_email": facts.issuer_email,
        "issuer_id": facts.issuer_id,
    }


OUTCOME_FIELDS = [
    "status",
    "status_reason",
    "checks",
    "last_checked_at",
    "issuer_identity",
    "issuer_domain",
    "report",
]


def _apply_outcome(badge: Badge, outcome: Outcome, now: Any) -> None:
    badge.status = outcome.status
    badge.status_reason = outcome.reason
    badge.checks = [c.as_dict() for c in outcome.checks]
    badge.last_checked_at = now
    badge.issuer_identity = outcome.identity
    badge.issuer_domain = outcome.identity_domain
    badge.report = report_for(outcome, checked_at=now)


def _record(badge: Badge, outcome: Outcome, now: Any, *, changed: bool) -> None:
    Verification.objects.create(
        badge=badge,
        checked_at=now,
        status=outcome.status,
        reason=outcome.reason,
        checks=[c.as_dict() for c in outcome.checks],
        changed=changed,
        issuer_identity=outcome.identity,
        report=badge.report,
    )


def _display_image(image: bytes, outcome: Outcome) -> tuple[bytes, str]:
    """A safe copy of the badge's picture: the baked image itself, else the one the issuer
    points at (a data: URI or a URL, fetched through core.fetch)."""
    from badges.badge_images import badge_image_for_display
    from badges.baking import BakingError

    source = image or _data_uri(outcome.image_url)
    if not source and outcome.image_url.startswith(("https://", "http://")):
        source = fetch_bytes(outcome.image_url, max_bytes=MAX_IMAGE_BYTES)
    if not source:
        return b"", ""
    try:
        return badge_image_for_display(source)
    except (BakingError, ValueError):
        return b"", ""


def _data_uri(uri: str) -> bytes:
    if not uri.startswith("data:image/") or ";base64," not in uri:
        return b""
    encoded = uri.split(";base64,", 1)[1]
    if len(encoded) > MAX_IMAGE_BYTES * 4 // 3 + 4:
        return b""
    try:
        return base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        return b""
