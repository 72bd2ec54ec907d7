from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArtefactsConfig(AppConfig):
    name = "artefacts"
    verbose_name = _("Artefacts")
