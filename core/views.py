from django.http import HttpRequest, HttpResponseRedirect, JsonResponse
from django.templatetags.static import static
from django.views.decorators.cache import cache_control, never_cache

from core.health import run_checks


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when every required service answers; 503 naming what is down otherwise."""
    checks = run_checks()
    down = [c.name for c in checks if c.required and not c.ok]
    body = {
        "status": "down" if down else "ok",
        "down": down,
        "checks": {
            c.name: {"ok": c.ok, "detail": c.detail, "required": c.required} for c in checks
        },
    }
    return JsonResponse(body, status=503 if down else 200)


@cache_control(max_age=86400, public=True)
def favicon(request: HttpRequest) -> HttpResponseRedirect:
    """Browsers and crawlers ask for /favicon.ico whatever the page links; the icon itself
    is a static file (fingerprinted in production), so this only points there."""
    return HttpResponseRedirect(static("icons/favicon.ico"))
