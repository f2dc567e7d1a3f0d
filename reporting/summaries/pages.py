"""What the summary adds to pages of the apps below it (core.pages)."""

from django.utils.translation import gettext as _

from core.pages import Contribution, register
from measures.selectors import measure_lineage
from reporting.summaries import selectors

INDICATORS = "summaries/includes/indicator_years.html"


def _indicators(series, *, title, note, **more) -> dict:
    return {
        "indicator_series": series,
        "indicator_chart": selectors.indicator_chart(series),
        "indicator_title": title,
        "indicator_note": note,
        "indicator_scripts": True,  # the page has no chart of its own
        **more,
    }


def measure_years(*, user, measure) -> Contribution:
    """The measure page: the measure's line in each year's summary, across the plans it runs
    through (it may continue a measure of an earlier plan)."""
    items = selectors.measure_summary_items(measures=measure_lineage(measure), user=user)
    return Contribution("summaries/includes/measure_years.html", {"summary_items": items})


def measure_indicators(*, user, measure) -> Contribution | None:
    """The measure page: its indicators' totals by year, a table and small charts."""
    series = selectors.measure_indicator_years(measures=measure_lineage(measure), user=user)
    if not series:
        return None
    return Contribution(
        INDICATORS, _indicators(series, title=_("Показатели по годам"), note=years_note())
    )


def agency_indicators(*, agency, user) -> Contribution | None:
    """The agency page: the figures it gave, by year."""
    series = selectors.agency_indicator_years(agency=agency, user=user)
    if not series:
        return None
    context = _indicators(
        series,
        title=_("Показатели ведомства по годам"),
        note=_("Значения из отчётов ведомства, представленных или принятых за каждый год."),
        show_measure=True,
        indicator_agency=agency,
    )
    return Contribution(INDICATORS, context)


def years_note() -> str:
    return _(
        "Итог за каждый год — по отчётам, представленным или принятым (как в сводной "
        "информации): сумма значений ведомств или число ответов «да». Показатели, которые не "
        "складываются по ведомствам, не суммируются."
    )


def register_all() -> None:
    register("measure", measure_years)
    register("measure", measure_indicators)
    register("agency", agency_indicators)
