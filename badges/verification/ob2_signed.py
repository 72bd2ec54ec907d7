"""Open Badges 2.0 signed assertions: the signing key must be one the issuer's own
profile lists, and the issuer's revocation list must not name the assertion.

The spec's steps, in order: the JWS is RS256 and its payload is the assertion;
verification.creator is the key's URL (when absent, the keys the issuer lists are tried);
the issuer profile, fetched from its id, lists that key in publicKey; the key's document
names that issuer as owner; the signature holds; the assertion is not on the issuer's
revocationList. A 1.x signed badge, whose issuers had no publicKey, may instead be signed
with a PEM key published on the issuer's own site (as the 1.x validators checked)."""

import json
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from badges import jose
from badges.models import Status
from badges.outcome import KeyUsed, Outcome
from badges.parsing import as_list, id_of
from badges.verification.fetching import fetch_node, host_of, unreachable


@dataclass
class Node:
    """A badge class or issuer profile, and how it was had: `fetched` from its own id,
    and over https (`secure`, or embedded in something that was)."""

    data: dict[str, Any]
    fetched: bool
    secure: bool


def check_signed(
    jws: str, assertion: dict[str, Any], issuer: Node, outcome: Outcome, *, legacy: bool
) -> None:
    alg = jose.jws_header(jws).get("alg")
    if alg != "RS256":
        outcome.failed(
            "signature",
            _("The badge is signed with %(alg)s; Open Badges 2.0 signatures use RS256.")
            % {"alg": alg},
        )
        return
    verification = assertion.get("verification")
    creator = id_of(verification.get("creator")) if isinstance(verification, dict) else ""
    listed = [k for k in as_list(issuer.data.get("publicKey")) if id_of(k)]
    if legacy and not listed and creator:
        _check_legacy_key(jws, creator, issuer, outcome)
        return
    if not listed:
        outcome.failed(
            "issuer",
            _(
                "The issuer's profile lists no signing keys (publicKey), so nothing shows "
                "this signature is the issuer's."
            ),
        )
        return
    if creator and creator not in {id_of(k) for k in listed}:
        outcome.failed("issuer", _("The signing key is not one the issuer lists as its own."))
        return
    for entry in [k for k in listed if id_of(k) == creator] if creator else listed:
        key = _key(entry, issuer, outcome)
        if key is None:
            return
        pem, found_at, secure = key
        try:
            jose.verify_jws(jws, key=jose.public_key_from_pem(pem), algorithms=["RS256"])
        except jose.JoseError as error:
            if creator:
                outcome.failed("signature", str(error))
                return
            continue
        _signed_by(outcome, id_of(entry), found_at, issuer, secure=secure)
        return
    outcome.failed("signature", _("No key the issuer lists verifies this signature."))


def _key(entry: Any, issuer: Node, outcome: Outcome) -> tuple[str, str, bool] | None:
    """(PEM, where it was found, whether it came over https) for a key the issuer lists;
    None (with the failed check recorded) when it cannot be used."""
    key_url = id_of(entry)
    if isinstance(entry, dict) and entry.get("publicKeyPem"):
        # Embedded in the profile, which is what vouches for it.
        return str(entry["publicKeyPem"]), id_of(issuer.data), issuer.secure
    if not key_url.startswith(("https://", "http://")):
        outcome.failed("signature", _("The signing key has no web address to fetch it from."))
        return None
    got = fetch_node(key_url, what=_("the issuer's public key"))
    if got.ok is None:
        raise unreachable(got)
    if not got.ok or not isinstance(got.data, dict):
        outcome.failed("signature", got.message or _("The issuer's public key could not be read."))
        return None
    key_doc = got.data
    if id_of(key_doc) and id_of(key_doc) != key_url:
        outcome.failed(
            "issuer", _("The signing key's document gives another web address as its own.")
        )
        return None
    if id_of(key_doc.get("owner")) != id_of(issuer.data):
        outcome.failed("issuer", _("The signing key belongs to someone other than the issuer."))
        return None
    if not key_doc.get("publicKeyPem"):
        outcome.failed("signature", _("The issuer's public key could not be read."))
        return None
    found_at = got.response.url if got.response is not None else key_url
    return str(key_doc["publicKeyPem"]), found_at, got.secure


