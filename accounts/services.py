"""Writes with business meaning for people and cohorts."""

from allauth.account.models import EmailAddress
from django.db import transaction

from accounts.institutions.services import (
    cohort_add_people,
    institution_default,
    membership_ensure,
)
from accounts.models import Cohort, Institution, Role, User


@transaction.atomic
def user_ensure(
    *,
    email: str,
    name: str,
    role: Role,
    password: str,
    email_verified: bool = True,
    institution: Institution | None = None,
) -> tuple[User, bool]:
    """Create the person if they are new (with a verified primary address and a
    membership of `institution`, the default one if not given); else leave them as they
    are. Returns (user, created). Used by seeding and by admin tooling."""
    user = User.objects.filter(email__iexact=email).first()
    if user is not None:
        return user, False
    user = User.objects.create_user(email=email, password=password, name=name, role=role)
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=email_verified)
    membership_ensure(user=user, institution=institution or institution_default(), role=role)
    return user, True


@transaction.atomic
def cohort_ensure(
    *,
    name: str,
    tutors: list[User],
    learners: list[User],
    institution: Institution | None = None,
) -> Cohort:
    """Create the cohort in `institution` (the default one if not given) if needed, and
    make sure these people are in it, as members of the institution."""
    cohort, _ = Cohort.objects.get_or_create(
        name=name, institution=institution or institution_default()
    )
    cohort_add_people(cohort=cohort, users=tutors, as_role="tutor")
    cohort_add_people(cohort=cohort, users=learners, as_role="learner")
    return cohort
