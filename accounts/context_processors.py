"""Navigation links for the signed-in person's role, built in one place."""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Role

_NAVIGATION: dict[str, list[tuple[str, Any]]] = {
    Role.LEARNER: [
        ("portfolio:learner_dashboard", _("Dashboard")),
        ("portfolio:library", _("Evidence library")),
        ("portfolio:formative", _("Formative portfolio")),
        ("badges:list", _("Badges")),
        ("showcases:list", _("Showcases")),
        ("apel:claim_list", _("APEL claims")),
        ("review:inbox", _("Feedback")),
        ("review:plan", _("Plan")),
        ("apel:programme_list", _("Programmes")),
        ("artefacts:add", _("Add evidence")),
    ],
    Role.TUTOR: [
        ("review_tutor:dashboard", _("Review")),
        ("accounts:tutor_dashboard", _("My cohorts")),
    ],
    Role.ADMIN: [
        ("accounts:institution_dashboard", _("Institution")),
        ("institutions:home", _("Staff pages")),
    ],
}


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_links": []}
    path = request.path
    links = []
    for url_name, label in _NAVIGATION.get(user.role, []):
        url = reverse(url_name)
        links.append({"name": url_name, "url": url, "label": label, "current": path == url})
    return {"nav_links": links}
