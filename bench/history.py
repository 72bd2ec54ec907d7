"""Figures from the previous `make bench` on this machine, to print beside this run's.

Kept in var/bench-history.json (ignored by git): {key: {"value": float, "at": iso}}."""

import json
from datetime import UTC, datetime
from pathlib import Path

HISTORY = Path(__file__).resolve().parent.parent / "var" / "bench-history.json"


def _load() -> dict[str, dict[str, object]]:
    try:
        data = json.loads(HISTORY.read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def beside_previous(key: str, value: float, unit: str) -> str:
    """'previous run: 12.3 badges/s (2026-12-07)', or 'no previous run'; then remember
    `value` as the figure for the next run."""
    data = _load()
    before = data.get(key)
    if isinstance(before, dict) and isinstance(before.get("value"), int | float):
        when = str(before.get("at", ""))[:10]
        text = f"previous run: {before['value']:.1f} {unit} ({when})"
    else:
        text = "no previous run recorded"
    data[key] = {"value": round(value, 3), "at": datetime.now(UTC).isoformat()}
    HISTORY.parent.mkdir(parents=True, exist_ok=True)
    HISTORY.write_text(json.dumps(data, indent=2, sort_keys=True))
    return text
