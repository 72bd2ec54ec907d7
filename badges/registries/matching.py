"""Is this issuer listed in a registry an institution trusts?"""

from typing import Any

from django.db.models import Q

from accounts.models import Membership
from badges.models import RegistryIssuer
from badges.outcome import RegistryMatch


def registry_match(*, issuer_id: str, owner: Any = None) -> RegistryMatch | None:
    """The first registry (by name) whose last good copy lists exactly `issuer_id` (an
    https id or a DID, compared character for character), or None. Only site-wide
    registries count, and those of the institutions `owner` (the badge's earner) is an
    active member of."""
    if not issuer_id:
        return None
    trusted = Q(registry__institution__isnull=True)
    if owner is not None and getattr(owner, "pk", None):
        institutions = Membership.objects.active().filter(user=owner).values("institution_id")
        trusted |= Q(registry__institution__in=institutions)
    entry = (
        RegistryIssuer.objects.filter(
            trusted, issuer_id=issuer_id, registry__fetched_at__isnull=False
        )
        .select_related("registry")
        .order_by("registry__name", "registry__pk")
        .first()
    )
    if entry is None:
        return None
    registry = entry.registry
    assert registry.fetched_at is not None  # filtered above
    return RegistryMatch(
        registry_id=registry.pk,
        name=registry.name,
        source=registry.source,
        fetched_at=registry.fetched_at.isoformat(),
        listed_name=entry.name,
        listed_url=entry.url,
    )
