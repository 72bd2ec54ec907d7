from typing import Any

from django.http import HttpRequest, HttpResponseRedirect, JsonResponse
from django.templatetags.static import static
from django.views.decorators.cache import cache_control, never_cache

from core.health import run_checks


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when every required service answers, 503 otherwise. Anyone (a load balancer,
    an uptime monitor) gets only that; the site's operators (superusers: `is_staff`) also
    get which service is down and why, which names internal hosts and ports, so it is
    for no one else, institution admins included."""
    checks = run_checks()
    down = [c.name for c in checks if c.required and not c.ok]
    status = 503 if down else 200
    body: dict[str, Any] = {"status": "unavailable" if down else "ok"}
    # Who is asking is read from the database: with it down, everyone is anonymous.
    database_up = all(c.ok for c in checks if c.name == "database")
    if database_up and request.user.is_staff:
        body["down"] = down
        body["checks"] = {
            c.name: {"ok": c.ok, "detail": c.detail, "required": c.required} for c in checks
        }
    return JsonResponse(body, status=status)


@cache_control(max_age=86400, public=True)
def favicon(request: HttpRequest) -> HttpResponseRedirect:
    """Browsers and crawlers ask for /favicon.ico whatever the page links; the icon itself
    is a static file (fingerprinted in production), so this only points there."""
    return HttpResponseRedirect(static("icons/favicon.ico"))
