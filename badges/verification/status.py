"""Open Badges 3.0 "Check the status": the credential's credentialStatus entries.

A BitstringStatusListEntry (or the older StatusList2021Entry) points at a bit of a status
list credential. VC Bitstring Status List, validate algorithm, step 4: dereference the
status list credential "and ensure that all proofs verify successfully", else raise a
STATUS_VERIFICATION_ERROR; the 1EdTech validator (BitstringStatusListProbe) then reports
the credential as invalid. So a list whose proof is broken, or that is signed by someone
other than the credential's issuer (the check Digital Bazaar's vc-status-list makes), makes
the revocation check FAIL: its bits cannot be believed, and a list that anyone could have
written is not one the issuer stands behind. A list that cannot be fetched now, or whose
key cannot, is "not checked" (the validator warns), never failed.

A 1EdTechRevocationList entry names a plain JSON list of revoked credential ids, which the
validator reads without a proof; when that document is itself a signed credential, its
proof must verify as above.
"""

import base64
import gzip
import re
import zlib
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from badges.models import Status
from badges.outcome import Outcome
from badges.parsing import as_list, id_of, parse_time, types_of
from badges.verification.fetching import fetch_json
from badges.verification.signatures import check_embedded_proof, check_vc_jwt, issuer_id_of

MAX_STATUS_LIST_BITS = 16 * 1024 * 1024 * 8  # a decoded list above 16 MB is refused
MIN_STATUS_LIST_BITS = 131_072  # Bitstring Status List: minimumNumberOfEntries (16 KB)
BITSTRING_ENTRIES = frozenset({"BitstringStatusListEntry", "StatusList2021Entry"})
_COMPACT_JWS = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$")

# What one entry says: (verdict, message); verdict is one of these.
REVOKED, FAILED, UNKNOWN, NOT_REVOKED, NOT_ABOUT_VALIDITY = range(5)


def check_status(credential: dict[str, Any], *, now: datetime, outcome: Outcome) -> None:
    entries = [e for e in as_list(credential.get("credentialStatus")) if isinstance(e, dict)]
    verdicts = [_entry(entry, credential, now) for entry in entries]
    verdicts = [v for v in verdicts if v[0] != NOT_ABOUT_VALIDITY]
    if not verdicts:
        outcome.not_applicable("revocation", _("The issuer publishes no revocation status for it."))
        return
    verdict, message = min(verdicts, key=lambda v: v[0])  # revoked, then failed, unknown
    if verdict == REVOKED:
        outcome.failed("revocation", message, leads_to=Status.REVOKED)
    elif verdict == FAILED:
        outcome.failed("revocation", message)
    elif verdict == UNKNOWN:
        outcome.not_checked("revocation", message)
    else:
        outcome.passed("revocation", _("Not revoked, according to the issuer's status list."))


def _entry(entry: dict[str, Any], credential: dict[str, Any], now: datetime) -> tuple[int, str]:
    kind = types_of(entry)
    if kind & BITSTRING_ENTRIES:
        return _bitstring_entry(entry, credential, now)
    if "1EdTechRevocationList" in kind:
        return _revocation_list_entry(entry, credential, now)
    return UNKNOWN, _("The revocation status uses a method we cannot check.")


def _bitstring_entry(
    entry: dict[str, Any], credential: dict[str, Any], now: datetime
) -> tuple[int, str]:
    purpose = _single(entry.get("statusPurpose"))
    if isinstance(purpose, list):
        return FAILED, _("The credential's status entry gives several purposes at once.")
    purpose = str(purpose or "")
    if purpose not in ("revocation", "suspension"):
        return NOT_ABOUT_VALIDITY, ""  # "message" or "refresh" entries say nothing of validity
    if _single(entry.get("statusSize", 1)) != 1:
        return UNKNOWN, _("The status list uses entries of several bits, which we cannot check.")
    list_url = id_of(_single(entry.get("statusListCredential")))
    if not list_url:
        return FAILED, _("The credential's status entry names no status list.")
    status_list, problem = _status_credential(list_url, credential, now)
    if status_list is None:
        return problem
    subject = status_list.get("credentialSubject")
    subject = subject if isinstance(subject, dict) else {}
    if purpose not in [str(p) for p in as_list(subject.get("statusPurpose"))]:
        return FAILED, _("The issuer's status list is not a %(purpose)s list.") % {
            "purpose": purpose
        }
    bit = _bit(str(subject.get("encodedList") or ""), _single(entry.get("statusListIndex")))
    if bit is None:
        return FAILED, _("The issuer's status list is malformed.")
    if not bit:
        return NOT_REVOKED, ""
    if purpose == "suspension":
        return REVOKED, _("The issuer has suspended this credential.")
    return REVOKED, _("The issuer has revoked this credential.")


