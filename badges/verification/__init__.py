"""Checking a badge, whatever form it arrives in: JSON, a compact JWS/JWT, or a URL.

`check_payload` is the single entry point for import and for re-verification."""

import re
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from badges import jose
from badges.legacy import legacy_version
from badges.outcome import BadgeRejected, Check, Outcome
from badges.parsing import Facts, loads_object, types_of, version_of
from badges.verification.fetching import Fetched, fetch_json, unreachable
from badges.verification.legacy import upgrade_if_legacy
from badges.verification.ob2 import revoked_by_issuer, verify_ob2
from badges.verification.ob3 import verify_ob3

__all__ = ["BadgeRejected", "Check", "Outcome", "check_payload", "payload_kind"]

_COMPACT_JWS = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$")


def payload_kind(payload: str) -> str:
    """'json', 'jws' or 'url', or raise BadgeRejected."""
    text = payload.strip()
    if text.startswith("{"):
        return "json"
    if _COMPACT_JWS.match(text):
        return "jws"
    if text.startswith(("https://", "http://")) and not any(c.isspace() for c in text):
        return "url"
    raise BadgeRejected(
        _(
            "We could not read this as a badge. Paste the badge's JSON (starting with {), "
            "its signed token, or the web address of a hosted badge."
        )
    )


def check_payload(payload: str, *, emails: list[str], now: datetime) -> tuple[Outcome, Facts]:
    """Check a badge and return what was found. Raises BadgeRejected when it cannot even be
    read as an Open Badge; every other problem is a failed check in the Outcome."""
    text = payload.strip()
    kind = payload_kind(text)
    if kind == "jws":
        return _check_token(text, emails=emails, now=now)
    got = Fetched()
    if kind == "url":
        got = fetch_json(text, what=_("the badge"))
        if got.ok is None:
            raise unreachable(got)
        if got.response is not None and got.response.status == 410:
            raise revoked_by_issuer(_body(got))
        if not got.ok or not isinstance(got.data, dict):
            raise BadgeRejected(got.message or _("The address does not answer with a badge."))
        if got.data.get("revoked") is True:
            raise revoked_by_issuer(got.data)
        document = got.data
    else:
        document = loads_object(text)
    legacy = legacy_version(document) is not None
    document = upgrade_if_legacy(document, hosted_url=text if kind == "url" else "")
    version = version_of(document)
    if version == "3.0":
        return verify_ob3(credential=document, emails=emails, now=now)
    verification = document.get("verification")
    kind_of_check = verification.get("type") if isinstance(verification, dict) else "hosted"
    if str(kind_of_check).lower() in ("signed", "signedbadge"):
        raise BadgeRejected(
            _(
                "This badge is signed, and its signature travels with the signed token, not "
                "the JSON. Upload the baked badge image or paste the signed token instead."
            )
        )
    fetched_from = got.response.url if kind == "url" and got.response is not None else ""
    return verify_ob2(
        assertion=document, emails=emails, now=now, fetched_from=fetched_from, legacy=legacy
    )


def _body(got: Fetched) -> Any:
    try:
        return got.response.json() if got.response is not None else None
    except ValueError:
        return None


def _check_token(token: str, *, emails: list[str], now: datetime) -> tuple[Outcome, Facts]:
    try:
        payload = jose.jws_payload_unverified(token)
    except jose.JoseError as error:
        raise BadgeRejected(str(error)) from None
    legacy = legacy_version(payload) is not None
    payload = upgrade_if_legacy(payload)
    credential: Any = payload.get("vc") if isinstance(payload.get("vc"), dict) else payload
    if "VerifiableCredential" in types_of(credential):
        version_of(credential)  # an OB 3.0 credential, or rejected
        return verify_ob3(credential=credential, jwt=token, emails=emails, now=now)
    version_of(payload)
    return verify_ob2(assertion=payload, jws=token, emails=emails, now=now, legacy=legacy)
