"""Reads of the summary for the Government: what each measure's line consolidates, the summary's
lines, and a measure's lines across years."""

from dataclasses import dataclass, field

from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from agencies.models import Agency
from measures.models import Measure, Responsibility
from reporting.models import (
    AnnualReport,
    Indicator,
    IndicatorValue,
    ReportEntry,
    ReportingCycle,
    Summary,
    SummaryItem,
    display_value,
)
from reporting.selectors import cycle_expected_agencies
from reporting.summaries.consolidation import Part, consolidated_status, consolidated_text
from reporting.summaries.indicators import IndicatorTotal, line_totals


def _in_force(cycle: ReportingCycle):
    return Responsibility.objects.in_force(cycle.year).filter(measure__plan_id=cycle.plan_id)


def cycle_responsibilities(*, cycle: ReportingCycle) -> list[Responsibility]:
    """Every executor's responsibility in force in the cycle's year, in plan order."""
    return list(
        _in_force(cycle)
        .select_related("agency", "measure")
        .order_by("measure__position", "position")
    )


def cycle_responsible_pairs(*, cycle: ReportingCycle) -> set[tuple[int, int]]:
    """(agency id, measure id) of every responsibility in force in the cycle's year: the
    dashboard's matrix needs no more than that of its hundreds of rows. One query."""
    return set(_in_force(cycle).values_list("agency_id", "measure_id").order_by())


def cycle_reportable_measures(*, cycle: ReportingCycle) -> list[Measure]:
    """The measures reported on in the cycle's year: not headings, and with an executor."""
    return list(
        Measure.objects.filter(pk__in=_in_force(cycle).values("measure_id"))
        .select_related("section", "parent")
        .order_by("position")
    )


@dataclass
class ConsolidationLine:
    measure: Measure
    status: str
    text: str
    parts: list[Part]  # for showing the entries beside the summary's line
    totals: list[IndicatorTotal] = field(default_factory=list)  # reporting.summaries.indicators

    @property
    def status_label(self):
        return SummaryItem.Status(self.status).label


def consolidation_lines(*, cycle: ReportingCycle) -> list[ConsolidationLine]:
    """For each measure reported on in the cycle's year: the agencies' entries in the order of
    the plan's executors (then voluntary ones), the status and the text they consolidate to.
    Counts reports submitted or accepted, and only the agencies expected for the cycle. With
    each line, its indicators' totals. Six queries, whatever the size of the plan."""
    expected = {a.pk for a in cycle_expected_agencies(cycle=cycle)}
    responsibilities = [r for r in cycle_responsibilities(cycle=cycle) if r.agency_id in expected]
    entries = (
        ReportEntry.objects.filter(report__in=AnnualReport.objects.filter(cycle=cycle).counted())
        .select_related("report__agency")
        .prefetch_related("indicator_values")
        .order_by("report__agency__name")
    )
    by_key = {(e.measure_id, e.report.agency_id): e for e in entries}
    indicators: dict[int, list[Indicator]] = {}
    for indicator in Indicator.objects.filter(measure__in=_in_force(cycle).values("measure_id")):
        indicators.setdefault(indicator.measure_id, []).append(indicator)
    executors: dict[int, list[Agency]] = {}
    measures: dict[int, Measure] = {}
    for r in responsibilities:
        executors.setdefault(r.measure_id, []).append(r.agency)
        measures[r.measure_id] = r.measure
    lines = []
    for measure_id, agencies in executors.items():
        parts = [Part(agency, by_key.get((measure_id, agency.pk))) for agency in agencies]
        named = {a.pk for a in agencies}
        parts += [
            Part(e.report.agency, e, voluntary=True)
            for (m_id, agency_id), e in by_key.items()
            if m_id == measure_id and agency_id not in named
        ]
        status = consolidated_status(
            [p.entry.status if p.entry else None for p in parts if not p.voluntary]
        )
        totals = line_totals(indicators.get(measure_id, []), parts)
        lines.append(
            ConsolidationLine(measures[measure_id], status, consolidated_text(parts), parts, totals)
        )
    return sorted(lines, key=lambda line: line.measure.position)


