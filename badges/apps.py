from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class BadgesConfig(AppConfig):
    name = "badges"
    verbose_name = _("Badges")

    def ready(self) -> None:
        post_migrate.connect(_recheck_unreported_badges, sender=self)


def _recheck_unreported_badges(**_kwargs: Any) -> None:
    """After migrate, check again every badge that has no verification report yet (checked
    under rules older than issuer identity; see migration 0003)."""
    from badges.tasks import badges_recheck_unreported

    badges_recheck_unreported()
