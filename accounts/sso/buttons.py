"""The "Sign in with <institution>" button, wherever a page offers it (the sign-in
page's lookup step, an invitation): where it posts, and the page policy that lets the
browser follow allauth's redirect on to the identity provider."""

from allauth.socialaccount.adapter import get_adapter
from django.http import HttpRequest, HttpResponse

from accounts.sso.models import SingleSignOn
from core.middleware import CONTENT_SECURITY_POLICY


def sso_login_url(request: HttpRequest, *, sso: SingleSignOn) -> str:
    """allauth's address that starts a sign-in through this configuration (POST)."""
    provider = get_adapter().get_provider(
        request, sso.app.provider_id or sso.protocol, client_id=sso.app.client_id
    )
    return str(provider.get_login_url(request))


def allow_idp_form_action(response: HttpResponse, *, sso: SingleSignOn | None) -> HttpResponse:
    """Our policy says form-action 'self'; the button's post is answered by a redirect to
    the identity provider, which the browser checks against the same directive."""
    if sso is not None and sso.idp_origin:
        response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY.replace(
            "form-action 'self'", f"form-action 'self' {sso.idp_origin}"
        )
    return response
