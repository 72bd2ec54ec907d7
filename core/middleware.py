"""Security headers every response gets unless its view chose its own.

- Content-Security-Policy on HTML pages: scripts, styles, images, media and fonts only
  from this site, nothing inline (no <script> blocks, no on* attributes, no style=""),
  no plugins, no <base>, forms post only here and no site may frame a page. Templates
  keep behaviour in static/js and looks in static/css, so nothing needs a nonce. A view
  that set its own policy keeps it (files served by core.serving carry a sandbox of
  their own; PDFs carry none, so the browser's viewer works).
- Permissions-Policy: the browser features the site never uses are switched off for it
  and anything it could embed.
- Cache-Control: private, no-store for signed-in people, so no shared cache or browser
  back button keeps their pages after they sign out. A view's own Cache-Control stands
  (share pages already send the same; the icon redirect is public on purpose).

Under DJANGO_DEBUG the policy is left off Django's yellow error pages (404 and 500),
which are built with inline script and style.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        # allauth shows the two-factor QR code as a data: image.
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

# Features the site does not use, denied to it and to anything it embeds. Left at the
# browser's default: fullscreen and picture-in-picture (the video player's buttons) and
# clipboard-write (the "Copy link" button).
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)

SIGNED_IN_CACHE_CONTROL = "private, no-store"


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if _is_html(response) and not _is_debug_page(response):
            response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response.headers.setdefault("Cache-Control", SIGNED_IN_CACHE_CONTROL)
        return response


def _is_html(response: HttpResponseBase) -> bool:
    return response.get("Content-Type", "").startswith("text/html")


def _is_debug_page(response: HttpResponseBase) -> bool:
    return settings.DEBUG and response.status_code in (404, 500)
