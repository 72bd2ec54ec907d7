"""Template helpers for attestations shown inside other pages.

`attestations_of` reads an item's attestations from what the page's selector
prefetched (no query when it did), as a list in `shown_attestations` or in the
related manager's cache. `item_attestations` renders the attestations
section of an evidence item's own page: the attestations, the learner's requests
(with "ask someone" and "cancel"), and the sign-off form for a tutor of the learner's
cohort. The artefacts and reflections apps know nothing of attestations; their
templates load this tag.
"""

from typing import Any

from django import template

from artefacts.models import Artefact
from portfolio.attestations import selectors
from portfolio.attestations.forms import SignOffForm
from portfolio.models import Attestation
from portfolio.models.attestations import SHOWN_ATTESTATIONS
from reflections.models import Reflection

register = template.Library()


@register.simple_tag
def attestations_of(item: Any) -> list[Attestation]:
    """The attestations of an artefact or reflection, or of what a showcase item or a
    timeline item holds; [] for a badge."""
    target = getattr(item, "obj", None) or getattr(item, "target", None) or item
    if not isinstance(target, Artefact | Reflection):
        return []
    prefetched = vars(target).get(SHOWN_ATTESTATIONS)
    if prefetched is not None:
        return list(prefetched)
    return list(target.attestations.all())


@register.inclusion_tag("portfolio/attestations/item_section.html", takes_context=True)
def item_attestations(context: template.Context, item: Artefact | Reflection) -> dict[str, Any]:
    """Shown to the owner and to tutors who may read the item (the page has checked)."""
    request = context.get("request")
    viewer = getattr(request, "user", None)
    is_owner = viewer is not None and viewer.pk == item.owner_id
    is_tutor = not is_owner and getattr(viewer, "role", None) == "tutor"
    kind = "artefact" if isinstance(item, Artefact) else "reflection"
    return {
        "request": request,
        "item": item,
        "kind": kind,
        "attestations": selectors.attestations_for_item(item=item),
        "requests": list(selectors.requests_for_item(learner=viewer, item=item))
        if is_owner
        else [],
        "is_owner": is_owner,
        "is_tutor": is_tutor,
        "sign_off_form": SignOffForm(initial={"target": f"{kind}:{item.public_id}"})
        if is_tutor
        else None,
        "csrf_token": context.get("csrf_token"),
    }
