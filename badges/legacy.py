"""Open Badges 0.5, 1.0 and 1.1, upgraded to the 2.0 model so the 2.0 checks can read them.

Pure functions: nothing is fetched here. A 1.x assertion links its badge class, and the
badge class links its issuer; the caller fetches both (`legacy_links`, then the badge
class's `issuer`) and passes them to `upgrade_assertion`. A 0.5 assertion embeds both.

The upgrade states only what the legacy badge stated, in 2.0 terms; fields the 2.0 model
does not know are left out. Inputs are never changed."""

import copy
import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from django.utils.translation import gettext as _

from badges.parsing import (
    OB2_CONTEXTS,
    OB3_TYPES,
    VC_CONTEXTS,
    as_list,
    contexts_of,
    id_of,
    parse_time,
    types_of,
)

OB1_CONTEXTS = {
    "https://w3id.org/openbadges/v1",
    "http://w3id.org/openbadges/v1",
    "https://openbadgespec.org/v1/context.json",
}
OB2_CONTEXT = "https://w3id.org/openbadges/v2"
_HASHED_IDENTITY = re.compile(r"^(sha1|sha256|sha512|md5)\$[0-9a-f]+$", re.IGNORECASE)
_UNIX_TIME = re.compile(r"^\d{10}$")  # the 1.0 schemas' "10-digit UNIX timestamp"
_ALIGNMENT_TERMS = (
    ("targetName", "name"),
    ("targetUrl", "url"),
    ("targetDescription", "description"),
    ("targetFramework", None),
    ("targetCode", None),
)


class LegacyBadgeError(ValueError):
    """The legacy badge lacks something the upgrade needs; the message says what."""


def legacy_version(document: dict[str, Any]) -> str | None:
    """'0.5', '1.0' or '1.1' for the legacy assertion shapes (and '1.1' for any document
    in the 1.1 context), None for anything else, including Open Badges 2.0 and 3.0."""
    if not isinstance(document, dict):
        return None
    contexts = set(contexts_of(document))
    if contexts & (OB2_CONTEXTS | VC_CONTEXTS) or types_of(document) & OB3_TYPES:
        return None
    if contexts & OB1_CONTEXTS:
        return "1.1"
    if "@context" in document:
        return None
    badge = document.get("badge")
    if isinstance(badge, dict) and (
        "issued_on" in document
        or isinstance(document.get("recipient"), str)
        or str(badge.get("version") or "").startswith("0.5")
        or (isinstance(badge.get("issuer"), dict) and "origin" in badge["issuer"])
    ):
        return "0.5"
    if any(key in document for key in ("uid", "verify", "issuedOn")) or (
        "recipient" in document and isinstance(badge, str)
    ):
        return "1.0"
    return None


def legacy_links(document: dict[str, Any]) -> tuple[str, str]:
    """(badge class URL, issuer URL) still to fetch for a 1.x assertion. The issuer URL is
    '' until the badge class is fetched: it is that document's `issuer`. ('', '') for 0.5,
    which embeds both, and for anything that is not a legacy assertion."""
    if legacy_version(document) not in ("1.0", "1.1"):
        return "", ""
    badge = document.get("badge")
    if isinstance(badge, str):
        return (badge if _is_web_url(badge) else ""), ""
    if isinstance(badge, dict):  # some exports embed the badge class
        issuer = badge.get("issuer")
        return "", (issuer if isinstance(issuer, str) and _is_web_url(issuer) else "")
    return "", ""


def upgrade_assertion(
    document: dict[str, Any],
    *,
    badge_class: dict[str, Any] | None = None,
    issuer: dict[str, Any] | None = None,
    hosted_url: str = "",
) -> dict[str, Any]:
    """An Open Badges 2.0 assertion with its badge class and issuer embedded, from a
    legacy one. For 1.x pass the fetched `badge_class` and `issuer` documents (1.x or
    2.0 shape). `hosted_url` is where the assertion was fetched from: the only id a 0.5
    assertion can have, and a 1.x hosted one's when it states none. Raises
    LegacyBadgeError when the badge lacks what the upgrade needs."""
    version = legacy_version(document)
    if version is None:
        raise LegacyBadgeError(_("This is not an Open Badges 0.5, 1.0 or 1.1 badge."))
    document = copy.deepcopy(document)
    badge_class = copy.deepcopy(badge_class)
    issuer = copy.deepcopy(issuer)
    if version == "0.5":
        return _upgrade_0_5(document, hosted_url=hosted_url)
    return _upgrade_1_x(
        document, version, badge_class=badge_class, issuer=issuer, hosted_url=hosted_url
    )


