"""Writes with business meaning for institutions, memberships and cohorts.

`User.role` stays the person's main persona (which dashboard and pages they get); it
follows their active memberships: admin anywhere, else tutor or assessor, else learner.
"""

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.institutions.models import (
    Institution,
    Membership,
    MembershipRole,
    MembershipState,
)
from accounts.models import Cohort, Role, User
from accounts.sso.models import SingleSignOnDomain
from core.storage import files_delete_on_commit
from core.uploads import UploadRejected, inspect_upload

DEFAULT_SLUG = "default"
MAX_LOGO_BYTES = 1024 * 1024
MAX_LOGO_PIXELS = 4000 * 4000
LOGO_KINDS = {"png", "jpeg", "webp", "gif"}

_PERSONA: dict[str, Role] = {
    MembershipRole.ADMIN: Role.ADMIN,
    MembershipRole.TUTOR: Role.TUTOR,
    MembershipRole.ASSESSOR: Role.TUTOR,
    MembershipRole.LEARNER: Role.LEARNER,
}
_RANK = [Role.LEARNER, Role.TUTOR, Role.ADMIN]


class InstitutionError(ValueError):
    """A refused change, in plain words for the admin."""


def institution_default() -> Institution:
    """The institution existing people and cohorts belong to (made when first needed)."""
    institution, _ = Institution.objects.get_or_create(
        slug=DEFAULT_SLUG, defaults={"name": settings.DEFAULT_INSTITUTION_NAME}
    )
    return institution


@transaction.atomic
def institution_create(*, name: str, short_name: str = "", slug: str = "") -> Institution:
    base = slugify(slug or short_name or name)[:50] or "institution"
    candidate, number = base, 1
    while Institution.objects.filter(slug=candidate).exists():
        number += 1
        candidate = f"{base}-{number}"
    return Institution.objects.create(name=name, short_name=short_name, slug=candidate)


def persona_sync(*, user: User) -> None:
    """Set `User.role` from the person's active memberships (superusers keep theirs)."""
    if user.is_superuser:
        return
    roles = Membership.objects.active().filter(user=user).values_list("role", flat=True)
    personas = [_PERSONA[role] for role in roles] or [Role.LEARNER]
    persona = max(personas, key=_RANK.index)
    if user.role != persona:
        user.role = persona
        user.save(update_fields=["role"])


@transaction.atomic
def membership_ensure(
    *, user: User, institution: Institution, role: str, invited: bool = False
) -> tuple[Membership, bool]:
    """Make `user` a member with `role` (an existing membership keeps its role unless it
    was a learner's). Returns (membership, created)."""
    now = timezone.now()
    membership, created = Membership.objects.get_or_create(
        user=user,
        institution=institution,
        defaults={
            "role": role,
            "invited_at": now if invited else None,
            "joined_at": None if invited else now,
        },
    )
    if not created and membership.role == MembershipRole.LEARNER and role != membership.role:
        membership.role = role
        membership.save(update_fields=["role"])
    persona_sync(user=user)
    return membership, created


@transaction.atomic
def membership_set_role(*, membership: Membership, role: str) -> Membership:
    if role not in MembershipRole.values:
        raise InstitutionError(_("Choose one of the roles in the list."))
    membership.role = role
    membership.save(update_fields=["role"])
    persona_sync(user=membership.user)
    return membership


@transaction.atomic
def membership_set_state(*, membership: Membership, state: str, actor: User) -> Membership:
    """Suspend or restore. Suspension hides the person from the institution's staff and
    tutors, and ends their staff rights there; nothing they own is touched."""
    if state not in MembershipState.values:
        raise InstitutionError(_("Choose active or suspended."))
    if membership.user_id == actor.pk and state == MembershipState.SUSPENDED:
        raise InstitutionError(_("You cannot suspend yourself. Ask another admin."))
    membership.state = state
    membership.save(update_fields=["state"])
    persona_sync(user=membership.user)
    return membership


@transaction.atomic
def membership_joined(*, membership: Membership) -> None:
    if membership.joined_at is None:
        membership.joined_at = timezone.now()
        membership.save(update_fields=["joined_at"])


@transaction.atomic
def cohort_create(*, institution: Institution, name: str, description: str = "") -> Cohort:
    name = name.strip()
    if Cohort.objects.filter(institution=institution, name__iexact=name).exists():
        raise InstitutionError(_("A cohort with this name exists already. Choose another name."))
    return Cohort.objects.create(institution=institution, name=name, description=description)


@transaction.atomic
def cohort_add_people(*, cohort: Cohort, users: Iterable[User], as_role: str) -> int:
    """Add members of the cohort's institution as its tutors or learners. People who are
    not members yet become members with that role. Returns how many were added."""
    users = list(users)
    membership_role = MembershipRole.TUTOR if as_role == "tutor" else MembershipRole.LEARNER
    for user in users:
        membership_ensure(user=user, institution=cohort.institution, role=membership_role)
    field = cohort.tutors if as_role == "tutor" else cohort.learners
    before = field.count()
    field.add(*users)
    return field.count() - before


@transaction.atomic
def cohort_remove_person(*, cohort: Cohort, user: User) -> None:
    cohort.tutors.remove(user)
    cohort.learners.remove(user)


@transaction.atomic
def cohort_set_archived(*, cohort: Cohort, archived: bool) -> Cohort:
    """An archived cohort drops off tutors' pages; its people and their work stay."""
    cohort.archived_at = timezone.now() if archived else None
    cohort.save(update_fields=["archived_at", "updated_at"])
    return cohort


@transaction.atomic
def branding_update(
    *, institution: Institution, logo: UploadedFile | None = None, **fields: Any
) -> Institution:
    """Save the institution's name, colour and settings, and a new logo if given (checked
    by content as an image; the old logo is deleted once the change commits). A domain
    dropped from `email_domains` is dropped from its single sign-on too."""
    for name, value in fields.items():
        setattr(institution, name, value)
    if logo is not None:
        if (logo.size or 0) > MAX_LOGO_BYTES:
            raise InstitutionError(_("The logo is larger than 1 MB. Upload a smaller image."))
        try:
            kind = inspect_upload(logo, max_image_pixels=MAX_LOGO_PIXELS)
        except UploadRejected as error:
            raise InstitutionError(str(error)) from None
        if kind.key not in LOGO_KINDS:
            raise InstitutionError(_("The logo must be a PNG, JPEG, WebP or GIF image."))
        if institution.logo:
            files_delete_on_commit([institution.logo.name or ""])
        institution.logo.save("logo", logo, save=False)
        institution.logo_type = kind.mime
    institution.full_clean()
    institution.save()
    SingleSignOnDomain.objects.filter(sso__institution=institution).exclude(
        domain__in=institution.email_domains
    ).delete()
    return institution
