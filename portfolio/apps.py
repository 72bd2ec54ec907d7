from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortfolioConfig(AppConfig):
    name = "portfolio"
    verbose_name = _("Portfolios")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from portfolio.review.context_processors import warm_unread_count

        user_logged_in.connect(warm_unread_count, dispatch_uid="portfolio.warm_unread_count")
