"""Open Badges 2.0: hosted and signed assertions."""

import json
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

from badges import jose
from badges.models import Status
from badges.outcome import BadgeRejected, KeyUsed, Outcome
from badges.parsing import Facts, as_list, id_of, ob2_facts, parse_time, types_of
from badges.verification.fetching import Fetched, fetch_json, fetch_text, host_of
from badges.verification.legacy import upgrade_if_legacy
from badges.verification.recipient import ob2_recipient


def verify_ob2(
    *,
    assertion: dict[str, Any],
    jws: str = "",
    emails: list[str],
    now: datetime,
    fetched_from: str = "",
) -> tuple[Outcome, Facts]:
    """Check an OB 2.0 assertion. For a hosted one the issuer's copy is what the checks
    (and the stored document) read: fetched from its id, unless `fetched_from` says the
    caller has just fetched it from there."""
    signed = bool(jws)
    if not signed:
        hosted_url = id_of(assertion)
        if not hosted_url.startswith(("https://", "http://")):
            raise BadgeRejected(_("This hosted badge has no web address (id) to check it at."))
        got = (
            Fetched(data=assertion)
            if hosted_url == fetched_from
            else fetch_json(hosted_url, what=_("the badge"))
        )
        if got.ok is None and not assertion.get("badge"):
            raise BadgeRejected(got.message + " " + _("Try again later."), unreachable=True)
        outcome = Outcome(version="2.0", document=assertion)
        if got.response is not None and got.response.status == 410:
            outcome.failed(
                "revocation",
                _("The issuer says this badge has been revoked."),
                leads_to=Status.REVOKED,
            )
        elif got.ok and isinstance(got.data, dict):
            assertion = upgrade_if_legacy(got.data, hosted_url=hosted_url)
            outcome.document = assertion
            outcome.add(
                "signature",
                True,
                _("Confirmed by the issuer's server at %(host)s.") % {"host": host_of(hosted_url)},
            )
        else:
            outcome.add("signature", got.ok, got.message)
    else:
        outcome = Outcome(version="2.0", document=assertion)

    badge = _resolve(assertion.get("badge"), _("the badge class"), outcome)
    issuer = _resolve(badge.get("issuer"), _("the issuer's profile"), outcome)
    _check_structure(assertion, badge, issuer, outcome)
    if signed:
        _check_signature(jws, assertion, issuer, outcome)
    else:
        _check_hosted_origin(assertion, issuer, outcome)
    _check_revocation(assertion, issuer, outcome, signed=signed)
    facts = ob2_facts(assertion, badge, issuer)
    check_dates(facts.issued_at, facts.expires_at, now, outcome)
    ok, message = ob2_recipient(assertion, emails)
    outcome.add("recipient", ok, message)
    outcome.image_url = facts.image
    return outcome, facts


def _resolve(node: Any, what: str, outcome: Outcome) -> dict[str, Any]:
    if isinstance(node, dict):
        return node
    if isinstance(node, str) and node.startswith(("https://", "http://")):
        got = fetch_json(node, what=what)
        if got.ok and isinstance(got.data, dict):
            return got.data
        outcome.add("structure", got.ok, got.message)
    return {}


def _check_structure(
    assertion: dict[str, Any], badge: dict[str, Any], issuer: dict[str, Any], outcome: Outcome
) -> None:
    missing = [
        label
        for label, present in (
            (_("who earned it (recipient)"), bool(assertion.get("recipient"))),
            (_("issue date"), parse_time(assertion.get("issuedOn")) is not None),
            (_("badge name"), bool(badge.get("name"))),
            (_("criteria"), bool(badge.get("criteria"))),
            (_("issuer name"), bool(issuer.get("name"))),
        )
        if not present
    ]
    if missing or ("BadgeClass" not in types_of(badge) and badge):
        outcome.add(
            "structure",
            False,
            _("The badge is incomplete: it lacks %(fields)s.")
            % {"fields": ", ".join(missing) or _("a BadgeClass type")},
        )
    elif badge and issuer:
        outcome.add("structure", True, _("Has everything an Open Badge 2.0 needs."))


def _check_hosted_origin(
    assertion: dict[str, Any], issuer: dict[str, Any], outcome: Outcome
) -> None:
    assertion_url = id_of(assertion)
    issuer_id = id_of(issuer)
    if not issuer_id:
        return
    verification = (
        issuer.get("verification") if isinstance(issuer.get("verification"), dict) else {}
    )
    allowed = [str(o).lower() for o in as_list((verification or {}).get("allowedOrigins"))]
    starts = [str(s) for s in as_list((verification or {}).get("startsWith"))]
    host = (urlsplit(assertion_url).hostname or "").lower()
    ok = host in allowed if allowed else host == (urlsplit(issuer_id).hostname or "").lower()
    if ok and starts:
        ok = any(assertion_url.startswith(s) for s in starts)
    if ok:
        outcome.add(
            "issuer", True, _("Hosted on the issuer's own site (%(host)s).") % {"host": host}
        )
        if assertion_url.startswith("https://"):
            outcome.identified_by_domain(
                host, _("The issuer's own site, %(host)s, hosts this badge.") % {"host": host}
            )
    else:
        outcome.add(
            "issuer",
            False,
            _("Hosted at %(host)s, which the issuer %(issuer)s does not list as its own.")
            % {"host": host, "issuer": issuer.get("name") or issuer_id},
        )


