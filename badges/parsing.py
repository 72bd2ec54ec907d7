"""Reading what a badge states, whatever its version, into one shape for pages and lists.

The original document is kept unchanged on the Badge; these are derived facts."""

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from badges.outcome import BadgeRejected

OB2_CONTEXTS = {"https://w3id.org/openbadges/v2", "https://openbadgespec.org/v2/context.json"}
OB3_TYPES = {"OpenBadgeCredential", "AchievementCredential"}
VC_CONTEXTS = {"https://www.w3.org/ns/credentials/v2", "https://www.w3.org/2018/credentials/v1"}


@dataclass
class Facts:
    name: str
    description: str = ""
    assertion_id: str = ""
    achievement_id: str = ""
    issuer_id: str = ""
    issuer_name: str = ""
    issuer_url: str = ""
    issuer_email: str = ""
    issued_at: datetime | None = None
    expires_at: datetime | None = None
    image: str = ""  # URL or data: URI the issuer gives
    details: dict[str, Any] = field(default_factory=dict)


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def types_of(node: Any) -> set[str]:
    if not isinstance(node, dict):
        return set()
    return {str(t) for t in as_list(node.get("type") or node.get("@type"))}


def contexts_of(document: dict[str, Any]) -> list[str]:
    return [c for c in as_list(document.get("@context")) if isinstance(c, str)]


def id_of(node: Any) -> str:
    if isinstance(node, str):
        return node
    if isinstance(node, dict):
        return str(node.get("id") or node.get("@id") or "")
    return ""


def parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = parse_datetime(value.strip())
    except ValueError:
        return None
    if parsed is None:
        return None
    if parsed.tzinfo is None:  # OB2 allows dates without a zone: read them as UTC
        from datetime import UTC

        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def version_of(document: dict[str, Any]) -> str:
    """'3.0', '2.0', or raise BadgeRejected for anything that is not an Open Badge."""
    contexts = set(contexts_of(document))
    types = types_of(document)
    if contexts & VC_CONTEXTS and types & OB3_TYPES:
        return "3.0"
    if contexts & OB2_CONTEXTS and "Assertion" in types:
        return "2.0"
    raise BadgeRejected(
        _(
            "This is not a valid Open Badge: it does not name the Open Badges 2.0 or 3.0 "
            "context and type. Ask your issuer for the badge's JSON or a baked image."
        )
    )


def clr_credentials(document: dict[str, Any]) -> list[dict[str, Any]] | None:
    """The credentials a CLR 2.0 ClrCredential contains, or None if it is not one."""
    if "ClrCredential" not in types_of(document):
        return None
    subject = document.get("credentialSubject")
    inner = subject.get("verifiableCredential") if isinstance(subject, dict) else None
    return [c for c in as_list(inner) if isinstance(c, dict)]


def fingerprint(document: dict[str, Any], payload: str) -> str:
    """Recognises the same badge imported twice: its assertion or credential id when it
    has one, the payload's bytes otherwise."""
    key = id_of(document) or payload
    return hashlib.sha256(key.encode()).hexdigest()


def ob2_facts(assertion: dict[str, Any], badge: dict[str, Any], issuer: dict[str, Any]) -> Facts:
    criteria = badge.get("criteria")
    return Facts(
        name=str(badge.get("name") or ""),
        description=str(badge.get("description") or ""),
        assertion_id=id_of(assertion),
        achievement_id=id_of(badge) or id_of(assertion.get("badge")),
        issuer_id=id_of(issuer),
        issuer_name=str(issuer.get("name") or ""),
        issuer_url=str(issuer.get("url") or id_of(issuer)),
        issuer_email=str(issuer.get("email") or ""),
        issued_at=parse_time(assertion.get("issuedOn")),
        expires_at=parse_time(assertion.get("expires")),
        image=id_of(assertion.get("image")) or id_of(badge.get("image")),
        details={
            "criteria": _criteria(criteria),
            "alignments": [_alignment(a) for a in as_list(badge.get("alignment"))],
            "evidence": [_evidence(e) for e in as_list(assertion.get("evidence"))],
            "tags": [str(t) for t in as_list(badge.get("tags"))],
            "narrative": str(assertion.get("narrative") or ""),
        },
    )


def ob3_facts(credential: dict[str, Any]) -> Facts:
    subject = credential.get("credentialSubject") or {}
    subject = subject[0] if isinstance(subject, list) and subject else subject
    achievement = subject.get("achievement") if isinstance(subject, dict) else {}
    achievement = achievement if isinstance(achievement, dict) else {}
    issuer = credential.get("issuer")
    issuer = issuer if isinstance(issuer, dict) else {"id": issuer}
    credit = {
        key: achievement[key]
        for key in (
            "creditsAvailable",
            "fieldOfStudy",
            "humanCode",
            "achievementType",
            "specialization",
            "version",
            "inLanguage",
        )
        if key in achievement
    }
    return Facts(
        name=str(achievement.get("name") or credential.get("name") or ""),
        description=str(achievement.get("description") or credential.get("description") or ""),
        assertion_id=id_of(credential),
        achievement_id=id_of(achievement),
        issuer_id=id_of(issuer),
        issuer_name=str(issuer.get("name") or ""),
        issuer_url=str(issuer.get("url") or id_of(issuer)),
        issuer_email=str(issuer.get("email") or ""),
        issued_at=parse_time(credential.get("validFrom") or credential.get("issuanceDate")),
        expires_at=parse_time(credential.get("validUntil") or credential.get("expirationDate")),
        image=id_of(achievement.get("image")) or id_of(credential.get("image")),
        details={
            "criteria": _criteria(achievement.get("criteria")),
            "alignments": [_alignment(a) for a in as_list(achievement.get("alignment"))],
            "evidence": [_evidence(e) for e in as_list(credential.get("evidence"))],
            "tags": [str(t) for t in as_list(achievement.get("tag"))],
            "credit": credit,
            "results": [_result(r) for r in as_list(subject.get("result"))]
            if isinstance(subject, dict)
            else [],
        },
    )


def _criteria(criteria: Any) -> dict[str, str]:
    if isinstance(criteria, str):
        return {"url": criteria, "narrative": ""}
    if isinstance(criteria, dict):
        return {"url": id_of(criteria), "narrative": str(criteria.get("narrative") or "")}
    return {"url": "", "narrative": ""}


def _alignment(node: Any) -> dict[str, str]:
    node = node if isinstance(node, dict) else {}
    keys = ("targetName", "targetUrl", "targetDescription", "targetFramework", "targetCode")
    return {key: str(node.get(key) or "") for key in keys}


def _evidence(node: Any) -> dict[str, str]:
    if isinstance(node, str):
        return {"url": node, "name": "", "narrative": ""}
    node = node if isinstance(node, dict) else {}
    return {
        "url": id_of(node),
        "name": str(node.get("name") or ""),
        "narrative": str(node.get("narrative") or node.get("description") or ""),
    }


def _result(node: Any) -> dict[str, str]:
    node = node if isinstance(node, dict) else {}
    return {"value": str(node.get("value") or ""), "status": str(node.get("status") or "")}


def loads_object(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        raise BadgeRejected(
            _("This is not valid JSON. Copy the badge's whole JSON, from { to }, and try again.")
        ) from None
    if not isinstance(value, dict):
        raise BadgeRejected(_("This JSON is not a badge: a badge is a JSON object, { … }."))
    return value
