from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortfolioConfig(AppConfig):
    name = "portfolio"
    verbose_name = _("Portfolios")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from portfolio.review.context_processors import warm_unread_count

        user_logged_in.connect(warm_unread_count, dispatch_uid="portfolio.warm_unread_count")
        _connect_showcase_versions()


def _connect_showcase_versions() -> None:
    """Saves and deletes in the leaf apps bump the version of the shared pages showing
    them (portfolio/showcases/versions.py): they cannot call portfolio themselves."""
    from django.contrib.auth import get_user_model
    from django.db.models.signals import post_save, pre_delete

    from artefacts.models import Artefact
    from artefacts.signals import previews_settled
    from badges.models import Badge
    from portfolio.showcases import versions
    from reflections.models import Reflection

    for model in (Artefact, Reflection, Badge):
        uid = f"portfolio.showcase_version.{model.__name__}"
        post_save.connect(versions.target_saved, sender=model, dispatch_uid=f"{uid}.saved")
        pre_delete.connect(versions.target_deleting, sender=model, dispatch_uid=f"{uid}.deleting")
    previews_settled.connect(
        versions.artefact_previews_settled, dispatch_uid="portfolio.showcase_version.previews"
    )
    post_save.connect(
        versions.owner_saved,
        sender=get_user_model(),
        dispatch_uid="portfolio.showcase_version.owner",
    )
