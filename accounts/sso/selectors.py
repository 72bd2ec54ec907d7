"""Reads for the sign-in page and the staff list."""

from django.db.models import QuerySet

from accounts.sso.models import SingleSignOn


def sso_for_email(*, email: str) -> SingleSignOn | None:
    """The enabled configuration whose domains include this address's domain."""
    domain = email.strip().rpartition("@")[2].lower()
    if not domain:
        return None
    return (
        SingleSignOn.objects.enabled().filter(domains__domain=domain).select_related("app").first()
    )


def sso_list() -> QuerySet[SingleSignOn]:
    return SingleSignOn.objects.select_related("app").prefetch_related("domains")
