from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgenciesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "agencies"
    verbose_name = _("Ведомства и пользователи")

    def ready(self):
        from agencies import middleware  # noqa: F401 (connects the sign-in time receiver)
