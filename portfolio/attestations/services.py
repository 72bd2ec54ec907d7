"""Writes with business meaning for attestations: asking, answering through the emailed
link, signing off as a tutor, cancelling and withdrawing.

Tokens carry 192 random bits and only their SHA-256 is stored (as for share links).
A request's token is made by the task that emails it, so it exists only in that email.
"""

import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from artefacts.models import Artefact
from core.enqueue import task_enqueue_on_commit
from core.html import render_markdown
from portfolio.attestations import limits
from portfolio.attestations.fingerprints import item_fingerprint
from portfolio.models import (
    Attestation,
    AttestationRequest,
    NotificationKind,
)
from portfolio.showcases.services import token_hash
from reflections.models import Reflection

Item = Artefact | Reflection


class AlreadyAsked(ValueError):
    """This person already has an open request for this item."""


class NotOpen(ValueError):
    """The request was answered, cancelled or has expired."""


def _item_fields(item: Item) -> dict[str, Any]:
    if isinstance(item, Artefact):
        return {"artefact": item}
    if isinstance(item, Reflection):
        return {"reflection": item}
    raise TypeError(f"{type(item).__name__} cannot be attested")


def email_domain(email: str) -> str:
    return email.rpartition("@")[2].lower()


# --- Asking -----------------------------------------------------------------------------


@transaction.atomic
def request_create(
    *,
    learner: Any,
    item: Item,
    name: str,
    email: str,
    role: str,
    organisation: str = "",
    message: str = "",
    statement: str,
) -> AttestationRequest:
    """Ask `name` to attest the learner's own `item` (checked by the caller's selector).
    The email goes out from a task after commit. Raises RateLimited (nothing written)
    or AlreadyAsked."""
    email = email.strip()
    keys = limits.request_limits(learner=learner, email=email)
    limits.check(keys)
    fields = _item_fields(item)
    open_already = AttestationRequest.objects.filter(
        learner=learner,
        email__iexact=email,
        answered_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
        **fields,
    )
    if open_already.exists():
        raise AlreadyAsked(email)
    asked = AttestationRequest.objects.create(
        learner=learner,
        name=name.strip(),
        email=email,
        role=role.strip(),
        organisation=organisation.strip(),
        message=message.strip(),
        statement=statement.strip(),
        expires_at=timezone.now() + timedelta(days=settings.ATTESTATION_LINK_DAYS),
        **fields,
    )
    limits.count(keys)
    from portfolio.attestations.tasks import request_email_task

    task_enqueue_on_commit(request_email_task, asked.pk)
    return asked


@transaction.atomic
def request_email(*, request_id: int) -> bool:
    """Make the request's token and put its email in the outbox, once. Returns False
    when there is nothing to send (already sent, answered, cancelled or gone)."""
    from portfolio.attestations.emails import request_email_enqueue

    asked = (
        AttestationRequest.objects.select_for_update(of=("self",))
        .select_related("learner", "artefact", "reflection")
        .filter(pk=request_id)
        .first()
    )
    if asked is None or asked.emailed_at is not None or not asked.is_open:
        return False
    token = secrets.token_urlsafe(24)
    asked.token_hash = token_hash(token)
    asked.emailed_at = timezone.now()
    asked.save(update_fields=["token_hash", "emailed_at", "updated_at"])
    request_email_enqueue(asked=asked, token=token)
    return True


@transaction.atomic
def request_revoke(*, asked: AttestationRequest) -> bool:
    """Cancel an unanswered request: its link stops working at once."""
    changed = AttestationRequest.objects.filter(
        pk=asked.pk, answered_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=timezone.now(), updated_at=timezone.now())
    return bool(changed)


# --- Answering ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Given:
    attestation: Attestation
    withdraw_token: str  # sent once, in the confirmation email


def _locked_open(asked: AttestationRequest) -> AttestationRequest:
    locked = (
        AttestationRequest.objects.select_for_update(of=("self",))
        .select_related("learner", "artefact", "reflection")
        .get(pk=asked.pk)
    )
    if not locked.is_open:
        raise NotOpen(locked.state)
    return locked


