"""Who assesses a claim, and what they may do: submitting a claim to an assessor of the
programme's institution (an account) or to a named person by email (a link), revoking
and re-sending that access, the assessor opening the claim, and their judgements.

A link carries a token of 192 random bits of which only the SHA-256 is stored, made
with the share links' helper; it exists only in the email that carries it, so sending
it again makes a new one (the old link stops working). A link expires after LINK_DAYS.
An account assessor keeps access while their assignment stands and their membership of
the institution is active with the assessor role (see assessor_selectors).
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portfolio.apel import services
from portfolio.apel.assessor_selectors import assessors_available
from portfolio.apel.services import ClaimRefused, person_label
from portfolio.attestations import limits
from portfolio.models import Claim, ClaimAssessor, ClaimOutcome, Judgement, Recommendation
from portfolio.showcases.services import token_hash

LINK_DAYS = 60
RESENDS_PER_DAY = 5
# Claims sent by email in a day: each goes to an address the learner chose, with words
# the learner wrote, so the site is not made a way to send mail to anyone, unbounded.
INVITES_PER_DAY = 10  # by one learner
INVITES_PER_ADDRESS = 3  # to one address


@dataclass(frozen=True)
class Assigned:
    assessor: ClaimAssessor
    token: str = ""  # a link's token, set only when one was just made (it is in the email)


def assessor_label(assessor: ClaimAssessor) -> str:
    """How the assessor is named in the claim's history and on its judgements."""
    return f"{assessor.name} <{assessor.email}>" if assessor.name else assessor.email


# --- Submitting to an assessor ---------------------------------------------------------


@transaction.atomic
def claim_submit_to(
    *, claim: Claim, declared: bool, user: Any = None, name: str = "", email: str = ""
) -> Assigned:
    """Declare, submit and send the claim to its assessor in one transaction: an
    assessor of the programme's institution (`user`), or a named person by email.
    Raises ClaimRefused, with nothing written and nothing sent."""
    services.claim_submit(claim=claim, declared=declared)
    claim.refresh_from_db()
    if user is not None:
        return Assigned(assessor_assign(claim=claim, user=user))
    return assessor_invite(claim=claim, name=name, email=email)


@transaction.atomic
def assessor_assign(*, claim: Claim, user: Any) -> ClaimAssessor:
    """Give an assessor of the programme's institution the claim to assess (again: the
    standing assignment is returned), and email them."""
    from portfolio.apel.emails import assessor_email_enqueue

    _submitted(claim)
    if claim.programme.institution_id is None:
        raise ClaimRefused(
            _(
                "You entered this programme yourself, so it has no institution assessors: "
                "send the claim to a named person by email."
            )
        )
    if not assessors_available(claim=claim).filter(pk=user.pk).exists():
        raise ClaimRefused(
            _("That person is not an assessor of %(institution)s. Choose one from the list.")
            % {"institution": claim.programme.institution}
        )
    standing = ClaimAssessor.objects.filter(claim=claim, user=user, revoked_at__isnull=True)
    if (found := standing.first()) is not None:
        return found
    assessor = ClaimAssessor.objects.create(
        claim=claim, user=user, name=user.name[:150], email=user.email
    )
    _event(claim, "assessor_assigned", assessor, by_link=False)
    assessor_email_enqueue(assessor=assessor, token="")
    return assessor


@transaction.atomic
def assessor_invite(*, claim: Claim, name: str, email: str) -> Assigned:
    """Send the claim to a named person by email, with a link that works without an
    account until it expires or the learner revokes it."""
    _submitted(claim)
    name, email = name.strip()[:150], email.strip()
    if not name or not email:
        raise ClaimRefused(_("Give the assessor's name and email address."))
    if email.lower() == claim.learner.email.lower():
        raise ClaimRefused(_("Give your assessor's email address, not your own."))
    keys = _invite_limits(claim, email)
    try:
        limits.check(keys)
    except limits.RateLimited as limited:
        raise ClaimRefused(limited.message) from None
    assessor = ClaimAssessor(claim=claim, name=name, email=email)
    token = _new_link(assessor)
    assessor.save()
    _event(claim, "assessor_assigned", assessor, by_link=True, expires=_day(assessor))
    _send_link(assessor, token)
    transaction.on_commit(lambda: limits.count(keys))  # a refused submission sent nothing
    return Assigned(assessor, token)


def _invite_limits(claim: Claim, email: str) -> list[limits.Limit]:
    today = timezone.now().date().isoformat()
    to = hashlib.sha256(email.lower().encode()).hexdigest()[:24]
    return [
        (
            f"apel-invite:learner:{claim.learner_id}:{today}",
            INVITES_PER_DAY,
            _("You have sent as many claims by email as you can today. Try again tomorrow."),
        ),
        (
            f"apel-invite:to:{to}:{today}",
            INVITES_PER_ADDRESS,
            _(
                "This address has been sent as many claims as it can receive today. "
                "Try again tomorrow, or choose another assessor."
            ),
        ),
    ]


def _new_link(assessor: ClaimAssessor) -> str:
    token = secrets.token_urlsafe(24)
    assessor.token_hash = token_hash(token)
    assessor.expires_at = timezone.now() + timedelta(days=LINK_DAYS)
    assessor.revoked_at = None
    return token


def _send_link(assessor: ClaimAssessor, token: str) -> None:
    from portfolio.apel.emails import assessor_email_enqueue

    assessor_email_enqueue(assessor=assessor, token=token)


def _submitted(claim: Claim) -> None:
    if not claim.is_frozen:
        raise ClaimRefused(_("Submit the claim before you send it to an assessor."))