def _single(value: Any) -> Any:
    """JSON-LD: a one-item list says the same as its item (and is signed the same), so
    whoever holds a credential can write either; both must be read alike."""
    return value[0] if isinstance(value, list) and len(value) == 1 else value


def _revocation_list_entry(
    entry: dict[str, Any], credential: dict[str, Any], now: datetime
) -> tuple[int, str]:
    credential_id = id_of(credential)
    list_url = id_of(entry)
    if not list_url or not credential_id:
        return UNKNOWN, _("The revocation status cannot be looked up: the credential has no id.")
    document, problem = _status_credential(list_url, credential, now, proof_required=False)
    if document is None:
        return problem
    subject = document.get("credentialSubject")
    listing = subject if isinstance(subject, dict) else document
    # The validator (RevocationListProbe) reads "revokedCredential"; 1EdTech's examples
    # write "revokedCredentials". Either is read; an entry with revoked false is not.
    revoked = listing.get("revokedCredentials", listing.get("revokedCredential"))
    if revoked is None:
        return FAILED, _("The issuer's revocation list is malformed.")
    for item in as_list(revoked):
        withdrawn = isinstance(item, dict) and item.get("revoked") is False
        if id_of(item) == credential_id and not withdrawn:
            return REVOKED, _("The issuer has revoked this credential.")
    return NOT_REVOKED, ""


def _status_credential(
    url: str, credential: dict[str, Any], now: datetime, *, proof_required: bool = True
) -> tuple[dict[str, Any] | None, tuple[int, str]]:
    """The status list at `url`, once its proof holds for the credential's issuer; else
    None and the verdict that explains why."""
    got = fetch_json(url, what=_("the issuer's status list"))
    token = ""
    if got.response is not None and got.response.status == 200 and not isinstance(got.data, dict):
        text = got.response.body.decode("utf-8", "replace").strip()
        token = text if _COMPACT_JWS.match(text) else ""
    if not token and (not got.ok or not isinstance(got.data, dict)):
        # Unreachable or not served: not checkable, which is not the same as forged.
        return None, (UNKNOWN, _("The revocation status could not be checked: %(why)s") % {
            "why": got.message})  # fmt: skip
    issuer_id = issuer_id_of(credential)
    if token:
        signed = check_vc_jwt(token, issuer_id=issuer_id)
    elif proof_required or got.data.get("proof") or "VerifiableCredential" in types_of(got.data):
        signed = check_embedded_proof(got.data, issuer_id=issuer_id)
    else:
        return got.data, (NOT_REVOKED, "")
    if signed.ok is None:
        return None, (UNKNOWN, _("The revocation status could not be checked: %(why)s") % {
            "why": signed.message})  # fmt: skip
    if not signed.ok or signed.credential is None:
        return None, (FAILED, _("The issuer's status list fails its own signature check: %(why)s")
                      % {"why": signed.message})  # fmt: skip
    status_list = signed.credential
    if issuer_id_of(status_list) != issuer_id:
        return None, (FAILED, _("The status list was issued by someone other than the issuer."))
    valid_until = parse_time(status_list.get("validUntil") or status_list.get("expirationDate"))
    if valid_until is not None and valid_until <= now:
        return None, (UNKNOWN, _("The issuer's status list is out of date (it expired)."))
    return status_list, (NOT_REVOKED, "")


def _bit(encoded: str, index_value: Any) -> bool | None:
    """The bit at `index_value` of a multibase base64url, gzipped bitstring (most
    significant bit first), or None if the list or the index is malformed."""
    try:
        index = int(index_value)
        if encoded.startswith("u"):  # multibase base64url (VC Bitstring Status List)
            encoded = encoded[1:]
        raw = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
        decompressor = zlib.decompressobj(wbits=31)
        bits = decompressor.decompress(raw, MAX_STATUS_LIST_BITS // 8)
        if decompressor.unconsumed_tail:
            return None
    except (ValueError, TypeError, zlib.error, gzip.BadGzipFile):
        return None
    if len(bits) * 8 < MIN_STATUS_LIST_BITS or index < 0 or index >= len(bits) * 8:
        return None
    return bool(bits[index // 8] & (0x80 >> (index % 8)))
