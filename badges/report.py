"""The verification report of a badge: every check, the key and where it was found, each
URL fetched and its answer, the issuer's identity and the registry that listed it.

Stored with each check (Badge.report, Verification.report) as facts, not sentences about
dates, and offered as JSON to the learner and to anyone holding a share link to the badge.
"""

from datetime import datetime
from typing import Any

from badges.models import Identity, Status
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
