"""Page-shaped reads for attestations. Lists are loaded in a fixed number of queries
(prefetches the other pages' selectors add), never one per item."""

import uuid
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, QuerySet

from artefacts.models import Artefact
from core.models import Visibility
from portfolio.models import Attestation, AttestationRequest
from portfolio.showcases.services import token_hash
from reflections.models import Reflection

Item = Artefact | Reflection
KINDS: dict[str, type[Artefact] | type[Reflection]] = {
    "artefact": Artefact,
    "reflection": Reflection,
}


def attestations_prefetch(prefix: str = "") -> Prefetch:
    """Each item's attestations, newest first, as `<prefix>attestations`."""
    return Prefetch(f"{prefix}attestations", queryset=Attestation.objects.shown())


def request_for_token(*, token: str) -> AttestationRequest | None:
    """The request this emailed token answers (with its item and learner), or None."""
    if not token or len(token) > 100:
        return None
    return (
        AttestationRequest.objects.select_related("learner", "artefact", "reflection")
        .filter(token_hash=token_hash(token))
        .first()
    )


def attestation_for_withdraw_token(*, token: str) -> Attestation | None:
    if not token or len(token) > 100:
        return None
    return (
        Attestation.objects.select_related("learner", "artefact", "reflection")
        .filter(withdraw_token_hash=token_hash(token))
        .first()
    )


def item_for_viewer(*, viewer: Any, ref: str, owned: bool) -> Item | None:
    """The artefact or reflection named "kind:public_id" that `viewer` owns (owned) or
    may read as a tutor of the owner's cohort; None for anything else or junk."""
    kind, _sep, raw = ref.partition(":")
    model = KINDS.get(kind)
    try:
        public_id = uuid.UUID(raw)
    except ValueError:
        return None
    if model is None:
        return None
    found = model.objects.select_related("owner")
    found = found.owned_by(viewer) if owned else found.readable_by(viewer).exclude(owner=viewer)
    return found.filter(public_id=public_id).first()


def attestations_for_item(*, item: Item) -> list[Attestation]:
    field = "artefact" if isinstance(item, Artefact) else "reflection"
    found = list(Attestation.objects.filter(**{field: item}).shown())
    for attestation in found:
        setattr(attestation, field, item)  # no query per attestation for its item
    return found


def requests_for_item(*, learner: Any, item: Item) -> QuerySet[AttestationRequest]:
    field = "artefact" if isinstance(item, Artefact) else "reflection"
    return AttestationRequest.objects.filter(learner=learner, **{field: item}).order_by(
        "-created_at"
    )


def learner_attestations(*, learner: Any, viewer: Any) -> list[Attestation]:
    """Attestations of the learner's evidence that `viewer` (a tutor) may read about:
    none on items the learner made private. One query."""
    return list(
        Attestation.objects.filter(learner=learner)
        .exclude(artefact__visibility=Visibility.PRIVATE)
        .exclude(reflection__visibility=Visibility.PRIVATE)
        .select_related("artefact", "reflection")
        .shown()
    )


def sign_off_choices(*, learner: Any, viewer: Any) -> list[tuple[str, str]]:
    """("kind:public_id", title) for each item a tutor may sign off (two queries)."""
    choices: list[tuple[str, str]] = []
    for kind, model in KINDS.items():
        rows = (
            model.objects.readable_by(viewer)
            .filter(owner=learner)
            .order_by("-created_at")
            .values_list("public_id", "title")
        )
        label = str(model._meta.verbose_name).capitalize()
        choices += [(f"{kind}:{pid}", f"{title} ({label})") for pid, title in rows]
    return choices


def tutor_organisation(*, tutor: Any, learner: Any) -> str:
    """The institution a tutor attests for: the one whose cohort they teach this learner
    in (the first by name if several), else the deployment's INSTITUTION_NAME."""
    from accounts.models import Cohort

    cohort = (
        Cohort.objects.filter(tutors=tutor, learners=learner)
        .select_related("institution")
        .order_by("institution__name")
        .first()
    )
    return cohort.institution.name if cohort is not None else str(settings.INSTITUTION_NAME)