def _check_signature(
    jws: str, assertion: dict[str, Any], issuer: dict[str, Any], outcome: Outcome
) -> None:
    verification = (
        assertion.get("verification") if isinstance(assertion.get("verification"), dict) else {}
    )
    key_url = str((verification or {}).get("creator") or "")
    listed = {id_of(k) for k in as_list(issuer.get("publicKey"))}
    if not key_url or (listed and key_url not in listed):
        outcome.add("issuer", False, _("The signing key is not one the issuer lists as its own."))
        return
    pem = _issuer_key_pem(key_url, issuer, outcome)
    if pem is None:
        return
    try:
        jose.verify_jws(jws, key=jose.public_key_from_pem(pem), algorithms=["RS256"])
    except jose.JoseError as error:
        outcome.add("signature", False, str(error))
        return
    outcome.key = KeyUsed(id=key_url, found_at=key_url)
    outcome.add("signature", True, _("The issuer's signature is valid."))


def _issuer_key_pem(key_url: str, issuer: dict[str, Any], outcome: Outcome) -> str | None:
    """The PEM of a signing key the issuer owns: a 2.0 CryptographicKey naming the issuer
    as owner, or (Open Badges 1.0) a bare PEM file on the issuer's own site."""
    got = fetch_text(key_url, what=_("the issuer's public key"))
    if got.ok is not True or not isinstance(got.data, str):
        outcome.add("signature", got.ok, got.message)
        return None
    text = got.data.strip()
    if text.startswith("-----BEGIN"):
        same_site = host_of(key_url).lower() == host_of(id_of(issuer) or key_url).lower()
        if not same_site:
            outcome.add("issuer", False, _("The signing key is not on the issuer's own site."))
            return None
        outcome.add("issuer", True, _("Signed with a key published on the issuer's own site."))
        if key_url.startswith("https://"):
            outcome.identified_by_domain(
                host_of(key_url),
                _("The signing key is published on the issuer's own site, %(host)s.")
                % {"host": host_of(key_url)},
            )
        return text
    try:
        key_doc = json.loads(text)
    except ValueError:
        outcome.add("signature", False, _("The issuer's public key could not be read."))
        return None
    if not isinstance(key_doc, dict) or id_of(key_doc.get("owner")) != id_of(issuer):
        outcome.add("issuer", False, _("The signing key belongs to someone other than the issuer."))
        return None
    outcome.add("issuer", True, _("Signed with a key the issuer lists as its own."))
    if key_url.startswith("https://"):
        outcome.identified_by_domain(
            host_of(key_url),
            _("The signing key is published on %(host)s and names the issuer as its owner.")
            % {"host": host_of(key_url)},
        )
    return str(key_doc.get("publicKeyPem") or "")


def _check_revocation(
    assertion: dict[str, Any], issuer: dict[str, Any], outcome: Outcome, *, signed: bool
) -> None:
    if outcome.revoked:
        return
    if assertion.get("revoked") is True:
        reason = str(assertion.get("revocationReason") or "")
        outcome.failed(
            "revocation",
            (_("The issuer has revoked this badge.") + " " + reason).strip(),
            leads_to=Status.REVOKED,
        )
        return
    list_url = id_of(issuer.get("revocationList"))
    if not signed or not list_url:
        outcome.add("revocation", True, _("Not revoked."))
        return
    got = fetch_json(list_url, what=_("the issuer's revocation list"))
    if not got.ok or not isinstance(got.data, dict):
        outcome.add("revocation", got.ok, got.message)
        return
    assertion_id = id_of(assertion)
    for entry in as_list(got.data.get("revokedAssertions")):
        if assertion_id and (
            entry == assertion_id
            or id_of(entry) == assertion_id
            or (isinstance(entry, dict) and entry.get("uid") == assertion.get("uid"))
        ):
            reason = str(entry.get("revocationReason") or "") if isinstance(entry, dict) else ""
            outcome.failed(
                "revocation",
                (_("The issuer has revoked this badge.") + " " + reason).strip(),
                leads_to=Status.REVOKED,
            )
            return
    outcome.add("revocation", True, _("Not on the issuer's revocation list."))


def check_dates(
    issued: datetime | None, expires: datetime | None, now: datetime, outcome: Outcome
) -> None:
    if issued is None:
        outcome.add("dates", False, _("The badge has no valid issue date."))
    elif issued > now:
        outcome.add(
            "dates",
            False,
            _("The badge says it was issued in the future (%(date)s).")
            % {"date": issued.date().isoformat()},
        )
    elif expires is not None and expires <= now:
        outcome.failed(
            "dates",
            _("Expired on %(date)s.") % {"date": expires.date().isoformat()},
            leads_to=Status.EXPIRED,
        )
    else:
        outcome.add("dates", True, _("Issued on %(date)s.") % {"date": issued.date().isoformat()})