def consolidation_line(*, cycle: ReportingCycle, measure: Measure) -> ConsolidationLine | None:
    """The consolidation of one measure (for the summary's edit page)."""
    return next(
        (line for line in consolidation_lines(cycle=cycle) if line.measure.pk == measure.pk), None
    )


def edited_items(*, cycle: ReportingCycle) -> list[SummaryItem]:
    """The lines of the cycle's summary that the secretariat edited (an overwrite loses them)."""
    return list(
        SummaryItem.objects.filter(summary__cycle=cycle, is_edited=True)
        .select_related("measure")
        .order_by("measure__position")
    )


def summary_items(*, summary: Summary) -> list[SummaryItem]:
    """The summary's lines in plan order, with their measures, sections and indicator totals."""
    return list(
        summary.items.select_related("measure__section", "measure__parent", "updated_by")
        .prefetch_related("indicator_totals")
        .order_by("measure__position")
    )


def measure_summary_items(*, measures: list[Measure], user) -> list[SummaryItem]:
    """The line of each of `measures` (a measure across plans) in each year's summary, by year:
    sent summaries for everyone, drafts too for those who read every report. One query."""
    items = SummaryItem.objects.filter(measure__in=measures).select_related(
        "summary__cycle__plan", "measure"
    )
    if not user.reads_every_report:
        items = items.filter(summary__state=Summary.State.SENT)
    return list(items.order_by("summary__cycle__year"))


@dataclass
class SendCheck:
    """What the confirmation of sending a summary says: who has not reported (their measures are
    "нет информации" or "информации недостаточно" in it), what is late, what the secretariat
    changed by hand."""

    summary: Summary
    expected: int
    not_started: list[Agency]
    drafts: list[Agency]
    returned: list[Agency]
    no_information: int
    insufficient: int
    edited: int
    is_late: bool

    @property
    def not_presented(self) -> int:
        return len(self.not_started) + len(self.drafts) + len(self.returned)


def send_check(*, summary: Summary) -> SendCheck:
    """The cycle as the sending of its summary would find it. Three queries."""
    cycle = summary.cycle
    agencies = cycle_expected_agencies(cycle=cycle)
    reports = {r.agency_id: r for r in AnnualReport.objects.filter(cycle=cycle)}
    not_started, drafts, returned = [], [], []
    for agency in agencies:
        report = reports.get(agency.pk)
        if report is None:
            not_started.append(agency)
        elif report.state == AnnualReport.State.DRAFT:
            drafts.append(agency)
        elif report.state == AnnualReport.State.RETURNED:
            returned.append(agency)
    statuses = list(summary.items.values_list("status", "is_edited"))
    return SendCheck(
        summary=summary,
        expected=len(agencies),
        not_started=not_started,
        drafts=drafts,
        returned=returned,
        no_information=sum(1 for s, _e in statuses if s == SummaryItem.Status.NO_INFORMATION),
        insufficient=sum(1 for s, _e in statuses if s == SummaryItem.Status.INSUFFICIENT),
        edited=sum(1 for _s, e in statuses if e),
        is_late=timezone.now() >= cycle.summary_closes_at,
    )


# Indicators across years


@dataclass
class YearFigure:
    year: int
    total: int | None  # the sum, the number of "yes", or None: not added up, or nobody answered
    answered: int

    @property
    def shown(self) -> str:
        return display_value(self.total) if self.total is not None else "—"


@dataclass
class IndicatorYears:
    """One indicator's figures by year (an indicator a measure keeps in a later plan, under the
    same code, is one series)."""

    indicator: Indicator
    years: list[YearFigure]

    @property
    def charted(self) -> bool:
        return self.indicator.is_added_up and any(y.total is not None for y in self.years)


