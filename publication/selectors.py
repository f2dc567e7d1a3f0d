"""What the portal publishes, and nothing else: the plans, their sections, measures and
executors, the reporting calendar, the agencies, and the summaries AS SENT to the Government.
Never a draft summary, an agency's report or its narrative, a document, or anyone's account:
every read of the API and of the public pages goes through these functions, and none of them
touches those models."""

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from agencies.models import Agency
from measures.models import Measure, Plan, Responsibility, Section
from reporting.models import ReportingCycle, Summary, SummaryIndicatorTotal, SummaryItem


def published_plans() -> QuerySet[Plan]:
    return Plan.objects.order_by("-start_year", "code")


def published_sections(*, plan: Plan | None = None) -> QuerySet[Section]:
    sections = Section.objects.select_related("plan").order_by("plan__code", "number")
    return sections.filter(plan=plan) if plan is not None else sections


def published_measures(
    *, plan: Plan | None = None, year: int | None = None, agency: Agency | None = None
) -> QuerySet[Measure]:
    """Measures in plan order with their section, heading and executors (agency loaded); `year`
    keeps those reported on that year (headings whose sub-measures are), `agency` those it
    executes (in `year`, when given). Three queries for any page of them."""
    measures = Measure.objects.select_related("plan", "section", "parent").prefetch_related(
        Prefetch(
            "responsibilities",
            queryset=Responsibility.objects.select_related("agency").order_by("position"),
        )
    )
    if plan is not None:
        measures = measures.filter(plan=plan)
    if year is not None:
        measures = measures.filter(first_year__lte=year, last_year__gte=year)
    if agency is not None:
        executing = Responsibility.objects.filter(agency=agency)
        if year is not None:
            executing = executing.in_force(year)
        measures = measures.filter(pk__in=executing.values("measure_id"))
    return measures.order_by("plan__code", "position")


def published_cycles(*, plan: Plan | None = None, year: int | None = None):
    cycles = ReportingCycle.objects.select_related("plan", "coordinator").order_by(
        "plan__code", "year"
    )
    if plan is not None:
        cycles = cycles.filter(plan=plan)
    if year is not None:
        cycles = cycles.filter(year=year)
    return cycles


def published_agencies(*, kind: str = "", plan: Plan | None = None) -> QuerySet[Agency]:
    agencies = Agency.objects.select_related("parent").order_by("code")
    if kind:
        agencies = agencies.filter(kind=kind)
    if plan is not None:
        agencies = agencies.filter(
            pk__in=Responsibility.objects.filter(measure__plan=plan).values("agency_id")
        )
    return agencies


def sent_summaries(*, plan: Plan | None = None, year: int | None = None) -> QuerySet[Summary]:
    """The summaries sent to the Government (a draft never), oldest year first."""
    summaries = Summary.objects.filter(state=Summary.State.SENT).select_related(
        "cycle__plan", "cycle__coordinator"
    )
    if plan is not None:
        summaries = summaries.filter(cycle__plan=plan)
    if year is not None:
        summaries = summaries.filter(cycle__year=year)
    return summaries.order_by("cycle__plan__code", "cycle__year")


def sent_summary_lines(
    *,
    plan: Plan | None = None,
    year: int | None = None,
    measure: Measure | None = None,
    agency: Agency | None = None,
    summary: Summary | None = None,
) -> QuerySet[SummaryItem]:
    """The lines of sent summaries, as sent: per measure, its status, text and indicator totals.
    `agency` keeps the lines of the measures it executed in that line's year."""
    totals = SummaryIndicatorTotal.objects.select_related("indicator")
    lines = (
        SummaryItem.objects.filter(summary__state=Summary.State.SENT)
        .select_related("summary__cycle__plan", "measure")
        .prefetch_related(Prefetch("indicator_totals", queryset=totals))
    )
    if summary is not None:
        lines = lines.filter(summary=summary)
    if plan is not None:
        lines = lines.filter(summary__cycle__plan=plan)
    if year is not None:
        lines = lines.filter(summary__cycle__year=year)
    if measure is not None:
        lines = lines.filter(measure=measure)
    if agency is not None:
        # In force in the line's own year: an executor's years within the measure's.
        in_force = Responsibility.objects.filter(agency=agency).filter(
            measure__first_year__lte=OuterRef("summary__cycle__year"),
            measure__last_year__gte=OuterRef("summary__cycle__year"),
        )
        in_force = in_force.filter(
            Q(first_year__isnull=True) | Q(first_year__lte=OuterRef("summary__cycle__year")),
            Q(last_year__isnull=True) | Q(last_year__gte=OuterRef("summary__cycle__year")),
            measure=OuterRef("measure"),
        )
        lines = lines.filter(Exists(in_force))
    return lines.order_by("summary__cycle__plan__code", "summary__cycle__year", "measure__position")


# The public page of a plan


@dataclass
class PublishedYear:
    year: int
    line: SummaryItem | None  # None: no sent summary that year, or no line for the measure


@dataclass
class PublishedMeasure:
    measure: Measure
    years: list[PublishedYear] = field(default_factory=list)


@dataclass
class PublishedSection:
    section: Section
    measures: list[PublishedMeasure] = field(default_factory=list)


@dataclass
class PublishedPlan:
    plan: Plan
    sent_years: list[int]
    sections: list[PublishedSection]


def plan_publication(*, plan: Plan) -> PublishedPlan:
    """The plan's sections and measures in order, and for each measure the line of each sent
    summary of the years it is reported on. Four queries, whatever the size of the plan."""
    summaries = list(sent_summaries(plan=plan))
    sent_years = [s.cycle.year for s in summaries]
    lines = {
        (line.measure_id, line.summary.cycle.year): line for line in sent_summary_lines(plan=plan)
    }
    sections = {s.pk: PublishedSection(s) for s in published_sections(plan=plan)}
    measures = list(Measure.objects.filter(plan=plan).order_by("position"))
    headings = {m.parent_id for m in measures if m.parent_id}
    for measure in measures:
        published = PublishedMeasure(measure)
        if measure.pk not in headings:  # a heading has no line: its sub-measures have them
            published.years = [
                PublishedYear(year, lines.get((measure.pk, year)))
                for year in sent_years
                if measure.first_year <= year <= measure.last_year
            ]
        sections[measure.section_id].measures.append(published)
    return PublishedPlan(plan=plan, sent_years=sent_years, sections=list(sections.values()))
