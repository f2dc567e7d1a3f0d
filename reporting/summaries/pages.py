"""What the summary adds to pages of the apps below it (core.pages)."""

from core.pages import Contribution, register
from measures.selectors import measure_lineage
from reporting.summaries import selectors


def measure_years(*, user, measure) -> Contribution:
    """The measure page: the measure's line in each year's summary, across the plans it runs
    through (it may continue a measure of an earlier plan)."""
    items = selectors.measure_summary_items(measures=measure_lineage(measure), user=user)
    return Contribution("summaries/includes/measure_years.html", {"summary_items": items})


def register_all() -> None:
    register("measure", measure_years)
