"""Reads of the plan: what the pages show, in a fixed number of queries."""

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from agencies.models import Agency
from measures.models import Measure, Plan, Responsibility, Section


def plan_list() -> list[Plan]:
    return list(Plan.objects.prefetch_related("cycles__coordinator"))


@dataclass
class SectionRows:
    section: Section
    measures: list[Measure] = field(default_factory=list)


def _plan_measures(plan: Plan) -> QuerySet[Measure]:
    return (
        plan.measures.select_related("section", "parent", "plan")
        .annotate(is_heading=Exists(Measure.objects.filter(parent=OuterRef("pk"))))
        .order_by("position")
    )


def plan_table(*, plan: Plan, agency: Agency | None = None, year: int | None = None):
    """The plan's table grouped by section, keeping the measures that `agency` answers for in
    `year` (either may be None: no filter). A heading is kept when any of its sub-measures is.

    Two queries whatever the plan's size (measures, sections), and one more for the agency's
    responsibilities when filtered by agency.
    """
    measures = list(_plan_measures(plan))
    kept = {m.pk for m in measures if year is None or year in m.years}
    if agency is not None:
        by_pk = {m.pk: m for m in measures}
        answered = set()
        for responsibility in Responsibility.objects.filter(measure__plan=plan, agency=agency):
            responsibility.measure = by_pk[responsibility.measure_id]  # for its years
            if year is None or year in responsibility.years:
                answered.add(responsibility.measure_id)
        kept &= answered
    kept |= {m.parent_id for m in measures if m.pk in kept and m.parent_id}
    rows = {s.pk: SectionRows(section=s) for s in plan.sections.order_by("number")}
    for measure in measures:
        if measure.pk in kept:
            rows[measure.section_id].measures.append(measure)
    return [r for r in rows.values() if r.measures]


def measure_detail(*, plan: Plan, number: str) -> Measure:
    """The measure with its section, parent, sub-measures and executors, the measure it
    continues from an earlier plan and those that continue it in later ones (raises
    DoesNotExist)."""
    return (
        _plan_measures(plan)
        .select_related("predecessor__plan")
        .prefetch_related(
            Prefetch(
                "responsibilities",
                queryset=Responsibility.objects.select_related("agency").order_by("position"),
            ),
            Prefetch("children", queryset=Measure.objects.order_by("position")),
            Prefetch(
                "continuations",
                queryset=Measure.objects.select_related("plan").order_by("plan__start_year"),
            ),
        )
    ).get(number=number)


def measure_lineage(measure: Measure) -> list[Measure]:
    """The measure across plans, earliest first: what it continues, itself, what continues it
    (loaded by `measure_detail`)."""
    return [
        *([measure.predecessor] if measure.predecessor_id else []),
        measure,
        *measure.continuations.all(),
    ]


@dataclass
class YearAssignments:
    year: int
    responsibilities: list[Responsibility]
    open_measures: list[Measure]


def agency_assignments(*, agency: Agency) -> list[tuple[Plan, list[YearAssignments]]]:
    """For each plan, year by year: the measures `agency` answers for, and the measures open to
    interested bodies on which it may report of its own accord."""
    responsibilities = list(
        Responsibility.objects.filter(agency=agency)
        .select_related("measure__plan", "measure__section")
        .order_by("measure__plan", "measure__position")
    )
    open_measures = list(
        Measure.objects.filter(open_to_interested=True)
        .exclude(responsibilities__agency=agency)
        .select_related("plan")
        .order_by("plan", "position")
    )
    plans = {r.measure.plan for r in responsibilities} | {m.plan for m in open_measures}
    result = []
    for plan in sorted(plans, key=lambda p: (-p.start_year, p.code)):
        years = [
            YearAssignments(
                year=year,
                responsibilities=[
                    r for r in responsibilities if r.measure.plan_id == plan.pk and year in r.years
                ],
                open_measures=[
                    m for m in open_measures if m.plan_id == plan.pk and year in m.years
                ],
            )
            for year in plan.years
        ]
        result.append((plan, years))
    return result
