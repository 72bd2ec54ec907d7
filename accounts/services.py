"""Writes with business meaning for people and cohorts."""

from allauth.account.models import EmailAddress
from django.db import transaction

from accounts.models import Cohort, Role, User


@transaction.atomic
def user_ensure(
    *, email: str, name: str, role: Role, password: str, email_verified: bool = True
) -> tuple[User, bool]:
    """Create the person if they are new (with a verified primary address); else leave
    them as they are. Returns (user, created). Used by seeding and by admin tooling."""
    user = User.objects.filter(email__iexact=email).first()
    if user is not None:
        return user, False
    user = User.objects.create_user(email=email, password=password, name=name, role=role)
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=email_verified)
    return user, True


@transaction.atomic
def cohort_ensure(*, name: str, tutors: list[User], learners: list[User]) -> Cohort:
    """Create the cohort if needed and make sure these people are in it."""
    cohort, _ = Cohort.objects.get_or_create(name=name)
    cohort.tutors.add(*tutors)
    cohort.learners.add(*learners)
    return cohort
