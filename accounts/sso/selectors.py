"""Reads for the sign-in page and the staff pages."""

from django.db.models import QuerySet

from accounts.institutions.models import Institution
from accounts.models import User
from accounts.sso.models import SingleSignOn


def sso_for_email(*, email: str) -> SingleSignOn | None:
    """The enabled configuration whose domains include this address's domain."""
    domain = email.strip().rpartition("@")[2].lower()
    if not domain:
        return None
    return (
        SingleSignOn.objects.enabled()
        .filter(domains__domain=domain)
        .select_related("app", "institution")
        .first()
    )


def sso_for_member(*, user: User) -> SingleSignOn | None:
    """The enabled configuration for the person's address, if they are a member of its
    institution (an invitation offers it): one query."""
    domain = user.email.rpartition("@")[2].lower()
    return (
        SingleSignOn.objects.enabled()
        .filter(domains__domain=domain, institution__memberships__user=user)
        .select_related("app", "institution")
        .first()
    )


def sso_of(*, institution: Institution) -> SingleSignOn | None:
    """The institution's configuration, with its app and domains (two queries)."""
    found: QuerySet[SingleSignOn] = SingleSignOn.objects.filter(institution=institution)
    return found.select_related("app", "institution").prefetch_related("domains").first()


def sso_offered() -> bool:
    """Whether any institution offers sign-in with its own accounts (one query): the
    sign-in and sign-up pages offer the lookup only then."""
    return SingleSignOn.objects.enabled().exists()
