"""Open Badges 0.5 and 1.x: fetch what an old badge links to, then upgrade it to 2.0 so
the 2.0 checks read it."""

from typing import Any

from badges.legacy import LegacyBadgeError, legacy_links, legacy_version, upgrade_assertion
from badges.outcome import BadgeRejected
from badges.verification.fetching import fetch_json, unreachable


def upgrade_if_legacy(document: dict[str, Any], *, hosted_url: str = "") -> dict[str, Any]:
    """The document itself when it is not a legacy badge; otherwise its 2.0 form, with
    the badge class and issuer it links to fetched and embedded."""
    if legacy_version(document) is None:
        return document
    badge_url, issuer_url = legacy_links(document)
    badge_class = _fetch(badge_url) if badge_url else None
    if badge_class is not None and not issuer_url:
        issuer_url = str(badge_class.get("issuer") or "")
        issuer_url = issuer_url if issuer_url.startswith(("https://", "http://")) else ""
    issuer = _fetch(issuer_url) if issuer_url else None
    try:
        return upgrade_assertion(
            document, badge_class=badge_class, issuer=issuer, hosted_url=hosted_url
        )
    except LegacyBadgeError as error:
        raise BadgeRejected(str(error)) from None


def _fetch(url: str) -> dict[str, Any] | None:
    got = fetch_json(url, what=url)
    if got.ok is None:
        raise unreachable(got)
    return got.data if got.ok and isinstance(got.data, dict) else None
