"""allauth hooks: every account email leaves through a Celery task, queued on commit,
and every link in it is on the site's public address (SITE_URL), as in our own emails."""

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.http import HttpRequest

from core.clientip import client_ip
from core.email import email_enqueue
from core.links import absolute_url

PRODUCT_NAME = "Learner Portfolio"


@dataclass(frozen=True)
class PublicSite:
    """What allauth's templates call `current_site`: our name and public address, never
    the host a request happened to come in on."""

    name: str
    domain: str


def public_site() -> PublicSite:
    return PublicSite(name=PRODUCT_NAME, domain=urlsplit(settings.SITE_URL).netloc)


def on_public_site(url: str) -> str:
    """The same path, query and fragment on SITE_URL. allauth builds its links from the
    request (or the Sites framework); emails must carry the one public address."""
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return absolute_url(path + (f"#{parts.fragment}" if parts.fragment else ""))


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        # The context allauth would build, but the message goes to a task instead of being
        # sent inside the request, so a slow mail server never holds up a page.
        full_context = {
            "request": allauth_context.request,
            "email": email,
            **context,
            "current_site": public_site(),
            "site_url": settings.SITE_URL,
        }
        for key, value in context.items():
            if key.endswith("_url") and isinstance(value, str) and "://" in value:
                full_context[key] = on_public_site(value)
        email_enqueue(self.render_mail(template_prefix, email, full_context))

    def get_email_confirmation_url(self, request: HttpRequest, emailconfirmation: Any) -> str:
        return on_public_site(super().get_email_confirmation_url(request, emailconfirmation))

    def get_reset_password_from_key_url(self, key: str) -> str:
        return on_public_site(super().get_reset_password_from_key_url(key))

    def get_client_ip(self, request: HttpRequest) -> str:
        # allauth's rate limits count per this address; behind a proxy REMOTE_ADDR is the
        # proxy's, which would let one client's failures lock out everyone.
        return client_ip(request)
