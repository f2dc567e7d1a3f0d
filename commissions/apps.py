from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommissionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "commissions"
    verbose_name = _("Комиссии и региональные планы")

    def ready(self):
        from commissions import pages

        pages.register_all()
