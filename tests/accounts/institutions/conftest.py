"""People across two institutions: the default one (the `people` fixture's) and another."""

from dataclasses import dataclass

import pytest

from accounts.institutions.models import Institution, Membership, MembershipState
from accounts.institutions.services import institution_default
from accounts.models import Role, User
from tests.conftest import People
from tests.factories import InstitutionAdminFactory, InstitutionFactory


@dataclass
class Staff:
    institution: Institution
    admin: User
    other_institution: Institution
    other_admin: User
    suspended_admin: User


@pytest.fixture
def staff(people: People) -> Staff:
    institution = institution_default()
    other = InstitutionFactory.create(name="Other College", slug="other")
    other_admin = InstitutionAdminFactory.create(institution=other)
    suspended = InstitutionAdminFactory.create()
    Membership.objects.filter(user=suspended).update(state=MembershipState.SUSPENDED)
    assert people.admin.role == Role.ADMIN
    return Staff(
        institution=institution,
        admin=people.admin,
        other_institution=other,
        other_admin=other_admin,
        suspended_admin=suspended,
    )
