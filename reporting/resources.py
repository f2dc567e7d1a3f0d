"""Import and export of the measures' indicators. An indicator is named by its plan's code, its
measure's number and its own code; the checks and limits are those of every resource here
(agencies.resources: no formulas, whole numbers, all rows or none)."""

from import_export.fields import Field

from agencies.resources import NaturalKeyResource
from measures.resources import measure_by_number
from reporting.models import Indicator


class IndicatorResource(NaturalKeyResource):
    # Read from the file only to find the measure; an indicator has no plan of its own.
    plan = Field(attribute="measure__plan__code", readonly=True)
    measure = Field(attribute="measure", widget=measure_by_number())

    class Meta:
        model = Indicator
        import_id_fields = ("plan", "measure", "code")
        fields = (
            "plan",
            "measure",
            "code",
            "position",
            "name",
            "unit",
            "kind",
            "aggregation",
            "required",
        )

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("measure__plan")
