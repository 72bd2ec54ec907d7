"""Whether a badge names this learner: its identity against their verified addresses."""

import hashlib
import hmac
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from badges.parsing import as_list

_HASHES = {"sha256": hashlib.sha256, "sha1": hashlib.sha1, "md5": hashlib.md5}
# The hashes each version allows: Open Badges 2.0 (IdentityObject) and 3.0 (IdentityHash)
# name sha256 and md5 only; sha1 is kept for 0.5 and 1.x badges, as found in the wild.
ALGORITHMS = {
    "legacy": {"sha256", "sha1", "md5"},
    "2.0": {"sha256", "md5"},
    "3.0": {"sha256", "md5"},
}


def identity_matches(
    identity: str, *, hashed: bool, salt: str, emails: Iterable[str], version: str
) -> bool:
    """OB identity rules: plain is compared case-insensitively; hashed is
    'algorithm$hex' of (address + salt), the hex compared case-insensitively, with an
    algorithm `version` ("legacy", "2.0" or "3.0") allows."""
    identity = identity.strip()
    if not hashed:
        return any(identity.lower() == e.lower() for e in emails)
    algorithm, _sep, digest = identity.partition("$")
    allowed = ALGORITHMS[version]
    hasher = _HASHES.get(algorithm.lower()) if algorithm.lower() in allowed else None
    if hasher is None or not digest:
        return False
    for email in emails:
        for candidate in {email, email.lower()}:
            computed = hasher((candidate + salt).encode()).hexdigest()
            if hmac.compare_digest(computed, digest.lower()):
                return True
    return False


def ob2_recipient(
    assertion: dict[str, Any], emails: list[str], *, legacy: bool = False
) -> tuple[bool | None, str]:
    """`legacy` for a badge upgraded from 0.5 or 1.x, whose hashes may be sha1."""
    recipient = assertion.get("recipient")
    if not isinstance(recipient, dict) or not recipient.get("identity"):
        return False, _("The badge does not say who earned it.")
    kind = str(recipient.get("type") or "email")
    if kind != "email":
        return None, _("The badge names its earner by %(kind)s, which we cannot match.") % {
            "kind": kind
        }
    matched = identity_matches(
        str(recipient["identity"]),
        hashed=bool(recipient.get("hashed")),
        salt=str(recipient.get("salt") or ""),
        emails=emails,
        version="legacy" if legacy else "2.0",
    )
    return _verdict(matched)


def ob3_recipient(credential: dict[str, Any], emails: list[str]) -> tuple[bool | None, str]:
    subject = credential.get("credentialSubject")
    subject = subject[0] if isinstance(subject, list) and subject else subject
    if not isinstance(subject, dict):
        return False, _("The credential does not say who earned it.")
    email_identities = [
        i
        for i in as_list(subject.get("identifier"))
        if isinstance(i, dict) and str(i.get("identityType")) == "emailAddress"
    ]
    subject_id = str(subject.get("id") or "")
    if subject_id.lower().startswith("mailto:"):
        email_identities.append({"identityHash": subject_id[7:], "hashed": False})
    if not email_identities:
        return None, _(
            "The credential names its earner by an identifier that is not an email address, "
            "so it was not matched to your account."
        )
    matched = any(
        identity_matches(
            str(i.get("identityHash") or ""),
            hashed=bool(i.get("hashed")),
            salt=str(i.get("salt") or ""),
            emails=emails,
            version="3.0",
        )
        for i in email_identities
    )
    return _verdict(matched)


def _verdict(matched: bool) -> tuple[bool, str]:
    if matched:
        return True, _("Issued to one of your verified email addresses.")
    return False, _(
        "Issued to someone else: it does not match any of your verified email addresses. "
        "If it was sent to another address of yours, add and verify that address first."
    )
