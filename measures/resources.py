"""Import and export of a plan's measures and of their responsible executors.

A measure is named by its plan's code and its number; its section and its parent measure are
numbers within that plan. A responsibility is named by plan, measure number and agency code.
"""

from django.utils.translation import gettext_lazy as _
from import_export.fields import Field

from agencies.resources import NaturalKeyResource, NaturalKeyWidget, agency_by_code
from measures.models import Measure, Plan, Responsibility, Section


class PlanScopedWidget(NaturalKeyWidget):
    """An object named by its number within the plan in the row's "plan" column."""

    def get_queryset(self, value, row, *args, **kwargs):
        return self.model.objects.filter(plan__code=row.get("plan"))


def measure_by_number():
    return PlanScopedWidget(
        Measure, "number", _('Мероприятие "%(value)s" не найдено в плане "%(plan)s".')
    )


class MeasureResource(NaturalKeyResource):
    plan = Field(
        attribute="plan",
        widget=NaturalKeyWidget(Plan, "code", _('План с кодом "%(value)s" не найден.')),
    )
    section = Field(
        attribute="section",
        widget=PlanScopedWidget(
            Section, "number", _('Раздел "%(value)s" не найден в плане "%(plan)s".')
        ),
    )
    parent = Field(attribute="parent", widget=measure_by_number())

    class Meta:
        model = Measure
        import_id_fields = ("plan", "number")
        fields = (
            "plan",
            "section",
            "parent",
            "number",
            "position",
            "title",
            "title_kk",
            "completion_form",
            "responsible_text",
            "deadline_text",
            "first_year",
            "last_year",
            "open_to_interested",
            "reports_commission_meetings",
        )

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("plan", "section", "parent")


class ResponsibilityResource(NaturalKeyResource):
    # Read from the file only to find the measure; a responsibility has no plan of its own.
    plan = Field(attribute="measure__plan__code", readonly=True)
    measure = Field(attribute="measure", widget=measure_by_number())
    agency = Field(attribute="agency", widget=agency_by_code())

    class Meta:
        model = Responsibility
        import_id_fields = ("plan", "measure", "agency")
        fields = (
            "plan",
            "measure",
            "agency",
            "position",
            "by_agreement",
            "first_year",
            "last_year",
            "is_consolidator",
        )

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("measure__plan", "agency")