def _upgrade_1_x(
    document: dict[str, Any],
    version: str,
    *,
    badge_class: dict[str, Any] | None,
    issuer: dict[str, Any] | None,
    hosted_url: str,
) -> dict[str, Any]:
    recipient = _recipient(document, version)
    if document.get("issuedOn") in (None, ""):
        raise LegacyBadgeError(
            _("This Open Badges %(version)s badge has no issue date.") % {"version": version}
        )
    linked = document.get("badge")
    if badge_class is None and isinstance(linked, dict):
        badge_class = linked
    if not linked:
        raise LegacyBadgeError(
            _("This Open Badges %(version)s badge does not say which badge it is.")
            % {"version": version}
        )
    if not isinstance(badge_class, dict):
        raise LegacyBadgeError(
            _("The badge class of this Open Badges %(version)s badge is needed: fetch %(url)s.")
            % {"version": version, "url": id_of(linked)}
        )
    issuer_link = badge_class.get("issuer")
    if issuer is None and isinstance(issuer_link, dict):
        issuer = issuer_link
    if not issuer_link:
        raise LegacyBadgeError(
            _("This Open Badges %(version)s badge does not say who issued it.")
            % {"version": version}
        )
    if not isinstance(issuer, dict):
        raise LegacyBadgeError(
            _("The issuer of this Open Badges %(version)s badge is needed: fetch %(url)s.")
            % {"version": version, "url": id_of(issuer_link)}
        )

    verify = document.get("verify") or document.get("verification")
    verify = verify if isinstance(verify, dict) else {}
    method = str(verify.get("type") or "").lower()
    upgraded: dict[str, Any] = {"@context": OB2_CONTEXT, "type": "Assertion"}
    if method in ("hosted", "hostedbadge"):
        assertion_id = str(verify.get("url") or "") or id_of(document) or hosted_url
        verification: dict[str, Any] = {"type": "hosted"}
    elif method in ("signed", "signedbadge"):
        assertion_id = id_of(document)
        verification = {"type": "signed"}
        if verify.get("url"):
            verification["creator"] = str(verify["url"])
    else:
        raise LegacyBadgeError(
            _("This Open Badges %(version)s badge does not say how to check it (verify).")
            % {"version": version}
        )
    if assertion_id:
        upgraded["id"] = assertion_id
    if document.get("uid") not in (None, ""):
        upgraded["uid"] = str(document["uid"])  # revocation lists may name it
    upgraded["recipient"] = recipient
    upgraded["badge"] = _badge_class(badge_class, id_of(linked), _issuer(issuer, issuer_link))
    upgraded["verification"] = verification
    upgraded.update(_dates(document, "issuedOn", version))
    for key in ("image", "evidence"):
        if document.get(key):
            upgraded[key] = document[key]
    return upgraded


def _badge_class(document: dict[str, Any], url: str, issuer: dict[str, Any]) -> dict[str, Any]:
    badge: dict[str, Any] = {"type": "BadgeClass"}
    badge_id = id_of(document) or url
    if badge_id:
        badge["id"] = badge_id
    for key in ("name", "description", "image", "criteria"):
        if document.get(key):
            badge[key] = document[key]
    badge["issuer"] = issuer
    alignments = [_alignment(a) for a in as_list(document.get("alignment")) if isinstance(a, dict)]
    if alignments:
        badge["alignment"] = alignments
    tags = [t for t in as_list(document.get("tags")) if isinstance(t, str) and t]
    if tags:
        badge["tags"] = tags
    return badge


def _alignment(node: dict[str, Any]) -> dict[str, Any]:
    aligned: dict[str, Any] = {}
    for term, legacy_term in _ALIGNMENT_TERMS:
        value = node.get(term) or (node.get(legacy_term) if legacy_term else None)
        if value:
            aligned[term] = value
    return aligned


def _issuer(document: dict[str, Any], url: Any) -> dict[str, Any]:
    issuer: dict[str, Any] = {"type": "Issuer"}
    issuer_id = id_of(document) or id_of(url)
    if issuer_id:
        issuer["id"] = issuer_id
    for key in ("name", "url", "description", "image", "email", "revocationList"):
        if document.get(key):
            issuer[key] = document[key]
    return issuer


