from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicationConfig(AppConfig):
    """What the portal publishes outside: the read-only API for other government systems and
    the public pages of what the Government was told (README, "API and public pages"). The top
    of the dependency order: it reads every app below it and none imports it."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "publication"
    verbose_name = _("Публикация")