@transaction.atomic
def attest_by_link(
    *,
    asked: AttestationRequest,
    name: str,
    role: str,
    organisation: str,
    statement: str,
    comment: str = "",
) -> Given:
    """Record the attester's statement about the item as it is now, use up the link,
    email them a confirmation (with a link to withdraw) and tell the learner. Raises
    NotOpen if the link was used, cancelled or expired meanwhile."""
    from portfolio.attestations.emails import confirmation_email_enqueue

    locked = _locked_open(asked)
    withdraw_token = secrets.token_urlsafe(24)
    attestation = _record(
        learner=locked.learner,
        item=locked.item,
        request=locked,
        via=Attestation.Via.LINK,
        name=name,
        role=role,
        organisation=organisation,
        domain=email_domain(locked.email),
        statement=statement,
        comment=comment,
        withdraw_token_hash=token_hash(withdraw_token),
    )
    locked.answered_at = timezone.now()
    locked.save(update_fields=["answered_at", "updated_at"])
    confirmation_email_enqueue(attestation=attestation, to=locked.email, token=withdraw_token)
    _tell_learner(
        locked.learner,
        NotificationKind.ATTESTED,
        _("%(name)s attested “%(title)s”.") % {"name": attestation.name, "title": locked.item},
        locked.item,
    )
    return Given(attestation=attestation, withdraw_token=withdraw_token)


@transaction.atomic
def decline_by_link(*, asked: AttestationRequest, reason: str = "") -> AttestationRequest:
    locked = _locked_open(asked)
    locked.answered_at = timezone.now()
    locked.declined = True
    locked.decline_reason = reason.strip()
    locked.save(update_fields=["answered_at", "declined", "decline_reason", "updated_at"])
    _tell_learner(
        locked.learner,
        NotificationKind.ATTESTATION_DECLINED,
        _("%(name)s declined to attest “%(title)s”.") % {"name": locked.name, "title": locked.item},
        locked.item,
    )
    return locked


@transaction.atomic
def attest_as_tutor(
    *, tutor: Any, item: Item, organisation: str, statement: str, comment: str = ""
) -> Attestation:
    """A tutor of the learner's cohort signs the item off in place (the caller has
    checked the tutor may read it). Names the tutor and their institution."""
    attestation = _record(
        learner=item.owner,
        item=item,
        request=None,
        via=Attestation.Via.TUTOR,
        name=tutor.display_name,
        role=_("Tutor"),
        organisation=organisation,
        domain=email_domain(tutor.email),
        statement=statement,
        comment=comment,
        tutor=tutor,
    )
    _tell_learner(
        item.owner,
        NotificationKind.ATTESTED,
        _("%(name)s attested “%(title)s”.") % {"name": attestation.name, "title": item},
        item,
    )
    return attestation


@transaction.atomic
def attestation_withdraw(*, attestation: Attestation) -> bool:
    """The attester takes their statement back; it stays on record, shown withdrawn."""
    changed = Attestation.objects.filter(pk=attestation.pk, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now()
    )
    if changed:
        _showcases_changed(attestation.item)
    return bool(changed)


def _record(
    *,
    learner: Any,
    item: Item,
    request: AttestationRequest | None,
    via: str,
    name: str,
    role: str,
    organisation: str,
    domain: str,
    statement: str,
    comment: str,
    withdraw_token_hash: str | None = None,
    tutor: Any = None,
) -> Attestation:
    attestation = Attestation.objects.create(
        learner=learner,
        request=request,
        tutor=tutor,
        via=via,
        name=name.strip()[:150],
        role=role.strip()[:100],
        organisation=organisation.strip()[:150],
        email_domain=domain,
        statement=statement.strip(),
        comment_markdown=comment.strip(),
        comment_html=render_markdown(comment),
        item_title=item.title[:200],
        fingerprint=item_fingerprint(item),
        withdraw_token_hash=withdraw_token_hash,
        **_item_fields(item),
    )
    _showcases_changed(item)
    return attestation


def _tell_learner(learner: Any, kind: str, text: str, item: Item) -> None:
    from portfolio.review.notifications import notify

    notify(recipient=learner, kind=kind, text=text, url=f"{item.get_absolute_url()}#attestations")


def _showcases_changed(item: Item) -> None:
    """Showcases holding the item show its attestations: their shared pages are out of
    date (the rendered-page cache keys on their content version)."""
    from portfolio.showcases.versions import showcase_content_changed, showcases_showing

    field = "artefact" if isinstance(item, Artefact) else "reflection"
    showcase_content_changed(showcase_ids=showcases_showing(field=field, ids=[item.pk]))
