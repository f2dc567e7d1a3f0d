from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin

from agencies import services
from agencies.forms import AgencyAdminForm
from agencies.models import Agency, AgencySuccession, AuditEvent, User
from agencies.resources import AgencyResource
from agencies.spreadsheets import SPREADSHEET_FORMATS, LimitedImportForm


class SpreadsheetAdmin(ImportExportModelAdmin):
    """Import and export in CSV and XLSX: a preview, then the import on confirmation. Every
    export writes formulas as text; an import is checked against its limits before it is read
    (agencies.spreadsheets)."""

    import_formats = export_formats = SPREADSHEET_FORMATS
    import_form_class = LimitedImportForm

    def process_result(self, result, request):
        # The confirmed import checks the rows again; if one fails now (the data changed since
        # the preview) nothing is written, and the stock "Import finished" would be untrue.
        if result.has_errors() or result.has_validation_errors():
            messages.error(
                request,
                _(
                    "Ничего не импортировано: после предпросмотра данные изменились и файл больше "
                    "не проходит проверку. Загрузите его снова."
                ),
            )
            return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_import")
        return super().process_result(result, request)


class SuccessorInline(admin.TabularInline):
    """Who carries the agency on from a date (a renamed, split or merged body): set its last
    day (active until) with it, and the successors' first."""

    model = AgencySuccession
    fk_name = "predecessor"
    fields = ("successor", "on", "basis")
    autocomplete_fields = ("successor",)
    extra = 0
    verbose_name = _("преемник")
    verbose_name_plural = _("преемники (переименование, разделение, слияние)")


@admin.register(Agency)
class AgencyAdmin(SpreadsheetAdmin):
    resource_classes = [AgencyResource]
    list_display = ("code", "abbreviation", "name", "kind", "by_agreement", "parent", "is_active")
    list_display_links = ("code", "abbreviation")
    list_filter = ("kind", "by_agreement", "is_active")
    list_select_related = ("parent",)
    search_fields = ("code", "abbreviation", "name")
    autocomplete_fields = ("parent",)
    form = AgencyAdminForm
    inlines = [SuccessorInline]


AGENCY_AND_ROLE = (_("Ведомство и роль"), {"fields": ("agency", "role")})


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        *DjangoUserAdmin.fieldsets[:2],  # type: ignore[index]
        AGENCY_AND_ROLE,  # type: ignore[arg-type]
        *DjangoUserAdmin.fieldsets[2:],  # type: ignore[index]
    )
    add_fieldsets = (*DjangoUserAdmin.add_fieldsets, AGENCY_AND_ROLE)
    list_display = ("username", "last_name", "first_name", "agency", "role", "is_active")
    list_filter = ("role", "agency__kind", "is_active", "is_staff", "is_superuser")
    list_select_related = ("agency",)
    search_fields = (
        *DjangoUserAdmin.search_fields,
        "agency__code",
        "agency__abbreviation",
        "agency__name",
    )
    autocomplete_fields = ("agency",)
    actions = ["reset_two_factor"]

    @admin.action(
        description=_("Сбросить двухфакторную аутентификацию (потерян телефон)"),
        permissions=["change"],
    )
    def reset_two_factor(self, request, queryset):
        users = [user for user in queryset if services.two_factor_reset(user=user)]
        self.message_user(
            request,
            _(
                "Двухфакторная аутентификация сброшена, пользователей: %(count)d. При следующем "
                "входе они подключат приложение-аутентификатор заново."
            )
            % {"count": len(users)},
            messages.SUCCESS,
        )


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The audit trail, to read: nobody adds, changes or deletes an event, superusers included."""

    list_display = (
        "created_at",
        "username",
        "ip_address",
        "action",
        "object_type",
        "object_id",
        "description",
    )
    list_display_links = ("created_at",)
    list_filter = ("action", "created_at")
    search_fields = ("username", "description", "ip_address")
    date_hierarchy = "created_at"
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
