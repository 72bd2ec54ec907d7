"""Template helpers for shared showcase pages."""

from typing import Any

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def absolute_url(context: dict[str, Any], path: str) -> str:
    """The full address of a path on this site, as the request reached it (for paper,
    where a relative link means nothing)."""
    return str(context["request"].build_absolute_uri(path))
