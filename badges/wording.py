"""Stored check results in words for a reader: the facts a message refers to (dates) are
stored as ISO 8601 and written here in the reader's own locale and time zone."""

from datetime import datetime
from typing import Any

from django.utils import formats, timezone


def check_message(check: dict[str, Any]) -> str:
    """A stored check's message with the dates it refers to written in the reader's own
    locale and time zone (stored as ISO 8601, formatted only here)."""
    template_text, params = check.get("template"), check.get("params")
    if not template_text or not isinstance(params, dict):
        return str(check.get("message", ""))
    return str(template_text) % {name: _local_date(str(value)) for name, value in params.items()}


def checks_reason(checks: list[dict[str, Any]]) -> str:
    """Why a badge is not verified, from its stored checks: every failure, else what
    could not be checked; "" when nothing failed."""
    failed = [c for c in checks if c.get("result") == "failed"]
    chosen = failed or [c for c in checks if c.get("result") == "not_checked"]
    return " ".join(dict.fromkeys(check_message(c) for c in chosen))


def _local_date(value: str) -> str:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return formats.date_format(moment, "DATE_FORMAT")
