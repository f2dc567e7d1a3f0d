from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.mail import mail_retry
from core.models import OutgoingMail


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records that change only through the portal's services, which check who may do what
    and keep the history and the audit trail (reports, the commissions' registers): the admin
    shows them and changes nothing."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OutgoingMail)
class OutgoingMailAdmin(ReadOnlyAdmin):
    """The mail queue: what was sent, what waits for another attempt, and what could not be
    delivered, with the mail server's answer. Failed messages can be sent again."""

    list_display = ("created_at", "to", "subject", "status", "attempts", "next_attempt_at")
    list_filter = ("status",)
    search_fields = ("to", "subject")
    date_hierarchy = "created_at"
    actions = ["send_again"]

    @admin.action(
        description=gettext_lazy("Отправить снова (недоставленные)"), permissions=["resend"]
    )
    def send_again(self, request, queryset):
        count = mail_retry(mails=queryset)
        self.message_user(
            request,
            _("Снова в очереди писем: %(count)s. Их доставит обработчик задач.") % {"count": count},
            messages.SUCCESS if count else messages.WARNING,
        )

    def has_resend_permission(self, request):
        return request.user.is_superuser
