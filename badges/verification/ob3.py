"""Open Badges 3.0: credentials with an embedded Data Integrity proof, or VC-JWTs."""

import base64
import gzip
import zlib
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from badges import jose, proofs
from badges.models import Status
from badges.outcome import KeyUsed, Outcome
from badges.parsing import Facts, as_list, id_of, ob3_facts, types_of
from badges.verification.fetching import fetch_json, host_of
from badges.verification.ob2 import check_dates
from badges.verification.recipient import ob3_recipient

MAX_STATUS_LIST_BITS = 16 * 1024 * 1024 * 8  # a decoded list above 16 MB is refused


class _KeyUnavailable(Exception):
    """The issuer's key could not be fetched now."""


def verify_ob3(
    *, credential: dict[str, Any], jwt: str = "", emails: list[str], now: datetime
) -> tuple[Outcome, Facts]:
    outcome = Outcome(version="3.0", document=credential)
    facts = ob3_facts(credential)
    _check_structure(credential, facts, outcome)
    if jwt:
        _check_jwt(jwt, facts, outcome)
    else:
        _check_proof(credential, facts, outcome)
    _check_status(credential, outcome)
    check_dates(facts.issued_at, facts.expires_at, now, outcome)
    ok, message = ob3_recipient(credential, emails)
    outcome.add("recipient", ok, message)
    outcome.image_url = facts.image
    return outcome, facts


def _check_structure(credential: dict[str, Any], facts: Facts, outcome: Outcome) -> None:
    subject = credential.get("credentialSubject")
    achievement = subject.get("achievement") if isinstance(subject, dict) else None
    missing = [
        label
        for label, present in (
            (_("issuer"), bool(facts.issuer_id)),
            (_("achievement"), isinstance(achievement, dict)),
            (_("achievement name"), bool(facts.name)),
            (_("issue date"), facts.issued_at is not None),
        )
        if not present
    ]
    if missing:
        outcome.add(
            "structure",
            False,
            _("The credential is incomplete: it lacks %(fields)s.")
            % {"fields": ", ".join(missing)},
        )
    else:
        outcome.add("structure", True, _("Has everything an Open Badges 3.0 credential needs."))


def resolve_issuer_key(verification_method: str, *, issuer_id: str) -> Any:
    """The key for a verification method, only if the issuer controls it: a did:key that
    is the issuer itself, or a key the issuer's own controller document lists. The text
    of a URL fragment is never taken as the key."""
    if verification_method.startswith("did:key:"):
        if verification_method.split("#", 1)[0] != issuer_id:
            raise proofs.ProofError(_("The signing key is not the issuer's own (did:key)."))
        return proofs.resolve_did_key(verification_method)
    document_url = verification_method.split("#", 1)[0]
    if document_url != issuer_id:
        raise proofs.ProofError(_("The signing key is published outside the issuer's profile."))
    got = fetch_json(document_url, what=_("the issuer's keys"))
    if got.ok is None:
        raise _KeyUnavailable(got.message)
    if not got.ok or not isinstance(got.data, dict):
        raise proofs.ProofError(got.message)
    return proofs.key_from_controller_document(
        got.data, verification_method, expected_controller=issuer_id
    )


def _check_proof(credential: dict[str, Any], facts: Facts, outcome: Outcome) -> None:
    if not credential.get("proof"):
        outcome.add("signature", False, _("The credential is not signed (it has no proof)."))
        return
    try:
        methods = proofs.verify_data_integrity(
            credential, resolve_key=lambda vm: resolve_issuer_key(vm, issuer_id=facts.issuer_id)
        )
    except _KeyUnavailable as unavailable:
        outcome.add("signature", None, str(unavailable))
        return
    except proofs.ProofError as error:
        outcome.add("signature", False, str(error))
        return
    _found_key(outcome, methods[0] if methods else "")
    outcome.add("signature", True, _("The issuer's signature is valid."))


