from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.admin import ReadOnlyAdmin
from publication import services
from publication.models import ApiRequestLog, ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens of the API: an admin issues one per consuming system («Добавить»: the system's
    name; the token is shown once, on the next page, and only its hash is kept) and revokes it
    (the list's action). A token is never changed or deleted: its requests stay in the log."""

    list_display = ("system", "prefix", "created_at", "created_by", "last_used_at", "revoked_at")
    list_filter = (("revoked_at", admin.EmptyFieldListFilter),)
    search_fields = ("system", "prefix")
    readonly_fields = (
        "prefix", "created_at", "created_by", "last_used_at", "revoked_at", "revoked_by",
    )  # fmt: skip
    actions = ["revoke"]

    def get_fields(self, request, obj=None):
        return ["system"] if obj is None else ["system", *self.readonly_fields]

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is None else ["system", *self.readonly_fields]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:  # nothing of an issued token changes here
            return
        token, raw = services.api_token_issue(system=obj.system, user=request.user)
        obj.pk, obj._raw_token = token.pk, raw
        obj.refresh_from_db()

    def response_add(self, request, obj, post_url_continue=None):
        # The raw token is on this page only: not in a message (a cookie or the session),
        # nowhere in the database.
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "token": obj,
            "raw_token": obj._raw_token,
            "title": _("Ключ API выдан"),
        }
        return TemplateResponse(request, "admin/publication/apitoken/issued.html", context)

    @admin.action(description=gettext_lazy("Отозвать выбранные ключи"), permissions=["change"])
    def revoke(self, request, queryset):
        tokens = list(queryset.filter(revoked_at__isnull=True))
        revoked = str(ApiToken._meta.get_field("revoked_at").verbose_name)
        for token in tokens:
            services.api_token_revoke(token=token, user=request.user)
            # In the admin's history of the token too, beside its issue (the addition).
            self.log_change(request, token, [{"changed": {"fields": [revoked]}}])
        self.message_user(
            request,
            _("Отозвано ключей: %(count)s.") % {"count": len(tokens)},
            messages.SUCCESS,
        )


@admin.register(ApiRequestLog)
class ApiRequestLogAdmin(ReadOnlyAdmin):
    """Every request to the API, read-only."""

    list_display = ("created_at", "token", "method", "path", "status_code", "ip_address")
    list_filter = ("status_code", "method", "token")
    search_fields = ("path", "token__system", "ip_address")
    date_hierarchy = "created_at"
    list_select_related = ("token",)
