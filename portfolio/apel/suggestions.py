"""Mappings suggested from badge alignments: a badge whose alignment names an outcome
(by its code, its text or an address ending in its code) is offered for that outcome,
with the reason. The learner accepts or ignores each suggestion; nothing is mapped
on their behalf."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from badges.models import Badge
from portfolio.models import ClaimOutcome


@dataclass(frozen=True)
class Suggestion:
    answer: ClaimOutcome
    badge: Badge
    reason: str


def _norm(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def _why(alignment: dict[str, str], code: str, text: str) -> str:
    framework = alignment.get("targetFramework") or ""
    where = _(" in %(framework)s") % {"framework": framework} if framework else ""
    target_code = alignment.get("targetCode") or ""
    if target_code and _norm(target_code) == code:
        return _("Aligned to code %(code)s%(where)s") % {"code": target_code, "where": where}
    if alignment.get("targetName") and _norm(alignment["targetName"]) == text:
        return _("Aligned to “%(name)s”%(where)s") % {
            "name": alignment["targetName"],
            "where": where,
        }
    url = (alignment.get("targetUrl") or "").rstrip("/")
    tail = _norm(url.rsplit("/", 1)[-1].rsplit("#", 1)[-1]) if url else ""
    if tail and tail == code:
        return _("Aligned to %(url)s%(where)s") % {"url": url, "where": where}
    return ""


def suggestions_for(
    *, answers: list[ClaimOutcome], badges: list[Badge], mapped: set[tuple[int, int]]
) -> list[Suggestion]:
    """Suggestions for these answers among the learner's badges; `mapped` holds the
    (answer id, badge id) pairs already mapped, which are not suggested again."""
    found = []
    for answer in answers:
        code, text = _norm(answer.outcome.code), _norm(answer.outcome.text)
        for badge in badges:
            if (answer.pk, badge.pk) in mapped:
                continue
            for alignment in badge.details.get("alignments") or []:
                if reason := _why(alignment, code, text):
                    found.append(Suggestion(answer, badge, reason))
                    break
    return found
