from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgenciesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "agencies"
    verbose_name = _("Ведомства и пользователи")

    def ready(self):
        from agencies import middleware  # noqa: F401 (connects the sign-in time receiver)

        self._connect_audit_trail()

    @staticmethod
    def _connect_audit_trail():
        from django.contrib.auth import signals

        from agencies import audit

        signals.user_logged_in.connect(audit.record_sign_in, dispatch_uid="audit_sign_in")
        signals.user_login_failed.connect(
            audit.record_sign_in_failure, dispatch_uid="audit_sign_in_failure"
        )
        signals.user_logged_out.connect(audit.record_sign_out, dispatch_uid="audit_sign_out")