def _upgrade_0_5(document: dict[str, Any], *, hosted_url: str) -> dict[str, Any]:
    recipient = _recipient(document, "0.5")
    badge = document.get("badge")
    if not isinstance(badge, dict):
        raise LegacyBadgeError(_("This Open Badges 0.5 badge does not say which badge it is."))
    stated_issuer = badge.get("issuer")
    origin = str(stated_issuer.get("origin") or "") if isinstance(stated_issuer, dict) else ""
    if not isinstance(stated_issuer, dict) or not origin:
        raise LegacyBadgeError(_("This Open Badges 0.5 badge does not say who issued it."))
    if not _is_web_url(origin):
        raise LegacyBadgeError(
            _("This Open Badges 0.5 badge's issuer origin is not a web address: %(origin)s.")
            % {"origin": origin}
        )

    issuer: dict[str, Any] = {"type": "Issuer", "id": origin, "url": origin}
    name, org = stated_issuer.get("name"), stated_issuer.get("org")
    if name:
        issuer["name"] = f"{name}: {org}" if org else name
    if stated_issuer.get("contact"):
        issuer["email"] = stated_issuer["contact"]

    badge_class: dict[str, Any] = {"type": "BadgeClass"}
    for key in ("name", "description", "image", "criteria"):
        value = badge.get(key)
        if value and isinstance(value, str) and key in ("image", "criteria"):
            value = urljoin(origin, value)  # 0.5 allowed these relative to the issuer's origin
        if value:
            badge_class[key] = value
    badge_class["issuer"] = issuer

    upgraded: dict[str, Any] = {"@context": OB2_CONTEXT, "type": "Assertion"}
    if hosted_url:
        upgraded["id"] = hosted_url
    upgraded["recipient"] = recipient
    upgraded["badge"] = badge_class
    upgraded["verification"] = {"type": "hosted"}
    upgraded.update(_dates(document, "issued_on", "0.5"))
    if document.get("evidence") and isinstance(document["evidence"], str):
        upgraded["evidence"] = urljoin(origin, document["evidence"])
    return upgraded


def _recipient(document: dict[str, Any], version: str) -> dict[str, Any]:
    """The 2.0 identity object. A plain string (0.5, some 1.0 exports) is hashed when it
    has the 'algorithm$hex' form, its salt then the top-level `salt`."""
    stated = document.get("recipient")
    if isinstance(stated, str) and stated.strip():
        identity = stated.strip()
        hashed = bool(_HASHED_IDENTITY.match(identity))
        recipient: dict[str, Any] = {"type": "email", "hashed": hashed, "identity": identity}
        if hashed and isinstance(document.get("salt"), str):
            recipient["salt"] = document["salt"]
        return recipient
    if isinstance(stated, dict) and isinstance(stated.get("identity"), str):
        identity = stated["identity"].strip()
        if identity:
            stated_hashed = stated.get("hashed")
            # required in 1.x; when an export drops it, the identity's form tells
            hashed = (
                stated_hashed
                if isinstance(stated_hashed, bool)
                else bool(_HASHED_IDENTITY.match(identity))
            )
            recipient = {
                "type": str(stated.get("type") or "email"),  # 1.x knew no other type
                "hashed": hashed,
                "identity": identity,
            }
            if isinstance(stated.get("salt"), str):
                recipient["salt"] = stated["salt"]
            return recipient
    raise LegacyBadgeError(
        _("This Open Badges %(version)s badge has no recipient.") % {"version": version}
    )


def _dates(document: dict[str, Any], issued_key: str, version: str) -> dict[str, str]:
    dates = {}
    for key, upgraded_key in ((issued_key, "issuedOn"), ("expires", "expires")):
        value = document.get(key)
        if value in (None, ""):
            continue
        when = _as_utc(value)
        if when is None:
            raise LegacyBadgeError(
                _("This Open Badges %(version)s badge's %(field)s is not a date: %(value)s.")
                % {"version": version, "field": key, "value": value}
            )
        dates[upgraded_key] = when.isoformat().replace("+00:00", "Z")
    return dates


def _as_utc(value: Any) -> datetime | None:
    """An ISO 8601 date or date-time (a zoneless one read as UTC), or a UNIX timestamp
    as a number or a string of digits, in UTC."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and _UNIX_TIME.match(value.strip()):
        value = int(value.strip())
    if isinstance(value, int | float):
        if value < 0:
            return None
        try:
            return datetime.fromtimestamp(value, UTC)
        except (OverflowError, OSError, ValueError):
            return None
    parsed = parse_time(value)
    return parsed.astimezone(UTC) if parsed is not None else None


def _is_web_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.hostname)
