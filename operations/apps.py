from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    """Running the portal, not the Resolution: backups and restore, the database's creation,
    demo accounts and data, scale data for the benchmark. It may use every app; none uses it."""

    name = "operations"
    verbose_name = _("Эксплуатация")