# --- The learner's control over access ------------------------------------------------


@transaction.atomic
def assessor_revoke(*, assessor: ClaimAssessor) -> bool:
    """Stop the assessor's access at once (their link, or their assignment). Returns
    False when it was already revoked."""
    changed = ClaimAssessor.objects.filter(pk=assessor.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), updated_at=timezone.now()
    )
    if changed:
        _event(assessor.claim, "assessor_revoked", assessor, by_link=assessor.user_id is None)
    return bool(changed)


@transaction.atomic
def assessor_resend(*, assessor: ClaimAssessor) -> Assigned:
    """Email the assessor again. A link is made anew (the old one stops working, a
    revoked or expired one works again for LINK_DAYS); an account assessor whose
    assignment was revoked is not sent anything. Raises ClaimRefused, or RateLimited
    past RESENDS_PER_DAY for this assessor."""
    from portfolio.apel.emails import assessor_email_enqueue

    assessor = ClaimAssessor.objects.select_for_update().select_related("claim").get(pk=assessor.pk)
    if assessor.user_id is not None and assessor.revoked_at is not None:
        raise ClaimRefused(
            _("You revoked this assessor's access. Start a new version to submit it again.")
        )
    keys = _resend_limits(assessor)
    limits.check(keys)
    token = ""
    if assessor.user_id is None:
        token = _new_link(assessor)
        assessor.save(update_fields=["token_hash", "expires_at", "revoked_at", "updated_at"])
        _event(assessor.claim, "assessor_link_resent", assessor, expires=_day(assessor))
        assessor_email_enqueue(assessor=assessor, token=token)
    else:
        assessor_email_enqueue(assessor=assessor, token="", again=True)
    limits.count(keys)
    return Assigned(assessor, token)


def _resend_limits(assessor: ClaimAssessor) -> list[limits.Limit]:
    today = timezone.now().date().isoformat()
    who = hashlib.sha256(str(assessor.public_id).encode()).hexdigest()[:24]
    message = _("You have sent this assessor as many emails as you can today. Try again tomorrow.")
    return [(f"apel-resend:{who}:{today}", RESENDS_PER_DAY, message)]


# --- The assessor ----------------------------------------------------------------------


def assessor_opened(*, assessor: ClaimAssessor) -> None:
    """Note that the assessor opened the claim; the first time goes in its history."""
    now = timezone.now()
    if assessor.last_opened_at is not None:  # the usual case: one UPDATE
        ClaimAssessor.objects.filter(pk=assessor.pk).update(last_opened_at=now)
        assessor.last_opened_at = now
        return
    with transaction.atomic():
        first = ClaimAssessor.objects.filter(pk=assessor.pk, last_opened_at__isnull=True).update(
            last_opened_at=now
        )
        if first:
            services.event_record(
                claim=assessor.claim,
                actor=assessor_label(assessor),
                kind="assessor_opened",
                by_link=assessor.user_id is None,
            )
        else:  # another request got there first
            ClaimAssessor.objects.filter(pk=assessor.pk).update(last_opened_at=now)
    assessor.last_opened_at = now


def _still_assessing(assessor: ClaimAssessor) -> ClaimAssessor:
    """The assignment, locked, if it still gives access (it may have been revoked
    since the page was loaded)."""
    locked = ClaimAssessor.objects.select_for_update().get(pk=assessor.pk)
    if not locked.is_active:
        raise ClaimRefused(
            _("Your access to this claim has ended. Ask the learner for a new link.")
        )
    return locked


@transaction.atomic
def assessor_judge(
    *, assessor: ClaimAssessor, answer: ClaimOutcome, judgement: str, comment: str
) -> ClaimOutcome:
    """The assessor's judgement of one outcome of the claim they were given. "Partly"
    and "not yet" need a comment saying what is missing."""
    _still_assessing(assessor)
    if answer.claim_id != assessor.claim_id:
        raise ClaimRefused(_("That outcome is not part of this claim."))
    if judgement in (Judgement.PARTLY, Judgement.NOT_YET) and not comment.strip():
        raise ClaimRefused(_("Say what is missing, so the learner knows what to add."))
    return services.judgement_record(
        answer=answer, judgement=judgement, comment=comment, by=assessor_label(assessor)
    )


@transaction.atomic
def assessor_recommend(*, assessor: ClaimAssessor, recommendation: str, comment: str) -> Claim:
    """The overall recommendation, once every outcome is judged; the learner is told by
    email. Anything short of the full award needs a comment."""
    from portfolio.apel.emails import assessed_email_enqueue

    _still_assessing(assessor)
    claim = assessor.claim
    unjudged = claim.answers.filter(judgement="").count()
    if unjudged:
        raise ClaimRefused(
            _("Judge every outcome before the overall recommendation: %(n)d still need one.")
            % {"n": unjudged}
        )
    if recommendation in (Recommendation.PARTIAL, Recommendation.NOT_YET) and not comment.strip():
        raise ClaimRefused(_("Say what the learner should do next, in the comment."))
    claim = services.recommendation_record(
        claim=claim, recommendation=recommendation, comment=comment, by=assessor_label(assessor)
    )
    assessed_email_enqueue(claim=claim)
    return claim


def _event(claim: Claim, kind: str, assessor: ClaimAssessor, **detail: Any) -> None:
    services.event_record(
        claim=claim,
        actor=person_label(claim.learner),
        kind=kind,
        assessor=assessor_label(assessor),
        **detail,
    )


def _day(assessor: ClaimAssessor) -> str:
    return timezone.localdate(assessor.expires_at).isoformat() if assessor.expires_at else ""
