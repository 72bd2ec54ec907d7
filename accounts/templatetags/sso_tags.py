"""Template helpers for the sign-in and sign-up pages."""

from django import template

from accounts.sso.selectors import sso_offered as _sso_offered

register = template.Library()


@register.simple_tag
def sso_offered() -> bool:
    return _sso_offered()
