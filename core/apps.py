from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """What every app of the portal shares (README, "Architecture"). It imports no app of ours."""

    name = "core"
    verbose_name = _("Общее")
