"""Invitations: a signed, expiring, single-use link that lets a new person set their
password and arrive signed in; people who already have an account are told where to
sign in. Emails go out through `core.email` once the transaction commits."""

from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from accounts.institutions.branding import institution_from_email
from accounts.institutions.models import Institution, Membership
from accounts.institutions.services import cohort_add_people, membership_ensure
from accounts.models import Cohort, User
from accounts.sso.selectors import sso_for_member
from core.email import email_enqueue
from core.links import absolute_url

SALT = "accounts.institutions.invitation"
MAX_AGE_SECONDS = 14 * 24 * 3600


def _state_hash(user: User) -> str:
    """Changes once the invitation is used (a password is set, the person signs in)."""
    login = user.last_login.replace(microsecond=0, tzinfo=None) if user.last_login else ""
    return salted_hmac(SALT, f"{user.pk}:{user.password}:{login}").hexdigest()[:32]


def invitation_token(*, user: User) -> str:
    return signing.dumps({"u": str(user.public_id), "h": _state_hash(user)}, salt=SALT)


def invitation_user(*, token: str) -> User | None:
    """The invited person, or None when the link is forged, expired or already used."""
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE_SECONDS)
    except signing.BadSignature:  # includes SignatureExpired
        return None
    user = User.objects.filter(public_id=data.get("u"), is_active=True).first()
    if user is None or not constant_time_compare(_state_hash(user), str(data.get("h"))):
        return None
    return user


def invitation_url(*, user: User) -> str:
    return absolute_url(reverse("accounts:invitation_accept", args=[invitation_token(user=user)]))


@transaction.atomic
def member_invite(
    *,
    institution: Institution,
    email: str,
    name: str,
    role: str,
    cohort: Cohort | None = None,
    invited_by: Any = None,
) -> tuple[Membership, bool]:
    """Make the person a member (creating an account without a password if they are
    new), put them in `cohort`, and email them. Returns (membership, person_created)."""
    email = User.objects.normalize_email(email.strip())
    user = User.objects.filter(email__iexact=email).first()
    created = user is None
    if user is None:
        user = User.objects.create_user(email=email, password=None, name=name.strip())
        EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=False)
    membership, _ = membership_ensure(
        user=user, institution=institution, role=role, invited=created
    )
    if cohort is not None:
        as_role = "tutor" if role in ("tutor", "assessor") else "learner"
        cohort_add_people(cohort=cohort, users=[user], as_role=as_role)
    invitation_send(user=user, institution=institution, invited_by=invited_by)
    return membership, created


def invitation_send(*, user: User, institution: Institution, invited_by: Any = None) -> None:
    new = not user.has_usable_password()
    if new:
        Membership.objects.filter(user=user, institution=institution).update(
            invited_at=timezone.now()
        )
    context = {
        "user": user,
        "institution": institution,
        "invited_by": invited_by,
        "new": new,
        "sso": sso_for_member(user=user),
        "url": invitation_url(user=user) if new else absolute_url(reverse("account_login")),
        "days": MAX_AGE_SECONDS // (24 * 3600),
        "site_url": settings.SITE_URL,
    }
    email_enqueue(
        EmailMessage(
            subject=render_to_string(
                "accounts/staff/email/invitation_subject.txt", context
            ).strip(),
            body=render_to_string("accounts/staff/email/invitation_body.txt", context),
            from_email=institution_from_email(institution),
            to=[user.email],
        )
    )


@transaction.atomic
def invitation_accept(*, user: User, password: str, name: str) -> None:
    """Set the password (the link is spent), confirm the address the link went to, and
    mark the person as joined wherever they were invited."""
    user.set_password(password)
    if name.strip():
        user.name = name.strip()
    user.save(update_fields=["password", "name"])
    EmailAddress.objects.filter(user=user, email__iexact=user.email).update(verified=True)
    Membership.objects.filter(user=user, joined_at__isnull=True).update(joined_at=timezone.now())