def _check_jwt(token: str, facts: Facts, outcome: Outcome) -> None:
    def key_for(header: dict[str, Any], payload: dict[str, Any]) -> Any:
        kid = str(header.get("kid") or "")
        method = kid if kid.startswith(("did:", "http")) else f"{facts.issuer_id}{kid}"
        return resolve_issuer_key(method, issuer_id=facts.issuer_id)

    used: list[str] = []

    def key_for_noted(header: dict[str, Any], payload: dict[str, Any]) -> Any:
        key = key_for(header, payload)
        kid = str(header.get("kid") or "")
        used.append(kid if kid.startswith(("did:", "http")) else f"{facts.issuer_id}{kid}")
        return key

    try:
        jose.verify_vc_jwt(token, resolve_key=key_for_noted)
    except _KeyUnavailable as unavailable:
        outcome.add("signature", None, str(unavailable))
        return
    except (jose.JoseError, proofs.ProofError) as error:
        outcome.add("signature", False, str(error))
        return
    _found_key(outcome, used[0] if used else "")
    outcome.add("signature", True, _("The issuer's signature is valid."))


def _found_key(outcome: Outcome, method: str) -> None:
    """Record the key that verified, and what it says about who the issuer is: a key in
    an https issuer's own document identifies the issuer by that domain; a did:key
    describes only itself."""
    document = method.split("#", 1)[0]
    if method.startswith("did:key:"):
        outcome.key = KeyUsed(id=method, found_at="did:key")
        outcome.not_identified(
            _(
                "Signed with a self-describing key (did:key): anyone can make one, so nothing "
                "ties it to the issuer named in the credential."
            )
        )
    elif document.startswith("https://"):
        outcome.key = KeyUsed(id=method, found_at=document)
        host = host_of(document)
        outcome.identified_by_domain(
            host,
            _("The signing key is listed in the issuer's own document at %(host)s.")
            % {"host": host},
        )
    else:
        outcome.key = KeyUsed(id=method, found_at=document)
        outcome.not_identified(_("The signing key is not published on an https domain."))


def _check_status(credential: dict[str, Any], outcome: Outcome) -> None:
    entries = [e for e in as_list(credential.get("credentialStatus")) if isinstance(e, dict)]
    if not entries:
        outcome.not_applicable(
            "revocation", _("The issuer publishes no revocation status for it.")
        )
        return
    for entry in entries:
        kind = types_of(entry)
        list_url = id_of(entry.get("statusListCredential")) or id_of(entry)
        got = fetch_json(list_url, what=_("the issuer's status list"))
        if not got.ok or not isinstance(got.data, dict):
            # Unreachable or not served: not checkable, which is not the same as forged.
            outcome.add(
                "revocation",
                None,
                _("The revocation status could not be checked: %(why)s") % {"why": got.message},
            )
            return
        if "BitstringStatusListEntry" in kind or "StatusList2021Entry" in kind:
            revoked = _bit_set(got.data, entry)
        elif "1EdTechRevocationList" in kind:
            revoked = _on_revocation_list(got.data, id_of(credential))
        else:
            outcome.add(
                "revocation", None, _("The revocation status uses a method we cannot check.")
            )
            return
        if revoked is None:
            outcome.add("revocation", False, _("The issuer's status list is malformed."))
            return
        if revoked:
            outcome.failed(
                "revocation", _("The issuer has revoked this credential."), leads_to=Status.REVOKED
            )
            return
    outcome.add("revocation", True, _("Not revoked, according to the issuer's status list."))


def _bit_set(status_credential: dict[str, Any], entry: dict[str, Any]) -> bool | None:
    if str(entry.get("statusPurpose") or "revocation") not in ("revocation", "suspension"):
        return False
    subject = status_credential.get("credentialSubject")
    subject = subject if isinstance(subject, dict) else {}
    encoded = str(subject.get("encodedList") or "")
    try:
        index = int(entry.get("statusListIndex"))  # type: ignore[arg-type]
        if encoded.startswith("u"):  # multibase base64url (VC Bitstring Status List)
            encoded = encoded[1:]
        raw = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
        decompressor = zlib.decompressobj(wbits=31)
        bits = decompressor.decompress(raw, MAX_STATUS_LIST_BITS // 8)
        if decompressor.unconsumed_tail:
            return None
    except (ValueError, TypeError, zlib.error, gzip.BadGzipFile):
        return None
    if index < 0 or index >= len(bits) * 8:
        return None
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def _on_revocation_list(data: dict[str, Any], credential_id: str) -> bool | None:
    subject = (
        data.get("credentialSubject") if isinstance(data.get("credentialSubject"), dict) else data
    )
    revoked = subject.get("revokedCredentials") if isinstance(subject, dict) else None
    if revoked is None:
        return None
    return any(id_of(r) == credential_id for r in as_list(revoked))
