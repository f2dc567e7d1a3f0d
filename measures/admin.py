from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from agencies.admin import SpreadsheetAdmin
from measures.models import Measure, Plan, Responsibility, Section
from measures.resources import MeasureResource, ResponsibilityResource


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "title",
        "resolution_number",
        "resolution_date",
        "start_year",
        "end_year",
    )
    list_filter = ("start_year", "end_year")
    search_fields = ("code", "title", "resolution_number")


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ("number", "title", "plan")
    list_display_links = ("number", "title")
    list_filter = ("plan",)
    list_select_related = ("plan",)
    search_fields = ("title",)


class ResponsibilityInline(admin.TabularInline):
    model = Responsibility
    fields = ("position", "agency", "by_agreement", "first_year", "last_year", "is_consolidator")
    ordering = ("position",)
    autocomplete_fields = ("agency",)
    extra = 0


@admin.register(Measure)
class MeasureAdmin(SpreadsheetAdmin):
    resource_classes = [MeasureResource]
    list_display = ("number", "title", "section", "first_year", "last_year", "open_to_interested")
    list_filter = ("plan", "section", "open_to_interested", "first_year", "last_year")
    list_select_related = ("section",)
    search_fields = ("number", "title", "responsible_text")
    inlines = [ResponsibilityInline]
    autocomplete_fields = ("predecessor",)


@admin.register(Responsibility)
class ResponsibilityAdmin(SpreadsheetAdmin):
    resource_classes = [ResponsibilityResource]
    list_display = (
        "measure_number",
        "agency",
        "position",
        "by_agreement",
        "first_year",
        "last_year",
        "is_consolidator",
    )
    list_display_links = ("measure_number", "agency")
    list_filter = ("by_agreement", "is_consolidator", "agency__kind", "measure__plan")
    list_select_related = ("measure", "agency")
    search_fields = ("measure__number", "agency__code", "agency__abbreviation", "agency__name")
    autocomplete_fields = ("measure", "agency")

    @admin.display(description=_("мероприятие"), ordering="measure__position")
    def measure_number(self, obj):
        return obj.measure.number
