from django import template
from django.utils.translation import gettext_lazy as _

from badges.wording import check_message, checks_reason

register = template.Library()

_CREDIT_LABELS = {
    "creditsAvailable": _("Credits available"),
    "fieldOfStudy": _("Field of study"),
    "humanCode": _("Code"),
    "achievementType": _("Kind of achievement"),
    "specialization": _("Specialisation"),
    "version": _("Version"),
    "inLanguage": _("Language"),
}


@register.filter
def credit_label(key: str) -> str:
    """A plain label for an issuer-stated credit field (OB 3.0 achievement property)."""
    return str(_CREDIT_LABELS.get(key, key))


register.filter("check_message", check_message)
register.filter("checks_reason", checks_reason)
