"""Template helpers for shared showcase pages."""

from django import template

from core import links

register = template.Library()


@register.simple_tag
def absolute_url(path: str) -> str:
    """The full address of a path on this site's public base address (SITE_URL), for
    paper, where a relative link means nothing."""
    return links.absolute_url(path)
