from django.contrib import admin

from reporting.models import ReportingCycle


@admin.register(ReportingCycle)
class ReportingCycleAdmin(admin.ModelAdmin):
    list_display = ("year", "plan", "submission_deadline", "summary_deadline", "coordinator")
    list_filter = ("plan", "coordinator")
    list_select_related = ("plan", "coordinator")
    search_fields = ("plan__code", "plan__title", "coordinator__code", "coordinator__abbreviation")
    autocomplete_fields = ("coordinator",)
