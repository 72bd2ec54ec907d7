"""An institution's name where people meet it away from our pages: emails."""

from email.utils import formataddr, parseaddr

from django.conf import settings

from accounts.institutions.models import Institution


def institution_from_email(institution: Institution) -> str:
    """Our sending address, with the institution's name as the From name, so the
    person sees who invited them ("Northfield College via Learner Portfolio")."""
    site_name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    name = " ".join(institution.name.split())  # a header is one line, whatever was typed
    label = f"{name} via {site_name}" if site_name else name
    return formataddr((label, address or settings.DEFAULT_FROM_EMAIL))
