from django.contrib import admin
from django.urls import path

from agencies.admin import SpreadsheetAdmin
from core.admin import ReadOnlyAdmin
from reporting import plan_loading
from reporting.models import (
    AnnualReport,
    Attachment,
    Indicator,
    IndicatorValue,
    ReportEntry,
    ReportingCycle,
    ReviewComment,
)
from reporting.resources import IndicatorResource


@admin.register(ReportingCycle)
class ReportingCycleAdmin(admin.ModelAdmin):
    """The reporting calendar: each year's deadlines and coordinator, as the plan's data. A new
    plan comes with its cycles from its workbook («Загрузить план из Excel»)."""

    list_display = ("year", "plan", "submission_deadline", "summary_deadline", "coordinator")
    list_filter = ("plan", "coordinator")
    list_select_related = ("plan", "coordinator")
    search_fields = ("plan__code", "plan__title", "coordinator__code", "coordinator__abbreviation")
    autocomplete_fields = ("coordinator",)

    def get_urls(self):
        def view(function):
            def wrapped(request):
                return function(request, self.admin_site.each_context(request))

            return self.admin_site.admin_view(wrapped)

        return [
            path(
                "load-plan/", view(plan_loading.upload), name="reporting_reportingcycle_load_plan"
            ),
            path(
                "load-plan/preview/",
                view(plan_loading.preview),
                name="reporting_reportingcycle_load_plan_preview",
            ),
            *super().get_urls(),
        ]


class ReportEntryInline(admin.TabularInline):
    model = ReportEntry
    fields = ("measure", "status", "narrative", "is_voluntary", "updated_by", "updated_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("measure", "updated_by")


@admin.register(AnnualReport)
class AnnualReportAdmin(ReadOnlyAdmin):
    list_display = ("agency", "cycle", "state", "submitted_at", "is_late", "reviewed_at")
    list_filter = ("state", "is_late", "cycle__year", "agency__kind")
    list_select_related = ("agency", "cycle__plan")
    search_fields = ("agency__code", "agency__abbreviation", "agency__name")
    inlines = [ReportEntryInline]


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = ("original_name", "entry", "content_type", "size", "uploaded_by", "uploaded_at")
    list_select_related = (
        "entry__report__agency",
        "entry__report__cycle__plan",
        "entry__measure",
        "uploaded_by",
    )
    list_filter = ("content_type",)
    search_fields = ("original_name", "entry__report__agency__code")
    exclude = ("file",)  # downloads go through the portal, which checks who may read the report


@admin.register(ReviewComment)
class ReviewCommentAdmin(ReadOnlyAdmin):
    list_display = ("report", "kind", "author", "created_at")
    list_select_related = ("report__agency", "report__cycle__plan", "author")
    list_filter = ("kind",)
    search_fields = ("text", "report__agency__code")


@admin.register(Indicator)
class IndicatorAdmin(SpreadsheetAdmin):
    """The figures each measure asks for: editable, and imported or exported as a spreadsheet
    with the plan's other tables."""

    resource_classes = [IndicatorResource]
    list_display = ("measure", "position", "name", "unit", "kind", "aggregation", "required")
    list_filter = ("measure__plan", "kind", "aggregation", "required")
    list_select_related = ("measure__plan",)
    search_fields = ("code", "name", "measure__number")
    autocomplete_fields = ("measure",)


@admin.register(IndicatorValue)
class IndicatorValueAdmin(ReadOnlyAdmin):
    """The agencies' figures: changed only in their reports, where the version and the history
    are kept."""

    list_display = ("entry", "indicator", "number", "flag")
    list_select_related = (
        "entry__report__agency",
        "entry__report__cycle__plan",
        "entry__measure",
        "indicator__measure",
    )
    list_filter = ("entry__report__cycle__year", "indicator__kind")
    search_fields = ("indicator__code", "entry__report__agency__code")
