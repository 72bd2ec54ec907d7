"""Issuer registries an institution trusts: reading them (DCC and LearnCard formats),
refreshing them on a schedule, and matching a badge's issuer id against them."""
