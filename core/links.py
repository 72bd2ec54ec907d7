"""Absolute links to this site, for emails and anything read away from a page.

SITE_URL is the one public base address (`make run` sets it from its HOST and PORT);
links built from it agree whether or not a request is at hand.
"""

from django.conf import settings


def absolute_url(path: str) -> str:
    """`path` (a site path such as "/review/") on the site's public base address. An
    address that is already absolute is returned as it is."""
    if path.startswith(("https://", "http://")):
        return path
    return f"{settings.SITE_URL.rstrip('/')}/{path.lstrip('/')}"
