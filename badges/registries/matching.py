"""Is this issuer listed in a registry an institution trusts?"""

from badges.models import RegistryIssuer
from badges.outcome import RegistryMatch


def registry_match(*, issuer_id: str) -> RegistryMatch | None:
    """The first registry (by name) whose last good copy lists exactly `issuer_id` (an
    https id or a DID, compared character for character), or None."""
    if not issuer_id:
        return None
    entry = (
        RegistryIssuer.objects.filter(issuer_id=issuer_id, registry__fetched_at__isnull=False)
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