def indicator_years(
    *, indicators: list[Indicator], years: list[int], user, agency=None, across_plans=False
) -> list[IndicatorYears]:
    """Each of `indicators` by year: over the reports counted that year (submitted or accepted,
    as in the summary), the sum of the values, or for a yes/no the number of "yes"; for one not
    added up across agencies, only how many answered (a single agency's value is shown as it is).
    Those who do not read every report see the years whose summary has been sent, as on the
    measure page; an agency's own people see its own figures. `agency` narrows to one agency.
    With `across_plans` (one measure across plans), indicators of the same code are one series.
    One query, whatever the number of indicators and years."""
    values = IndicatorValue.objects.filter(
        indicator__in=[i.pk for i in indicators],
        entry__report__state__in=AnnualReport.COUNTED_STATES,
    )
    if agency is not None:
        values = values.filter(entry__report__agency=agency)
    own = agency is not None and user.agency_id == agency.pk
    if not (user.reads_every_report or own):
        values = values.filter(entry__report__cycle__summary__state=Summary.State.SENT)
    rows = (
        values.values("indicator_id", year=F("entry__report__cycle__year"))
        .annotate(total=Sum("number"), yes=Count("pk", filter=Q(flag=True)), answered=Count("pk"))
        .order_by()
    )
    found = {(r["indicator_id"], r["year"]): r for r in rows}
    series: dict[object, IndicatorYears] = {}
    for indicator in indicators:
        key = indicator.code if across_plans else indicator.pk
        one = series.setdefault(
            key, IndicatorYears(indicator, [YearFigure(y, None, 0) for y in years])
        )
        one.indicator = indicator  # the latest plan's wording
        for figure in one.years:
            row = found.get((indicator.pk, figure.year))
            if row is None:
                continue
            figure.answered += row["answered"]
            if indicator.is_added_up or agency is not None:
                value = row["yes"] if indicator.is_yes_no else row["total"]
                figure.total = (figure.total or 0) + value
                if indicator.is_yes_no and agency is not None:
                    figure.total = bool(figure.total)
    return list(series.values())


def indicator_chart(series: list[IndicatorYears]) -> list[dict | None]:
    """What the page's script draws (json_script): for each series in order, the bars of a
    small chart, or None for one not charted (not added up, or no figures)."""
    return [
        {
            "label": one.indicator.label,
            "years": [str(y.year) for y in one.years],
            "data": [None if y.total is None else int(y.total) for y in one.years],
        }
        if one.charted
        else None
        for one in series
    ]


def measure_indicator_years(*, measures: list[Measure], user) -> list[IndicatorYears]:
    """The indicators of a measure across the plans it runs through, by each year it is
    reported in. Two queries (the indicators, their figures)."""
    indicators = list(
        Indicator.objects.filter(measure__in=measures).order_by(
            "measure__plan__start_year", "position", "code"
        )
    )
    years = sorted({y for m in measures for y in range(m.first_year, m.last_year + 1)})
    return indicator_years(indicators=indicators, years=years, user=user, across_plans=True)


def plan_indicator_years(*, plan, user) -> list[IndicatorYears]:
    """Every indicator of the plan by each of its years (the cycle's dashboard). Two queries."""
    indicators = list(
        Indicator.objects.filter(measure__plan=plan)
        .select_related("measure")
        .order_by("measure__position", "position", "code")
    )
    years = list(range(plan.start_year, plan.end_year + 1))
    return indicator_years(indicators=indicators, years=years, user=user)


def agency_indicator_years(*, agency, user) -> list[IndicatorYears]:
    """The figures the agency gave, by year, for every indicator it gave one for. Two queries."""
    indicators = list(
        Indicator.objects.filter(values__entry__report__agency=agency)
        .select_related("measure__plan")
        .distinct()
        .order_by("measure__plan__start_year", "measure__position", "position", "code")
    )
    plans = {i.measure.plan for i in indicators}
    years = sorted({y for p in plans for y in range(p.start_year, p.end_year + 1)})
    return indicator_years(indicators=indicators, years=years, user=user, agency=agency)
