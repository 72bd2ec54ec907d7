"""Page-shaped reads of the issuer registries an institution admin manages: those of the
institutions they administer (site-wide ones are the superusers', in the Django admin)."""

from typing import Any

from django.db.models import Count, Q, QuerySet

from accounts.institutions.selectors import administered_institutions
from badges.models import IssuerRegistry, RegistryIssuer


def registries_for(*, user: Any) -> QuerySet[IssuerRegistry]:
    """The registries `user` (an institution admin) manages, with their issuer counts."""
    return (
        IssuerRegistry.objects.filter(institution__in=administered_institutions(user=user))
        .annotate(issuer_count=Count("issuers"))
        .order_by("name", "pk")
    )


def registry_for(*, user: Any, public_id: Any) -> IssuerRegistry:
    """One registry `user` manages; IssuerRegistry.DoesNotExist otherwise."""
    return registries_for(user=user).get(public_id=public_id)


def registry_issuers(*, registry: IssuerRegistry, query: str = "") -> QuerySet[RegistryIssuer]:
    """The issuers a registry lists, those whose id, name or address contain `query`."""
    issuers = registry.issuers.order_by("name", "issuer_id")
    query = query.strip()
    if query:
        issuers = issuers.filter(
            Q(issuer_id__icontains=query) | Q(name__icontains=query) | Q(url__icontains=query)
        )
    return issuers
