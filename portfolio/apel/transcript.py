"""The micro-credential transcript (the EU Common Microcredential Framework's fields):
for each badge in a claim, what the credential states (issuer-stated) and what the
learner adds where it is silent (self-declared), with totals against the programme's
credit cap. The credential's own value always wins and is never overwritten."""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from badges.models import Badge
from portfolio.models import CredentialNote

ISSUER = "issuer-stated"
SELF = "self-declared"
EQF_FRAMEWORK = re.compile(r"\bEQF\b|European Qualifications? Framework", re.IGNORECASE)
NUMBER = r"(\d{1,9}(?:\.\d{1,9})?)"
ISO_HOURS = re.compile(rf"^P(?:{NUMBER}D)?(?:T(?:{NUMBER}H)?(?:{NUMBER}M)?)?$")
# A credential stating more hours or credits than this states nothing anyone means, and
# adding such numbers up overflows (a 500 on every page showing the claim): not stated.
STATED_MAX = Decimal(10) ** 9


@dataclass(frozen=True)
class Stated:
    """One transcript value and who states it (ISSUER or SELF); value None: unknown."""

    value: Any
    source: str = ""


NOT_STATED = Stated(None)


@dataclass(frozen=True)
class TranscriptLine:
    badge: Badge
    outcomes: Stated  # learning outcomes / criteria, as text
    study_hours: Stated
    eqf_level: Stated
    credits: Stated


@dataclass(frozen=True)
class Transcript:
    lines: list[TranscriptLine]
    credits_issuer: Decimal
    credits_self: Decimal
    hours: Decimal
    credits_sought: Decimal | None
    credit_cap: Decimal | None

    @property
    def credits_total(self) -> Decimal:
        return self.credits_issuer + self.credits_self

    @property
    def over_cap(self) -> bool:
        sought = self.credits_sought
        return self.credit_cap is not None and sought is not None and sought > self.credit_cap


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() and 0 <= number < STATED_MAX else None


def _achievement(badge: Badge) -> dict[str, Any]:
    document = badge.document if isinstance(badge.document, dict) else {}
    subject = document.get("credentialSubject")
    subject = subject[0] if isinstance(subject, list) and subject else subject
    found = subject.get("achievement") if isinstance(subject, dict) else None
    if isinstance(found, dict):
        return found
    badge_class = document.get("badge")  # OB 2.0 with the class embedded
    return badge_class if isinstance(badge_class, dict) else {}


def stated_credits(badge: Badge) -> Decimal | None:
    return _decimal(_achievement(badge).get("creditsAvailable"))


def stated_hours(badge: Badge) -> Decimal | None:
    """Study hours as the credential states them: a number of hours, or an ISO 8601
    duration (the European Learning Model's `volumeOfLearning`, e.g. "PT40H")."""
    achievement = _achievement(badge)
    for key in ("studyHours", "volumeOfLearning", "studyLoad"):
        value = achievement.get(key)
        if isinstance(value, str) and (match := ISO_HOURS.match(value.strip())):
            days, hours, minutes = (Decimal(g) if g else Decimal(0) for g in match.groups())
            total = days * 24 + hours + minutes / 60
            return total.quantize(Decimal("0.1")) if 0 < total < STATED_MAX else None
        if (number := _decimal(value)) is not None:
            return number
    return None


def stated_eqf(badge: Badge) -> int | None:
    """The EQF level from an alignment to the EQF (targetCode, else targetName)."""
    for alignment in badge.details.get("alignments") or []:
        framework = f"{alignment.get('targetFramework', '')} {alignment.get('targetUrl', '')}"
        if not EQF_FRAMEWORK.search(framework):
            continue
        for text in (alignment.get("targetCode", ""), alignment.get("targetName", "")):
            if match := re.search(r"\b([1-8])\b", str(text)):
                return int(match.group(1))
    return None


def stated_outcomes(badge: Badge) -> str:
    criteria = (badge.details.get("criteria") or {}).get("narrative") or ""
    aligned = [
        a.get("targetName") or a.get("targetCode")
        for a in badge.details.get("alignments") or []
        if not EQF_FRAMEWORK.search(str(a.get("targetFramework", "")))
    ]
    parts = [str(criteria).strip(), "; ".join(str(a) for a in aligned if a)]
    return "\n".join(p for p in parts if p)


def _either(issuer: Any, own: Any) -> Stated:
    if issuer not in (None, ""):
        return Stated(issuer, ISSUER)
    if own not in (None, ""):
        return Stated(own, SELF)
    return NOT_STATED


def transcript_line(badge: Badge, note: CredentialNote | None) -> TranscriptLine:
    return TranscriptLine(
        badge=badge,
        outcomes=_either(stated_outcomes(badge), note.learning_outcomes if note else ""),
        study_hours=_either(stated_hours(badge), note.study_hours if note else None),
        eqf_level=_either(stated_eqf(badge), note.eqf_level if note else None),
        credits=_either(stated_credits(badge), note.credits if note else None),
    )


def transcript_build(
    *,
    badges: list[Badge],
    notes: dict[int, CredentialNote],
    credits_sought: Decimal | None,
    credit_cap: Decimal | None,
) -> Transcript:
    lines = [transcript_line(b, notes.get(b.pk)) for b in badges]
    zero = Decimal(0)
    return Transcript(
        lines=lines,
        credits_issuer=sum((ln.credits.value for ln in lines if ln.credits.source == ISSUER), zero),
        credits_self=sum((ln.credits.value for ln in lines if ln.credits.source == SELF), zero),
        hours=sum((ln.study_hours.value for ln in lines if ln.study_hours.value), zero),
        credits_sought=credits_sought,
        credit_cap=credit_cap,
    )
