"""The verification report of a badge: every check, the key and where it was found, each
URL fetched and its answer, the issuer's identity and the registry that listed it.

Stored with each check (Badge.report, Verification.report) as facts, not sentences about
dates, and offered as JSON to the learner and to anyone holding a share link to the badge.
"""

import json
from datetime import datetime
from typing import Any

from django.http import HttpResponse
from django.utils.text import slugify

from badges.models import Badge, Identity, Status
from badges.outcome import Outcome

REPORT_FORMAT = "learner-portfolio/badge-verification-report/1"


def report_for(outcome: Outcome, *, checked_at: datetime) -> dict[str, Any]:
    return {
        "format": REPORT_FORMAT,
        "checked_at": checked_at.isoformat(),
        "status": outcome.status,
        "status_label": str(Status(outcome.status).label),
        "open_badges_version": outcome.version,
        "checks": [c.as_dict() for c in outcome.checks],
        "issuer": {
            "id": outcome.issuer_id,
            "identity": outcome.identity,
            "identity_label": str(Identity(outcome.identity).label),
            "domain": outcome.identity_domain,
            "explanation": outcome.identity_note,
            "registry": outcome.registry.as_dict() if outcome.registry else None,
        },
        "key": outcome.key.as_dict() if outcome.key else None,
        "fetched": list(outcome.fetches),
    }


def report_document(badge: Badge) -> dict[str, Any]:
    """The downloadable report: what the badge states (as the issuer stated it) and the
    last verification of it. Nothing the learner keeps private (their note) is in it."""
    return {
        "badge": {
            "name": badge.name,
            "open_badges_version": badge.spec_version,
            "assertion_id": badge.assertion_id,
            "achievement_id": badge.achievement_id,
            "issuer_name_as_stated": badge.issuer_name,
            "issuer_id": badge.issuer_url,
            "issued_at": badge.issued_at.isoformat() if badge.issued_at else None,
            "expires_at": badge.expires_at.isoformat() if badge.expires_at else None,
            "earner": badge.owner.display_name,
        },
        "verification": badge.report
        or {
            "format": REPORT_FORMAT,
            "checked_at": badge.last_checked_at.isoformat(),
            "status": badge.status,
            "checks": badge.checks,
        },
    }


def report_response(badge: Badge) -> HttpResponse:
    """The report as a JSON download."""
    body = json.dumps(report_document(badge), indent=2, ensure_ascii=False)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    name = slugify(badge.name)[:60] or "badge"
    response["Content-Disposition"] = f'attachment; filename="{name}-verification-report.json"'
    return response
