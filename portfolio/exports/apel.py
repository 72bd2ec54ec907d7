"""The APEL evidence PDF: the context builder for templates/exports/apel.html.

Everything comes from `claim_view`, in its fixed number of queries whatever the size of
the claim. Each piece of evidence is numbered E1, E2, ... in the order the matrix shows
it, and printed in full once, as the showcase PDF prints it, in the first outcome it is
offered for; later outcomes refer to it by number and page. The claim's data
(portfolio/apel/claim_json.py) is embedded as claim.json, a PDF/A-3 associated file,
and kept beside the PDF so the verification page can offer the same bytes.
"""

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from badges.models import Badge
from portfolio.apel.claim_json import FILE_NAME, FORMAT, claim_json_of, item_refs
from portfolio.apel.evidence import Evidence
from portfolio.apel.selectors import ClaimView, Row, claim_view
from portfolio.exports.documents import (
    Prepared,
    Progress,
    badge_facts,
    prepared,
    qr_png,
    verify_address,
)
from portfolio.exports.renderer import Embedded
from portfolio.exports.showcase import item_context, prepare_images
from portfolio.models import Claim, Export, Mapping

STYLESHEETS = ["css/export.css", "css/export-apel.css"]
# Up to this many items the matrix is a grid (outcomes by items); beyond, each outcome
# lists the numbers of its items, and the legend says on which page each is.
GRID_MAX_COLUMNS = 8


def apel_document(*, export: Export, claim: Claim, report: Progress) -> Prepared:
    """The export's HTML, files and embedded claim.json. The caller closes the result."""
    view = claim_view(claim=claim)
    refs = item_refs(view)
    first = _first_mappings(view)
    document = prepared()
    try:
        images = prepare_images(document, list(first.values()), report)
        report(_("Putting the pages together"), 0, 0)
        printed = {
            key: item_context(
                kind=mapping.kind,
                target=mapping.target,
                caption=mapping.showcase_item.caption if mapping.showcase_item else "",
                image=images.get(mapping.pk, ""),
                online=_("the claim online"),
                anchor=_anchor(refs[key]),
                label=refs[key],
            )
            for key, mapping in first.items()
        }
        address = verify_address(export)
        with translation.override(translation.get_language() or "en"):
            document.html = render_to_string(
                "exports/apel.html",
                {
                    "export": export,
                    "claim": claim,
                    "programme": claim.programme,
                    "applicant": claim.learner,
                    "outcomes": _outcomes(view, refs, printed),
                    "columns": _columns(view, refs),
                    "grid": len(view.columns) <= GRID_MAX_COLUMNS,
                    "view": view,
                    "transcript": _transcript(view, refs),
                    "badges": [c for c in _columns(view, refs) if c["kind"] == "badge"],
                    "verify": address,
                    "qr": document.add(qr_png(address.url), "png"),
                    "made_at": timezone.now(),
                    "language": translation.get_language() or "en",
                    "data_file": FILE_NAME,
                },
            )
        document.stylesheets = STYLESHEETS
        document.attachment = Embedded(
            name=FILE_NAME,
            data=claim_json_of(view=view),
            description=_("The claim as data (%(format)s)") % {"format": FORMAT},
        )
        export.badges = [badge_facts(c.item) for c in view.columns if isinstance(c.item, Badge)]
    except BaseException:
        document.close()
        raise
    return document


def _anchor(ref: str) -> str:
    return f"item-{ref}"


def _first_mappings(view: ClaimView) -> dict[str, Mapping]:
    """Each item's first mapping (where it is printed in full), in column order."""
    first: dict[str, Mapping] = {}
    for row in view.rows:
        for evidence, mapping in zip(row.evidence, row.mappings, strict=True):
            first.setdefault(evidence.key, mapping)
    return first


def _columns(view: ClaimView, refs: dict[str, str]) -> list[dict[str, Any]]:
    return [
        {"ref": refs[e.key], "anchor": _anchor(refs[e.key]), "kind": e.kind, "evidence": e}
        for e in view.columns
    ]


def _outcomes(
    view: ClaimView, refs: dict[str, str], printed: dict[str, dict[str, Any]]
) -> list[dict[str, Any]]:
    shown: set[str] = set()
    outcomes = []
    for row in view.rows:
        evidence = []
        for item, mapping in zip(row.evidence, row.mappings, strict=True):
            evidence.append(_offered(item, mapping, refs[item.key], printed, shown))
            shown.add(item.key)
        outcomes.append(
            {
                "row": row,
                "answer": row.answer,
                "outcome": row.outcome,
                "anchor": f"outcome-{row.answer.pk}",
                "refs": [refs[e.key] for e in row.evidence],
                "evidence": evidence,
                "flags": _flags(row),
            }
        )
    return outcomes


def _offered(
    item: Evidence,
    mapping: Mapping,
    ref: str,
    printed: dict[str, dict[str, Any]],
    shown: set[str],
) -> dict[str, Any]:
    """One item as offered for one outcome: printed in full the first time, else a
    reference to where it was printed."""
    return {
        "ref": ref,
        "anchor": _anchor(ref),
        "evidence": item,
        "note": mapping.note,
        "suggested_because": mapping.suggested_because,
        "printed": None if item.key in shown else printed[item.key],
    }


def _flags(row: Row) -> list[str]:
    """The rules-of-evidence facts about one outcome, in words."""
    flags = row.flags
    words = []
    if flags["none"]:
        words.append(_("No evidence offered"))
    if flags["single"]:
        words.append(_("One item only"))
    if flags["only_self"]:
        words.append(_("Only self-declared evidence"))
    if flags["stale"]:
        words.append(_("Some evidence is older than the programme accepts"))
    return words


def _transcript(view: ClaimView, refs: dict[str, str]) -> list[dict[str, Any]]:
    return [
        {"ref": refs[f"badge:{line.badge.public_id}"], "line": line}
        for line in view.transcript.lines
    ]
