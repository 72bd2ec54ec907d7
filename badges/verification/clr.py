"""Comprehensive Learner Record 2.0: a ClrCredential, signed by its registrar, holding
the learner's credentials.

CLR 2.0 "ClrCredential Verification" checks the ClrCredential itself as OB 3.0 checks a
badge (it conforms, its proof holds, its status, its dates) and then each credential it
contains on its own. So the CLR's own proof, as JSON with a Data Integrity proof or as a
VC-JWT, must verify with a key its issuer controls (the same rules as for a badge) before
any credential inside it is imported: a broken outer proof refuses the whole record.
"""

import json
import re
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from badges import jose
from badges.outcome import BadgeRejected, Outcome
from badges.parsing import as_list, ob3_facts, types_of
from badges.verification.ob2 import check_dates, unreadable_dates
from badges.verification.ob3 import VC_DATES, check_structure, record_signature
from badges.verification.schema import check_schema
from badges.verification.signatures import (
    check_embedded_proof,
    check_vc_jwt,
    issuer_id_of,
    token_issuer_id,
)
from badges.verification.status import check_status

CLR_CONTEXT_PREFIX = "https://purl.imsglobal.org/spec/clr/v2p0/context"
_COMPACT_JWS = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$")


def clr_in_payload(payload: str) -> tuple[dict[str, Any], str] | None:
    """A ClrCredential pasted as JSON or as a VC-JWT: (the credential, the token or "").
    None when the payload is not a CLR (not verified yet: only for telling it apart)."""
    text = payload.strip()
    document: Any = None
    token = ""
    if text.startswith("{"):
        try:
            document = json.loads(text)
        except (ValueError, RecursionError):
            return None
    elif _COMPACT_JWS.match(text):
        try:
            claims = jose.jws_payload_unverified(text)
        except jose.JoseError:
            return None
        document = claims.get("vc") if isinstance(claims.get("vc"), dict) else claims
        token = text
    if isinstance(document, dict) and "ClrCredential" in types_of(document):
        return document, token
    return None


def clr_verified_credentials(
    *, document: dict[str, Any], token: str, now: datetime
) -> list[tuple[str, str]]:
    """The credentials a CLR holds, as (name, payload), once the CLR itself is sound.
    Raises BadgeRejected (plain words) when its proof, shape, status or dates refuse it."""
    outcome = Outcome(version="3.0", document=document)
    if token:
        signed = check_vc_jwt(token, issuer_id=token_issuer_id(document, token))
        if signed.ok and signed.credential is not None:
            document = signed.credential
    else:
        signed = check_embedded_proof(document, issuer_id=issuer_id_of(document))
    facts = ob3_facts(document)
    check_structure(
        document,
        facts,
        outcome,
        kinds=frozenset({"ClrCredential"}),
        context_prefix=CLR_CONTEXT_PREFIX,
    )
    check_schema(document, outcome)
    record_signature(signed, outcome)
    if signed.ok is None:
        raise BadgeRejected(
            _("We could not check the learner record's signature now: %(why)s Try again later.")
            % {"why": signed.message},
            unreachable=True,
        )
    check_status(document, now=now, outcome=outcome)
    check_dates(
        facts.issued_at, facts.expires_at, now, outcome,
        unreadable=unreadable_dates(document, *VC_DATES),
    )  # fmt: skip
    if outcome.revoked:
        raise BadgeRejected(_("This learner record (CLR) has been revoked by its issuer."))
    if outcome.failures:
        raise BadgeRejected(
            _("This learner record (CLR) was not imported, because it failed its checks: %(why)s")
            % {"why": " ".join(dict.fromkeys(c.text for c in outcome.failures))}
        )
    subject = document.get("credentialSubject")
    inner = subject.get("verifiableCredential") if isinstance(subject, dict) else None
    return [held for held in map(_held, as_list(inner)) if held is not None]


def _held(item: Any) -> tuple[str, str] | None:
    """(name, payload to import) of one credential a CLR holds: a JSON object, or a
    VC-JWT string (each is then checked on its own, like any badge)."""
    if isinstance(item, dict):
        return str(item.get("name") or _("a credential")), json.dumps(item)
    if isinstance(item, str) and _COMPACT_JWS.match(item.strip()):
        try:
            claims = jose.jws_payload_unverified(item)
        except jose.JoseError:
            return None
        vc: dict[str, Any] = claims["vc"] if isinstance(claims.get("vc"), dict) else claims
        return str(vc.get("name") or _("a credential")), item.strip()
    return None