def _signed_by(outcome: Outcome, key_id: str, found_at: str, issuer: Node, *, secure: bool) -> None:
    outcome.key = KeyUsed(id=key_id, found_at=found_at)
    outcome.passed("signature", _("The issuer's signature is valid."))
    outcome.passed("issuer", _("Signed with a key the issuer's profile lists as its own."))
    issuer_id = id_of(issuer.data)
    # The profile that lists the key was read from the issuer id itself.
    outcome.bound_to_issuer = issuer.fetched
    if not issuer.fetched:
        # An embedded profile is the signer's word, and anyone can sign: it proves nothing
        # about who the issuer is (the validator trusts it; we do not).
        outcome.not_identified(
            _(
                "The issuer's profile could not be fetched from its own web address, "
                "so it does not prove who the issuer is."
            )
        )
    elif not (issuer.secure and secure and issuer_id.startswith("https://")):
        outcome.not_identified(
            _(
                "The issuer's profile or key came over an insecure connection (http), "
                "so it does not prove who the issuer is."
            )
        )
    else:
        outcome.identified_by_domain(
            host_of(issuer_id),
            _("The issuer's profile on its own site, %(host)s, lists the signing key.")
            % {"host": host_of(issuer_id)},
        )


def _check_legacy_key(jws: str, key_url: str, issuer: Node, outcome: Outcome) -> None:
    """Open Badges 1.x: verify.url is the issuer's key (PEM, or a key document), which
    must be on the issuer's own site."""
    issuer_site = id_of(issuer.data) or str(issuer.data.get("url") or "")
    if host_of(key_url).lower() != host_of(issuer_site).lower():
        outcome.failed("issuer", _("The signing key is not on the issuer's own site."))
        return
    got = fetch_node(key_url, what=_("the issuer's public key"), text=True)
    if got.ok is None:
        raise unreachable(got)
    if not got.ok or not isinstance(got.data, str):
        outcome.failed("signature", got.message)
        return
    pem = got.data.strip()
    if not pem.startswith("-----BEGIN"):
        try:
            pem = str(json.loads(pem).get("publicKeyPem") or "")
        except (ValueError, AttributeError):
            pem = ""
    try:
        jose.verify_jws(jws, key=jose.public_key_from_pem(pem), algorithms=["RS256"])
    except jose.JoseError as error:
        outcome.failed("signature", str(error))
        return
    found_at = got.response.url if got.response is not None else key_url
    outcome.key = KeyUsed(id=key_url, found_at=found_at)
    outcome.passed("signature", _("The issuer's signature is valid."))
    outcome.passed("issuer", _("Signed with a key published on the issuer's own site."))
    outcome.bound_to_issuer = True
    if got.secure and issuer.secure:
        outcome.identified_by_domain(
            host_of(key_url),
            _("The signing key is published on the issuer's own site, %(host)s.")
            % {"host": host_of(key_url)},
        )
    else:
        outcome.not_identified(
            _(
                "The signing key came over an insecure connection (http), "
                "so it does not prove who the issuer is."
            )
        )


def check_revocation_list(
    assertion: dict[str, Any], issuer: dict[str, Any], outcome: Outcome
) -> None:
    if assertion.get("revoked") is True:
        _revoked(outcome, assertion)
        return
    list_url = id_of(issuer.get("revocationList"))
    if not list_url:
        outcome.not_applicable("revocation", _("The issuer publishes no revocation list."))
        return
    got = fetch_node(list_url, what=_("the issuer's revocation list"))
    if got.ok is None:
        outcome.not_checked("revocation", got.message)
        return
    if not got.ok or not isinstance(got.data, dict):
        outcome.failed(
            "revocation", got.message or _("The issuer's revocation list could not be read.")
        )
        return
    entry = _listed(got.data, assertion)
    if entry is not None:
        _revoked(outcome, entry)
    else:
        outcome.passed("revocation", _("Not on the issuer's revocation list."))


def _listed(revocation_list: dict[str, Any], assertion: dict[str, Any]) -> Any:
    """The list's entry for this assertion, or None. Entries name it by id (a string, or
    an object's id) or, in 1.x-era lists, by uid: never by a value both lack."""
    assertion_id = id_of(assertion)
    uid = str(assertion.get("uid") or "")
    if "revokedAssertions" not in revocation_list and uid in revocation_list:
        return {"revocationReason": revocation_list[uid]}  # 1.x: {uid: reason}
    for entry in as_list(revocation_list.get("revokedAssertions")):
        if isinstance(entry, str) and assertion_id and entry == assertion_id:
            return entry
        if isinstance(entry, dict) and (
            (assertion_id and id_of(entry) == assertion_id)
            or (uid and str(entry.get("uid") or "") == uid)
        ):
            return entry
    return None


def _revoked(outcome: Outcome, entry: Any) -> None:
    reason = str(entry.get("revocationReason") or "") if isinstance(entry, dict) else ""
    message = _("The issuer has revoked this badge.")
    if reason:
        message += " " + _("Reason given: %(reason)s") % {"reason": reason}
    outcome.failed("revocation", message, leads_to=Status.REVOKED)
