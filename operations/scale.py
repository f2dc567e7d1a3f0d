"""Synthetic data at scale: many plans shaped like Resolution No. 609, for load tests and
query budgets. Everything is written with bulk_create (no history rows, no audit events), and
the same seed gives the same data."""

import datetime
import json
import random
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from agencies.models import Agency, User
from measures.models import Measure, Plan, Responsibility, Section
from reporting.models import (
    AnnualReport,
    Attachment,
    Indicator,
    IndicatorValue,
    Reminder,
    ReportEntry,
    ReportingCycle,
    ReviewComment,
    Summary,
    SummaryIndicatorTotal,
    SummaryItem,
)

PREFIX = "scale-"
AGENCY_COUNT = 200
AKIMAT_SHARE = 0.17
FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "plan_2018_2020.json"
TEMPLATE_PLAN = "trafficking-2018-2020"
SECRETARIAT_USERNAME = "scale.secretariat"
BATCH = 2000
NARRATIVE = (
    "За отчётный год проведено {n} мероприятий: совещания, проверки и информационная работа. "
    "Подготовлены методические рекомендации, результаты направлены в рабочий орган МВК."
)
STATUSES = [s.value for s in ReportEntry.Status]
STATES = [
    (AnnualReport.State.ACCEPTED, 45),
    (AnnualReport.State.SUBMITTED, 25),
    (AnnualReport.State.RETURNED, 10),
    (AnnualReport.State.DRAFT, 20),
]


class ScaleDataExists(Exception):
    pass


@dataclass
class Template:
    """The fixture plan's shape: sections, measures and executors, agencies by code."""

    plan: dict
    sections: list[dict]
    measures: list[dict]  # in position order, "parent" is the parent's number or None
    responsibilities: list[dict]  # "measure" is the number, "agency" the code
    cycles: list[dict]
    agency_kinds: dict[str, str]
    indicators: list[dict] = field(default_factory=list)  # "measure" is the number


@dataclass
class Counts:
    plans: int = 0
    agencies: int = 0
    sections: int = 0
    measures: int = 0
    responsibilities: int = 0
    cycles: int = 0
    reports: int = 0
    entries: int = 0
    summaries: int = 0
    summary_items: int = 0
    indicators: int = 0
    indicator_values: int = 0
    states: dict = field(default_factory=dict)


def load_template() -> Template:
    objects = json.loads(FIXTURE.read_text(encoding="utf-8"))
    by_model: dict[str, list[dict]] = {}
    for obj in objects:
        by_model.setdefault(obj["model"], []).append(obj["fields"])
    measures = sorted(by_model["measures.measure"], key=lambda m: m["position"])
    return Template(
        plan=next(p for p in by_model["measures.plan"] if p["code"] == TEMPLATE_PLAN),
        sections=[s for s in by_model["measures.section"] if s["plan"] == [TEMPLATE_PLAN]],
        measures=[
            {**m, "section": m["section"][1], "parent": m["parent"][1] if m["parent"] else None}
            for m in measures
            if m["plan"] == [TEMPLATE_PLAN]
        ],
        responsibilities=[
            {**r, "measure": r["measure"][1], "agency": r["agency"][0]}
            for r in by_model["measures.responsibility"]
            if r["measure"][0] == TEMPLATE_PLAN
        ],
        cycles=[c for c in by_model["reporting.reportingcycle"] if c["plan"] == [TEMPLATE_PLAN]],
        agency_kinds={a["code"]: a["kind"] for a in by_model["agencies.agency"]},
        indicators=[
            {**i, "measure": i["measure"][1]}
            for i in by_model.get("reporting.indicator", [])
            if i["measure"][0] == TEMPLATE_PLAN
        ],
    )


def scale_data_exists() -> bool:
    return (
        Plan.objects.filter(code__startswith=PREFIX).exists()
        or Agency.objects.filter(code__startswith=PREFIX).exists()
    )


def _raw_delete(qs):
    # QuerySet.delete() would load every row and write a history row for each (simple-history
    # listens to post_delete); the synthetic data has no history to keep.
    qs._raw_delete(qs.db)


@transaction.atomic
def scale_data_delete() -> None:
    """Delete the synthetic plans, their cycles, reports and summaries, and the synthetic
    agencies. Fixture data is untouched."""
    plans = Plan.objects.filter(code__startswith=PREFIX)
    cycles = ReportingCycle.objects.filter(plan__in=plans)
    _raw_delete(SummaryIndicatorTotal.objects.filter(item__summary__cycle__in=cycles))
    _raw_delete(SummaryItem.objects.filter(summary__cycle__in=cycles))
    _raw_delete(Summary.objects.filter(cycle__in=cycles))
    _raw_delete(ReportingCycle.expected_agencies.through.objects.filter(reportingcycle__in=cycles))
    _raw_delete(Reminder.objects.filter(cycle__in=cycles))
    _raw_delete(Attachment.objects.filter(entry__report__cycle__in=cycles))
    _raw_delete(ReviewComment.objects.filter(report__cycle__in=cycles))
    _raw_delete(IndicatorValue.objects.filter(entry__report__cycle__in=cycles))
    _raw_delete(ReportEntry.objects.filter(report__cycle__in=cycles))
    _raw_delete(AnnualReport.objects.filter(cycle__in=cycles))
    _raw_delete(cycles)
    _raw_delete(Responsibility.objects.filter(measure__plan__in=plans))
    _raw_delete(Indicator.objects.filter(measure__plan__in=plans))
    _raw_delete(Measure.objects.filter(plan__in=plans))
    _raw_delete(Section.objects.filter(plan__in=plans))
    _raw_delete(plans)
    User.objects.filter(username=SECRETARIAT_USERNAME).delete()
    # People attached to synthetic agencies (a benchmark's, a tester's) keep their accounts and
    # audit events, but lose the agency, which would otherwise protect it, and cannot sign in.
    User.objects.filter(agency__code__startswith=PREFIX).update(agency=None, is_active=False)
    Agency.objects.filter(code__startswith=PREFIX).delete()


def _agencies(rng: random.Random) -> list[Agency]:
    akimats = round(AGENCY_COUNT * AKIMAT_SHARE)
    kinds = [Agency.Kind.AKIMAT] * akimats
    others = [Agency.Kind.MINISTRY, Agency.Kind.STATE_BODY, Agency.Kind.ORGANIZATION]
    kinds += [others[i % 3] for i in range(AGENCY_COUNT - akimats)]
    rng.shuffle(kinds)
    labels = {
        Agency.Kind.MINISTRY: ("Министерство", "М"),
        Agency.Kind.STATE_BODY: ("Агентство", "А"),
        Agency.Kind.AKIMAT: ("Акимат области", ""),
        Agency.Kind.ORGANIZATION: ("Организация", "О"),
    }
    agencies = []
    for i, kind in enumerate(kinds, start=1):
        name, abbr = labels[kind]
        agencies.append(
            Agency(
                code=f"{PREFIX}{i:03d}",
                abbreviation=f"{abbr}{i:03d}" if abbr else "",
                name=f"{name} № {i:03d} (синтетическое)",
                kind=kind,
                by_agreement=kind == Agency.Kind.STATE_BODY and i % 4 == 0,
            )
        )
    return Agency.objects.bulk_create(agencies, batch_size=BATCH)


def _executors(template, pool, rng) -> dict[str, Agency]:
    """The template's executors mapped onto synthetic agencies: akimats onto akimats."""
    akimats = [a for a in pool if a.kind == Agency.Kind.AKIMAT]
    others = [a for a in pool if a.kind != Agency.Kind.AKIMAT]
    codes = sorted({r["agency"] for r in template.responsibilities} | {"mvd", "mtszn"})
    template_akimats = [c for c in codes if template.agency_kinds[c] == Agency.Kind.AKIMAT]
    template_others = [c for c in codes if template.agency_kinds[c] != Agency.Kind.AKIMAT]
    mapping = dict(zip(template_akimats, rng.sample(akimats, len(template_akimats)), strict=True))
    mapping |= dict(zip(template_others, rng.sample(others, len(template_others)), strict=True))
    return mapping


def _copy_structure(template, plan, copy, executors):
    """Sections, measures and responsibilities of one copy of the template in `plan`. In a
    plan of one copy the numbers are the template's; with several, prefixed by the copy's."""
    offset_sections = (copy - 1) * len(template.sections)
    offset_positions = (copy - 1) * len(template.measures)

    def number(n):
        return n if copy == 0 else f"{copy}.{n}"

    sections = Section.objects.bulk_create(
        [
            Section(plan=plan, number=s["number"] + max(offset_sections, 0), title=s["title"])
            for s in template.sections
        ]
    )
    by_number = {s.number - max(offset_sections, 0): s for s in sections}
    measures = {}
    for parents in (True, False):  # headings first, so sub-measures can point to them
        batch = []
        for m in template.measures:
            if (m["parent"] is None) != parents:
                continue
            batch.append(
                Measure(
                    plan=plan,
                    section=by_number[m["section"]],
                    parent=measures.get(m["parent"]),
                    number=number(m["number"]),
                    position=m["position"] + max(offset_positions, 0),
                    title=m["title"],
                    completion_form=m["completion_form"],
                    responsible_text=m["responsible_text"],
                    deadline_text=m["deadline_text"],
                    first_year=m["first_year"],
                    last_year=m["last_year"],
                    open_to_interested=m["open_to_interested"],
                    reports_commission_meetings=m["reports_commission_meetings"],
                )
            )
        for measure in Measure.objects.bulk_create(batch):
            measures[template_number(measure.number, copy)] = measure
    responsibilities = [
        Responsibility(
            measure=measures[r["measure"]],
            agency=executors[r["agency"]],
            position=r["position"],
            by_agreement=r["by_agreement"],
            first_year=r["first_year"],
            last_year=r["last_year"],
            is_consolidator=r["is_consolidator"],
        )
        for r in template.responsibilities
    ]
    indicators = Indicator.objects.bulk_create(
        Indicator(
            measure=measures[i["measure"]],
            code=i["code"],
            position=i["position"],
            name=i["name"],
            unit=i["unit"],
            kind=i["kind"],
            aggregation=i["aggregation"],
            required=i["required"],
        )
        for i in template.indicators
    )
    return sections, list(measures.values()), responsibilities, indicators


def template_number(number: str, copy: int) -> str:
    return number if copy == 0 else number.split(".", 1)[1]


def _reports_and_entries(cycle, responsibilities, measures, rng, user):
    """Reports of about 95% of the expected agencies in every state, with their entries."""
    year = cycle.year
    deadline = datetime.datetime.combine(
        cycle.submission_deadline, datetime.time(12), tzinfo=ZoneInfo(settings.TIME_ZONE)
    )
    by_agency: dict[int, list[Measure]] = {}
    agencies = {}
    for r in responsibilities:
        if year in r.years:
            by_agency.setdefault(r.agency_id, []).append(r.measure)
            agencies[r.agency_id] = r.agency
    open_measures = [m for m in measures if m.open_to_interested and m.first_year <= year]
    open_measures = [m for m in open_measures if year <= m.last_year]
    reports, entry_specs = [], []
    for agency_id in sorted(by_agency):
        if rng.random() < 0.05:
            continue  # no report yet
        state = rng.choices([s for s, _ in STATES], weights=[w for _, w in STATES])[0]
        report = AnnualReport(cycle=cycle, agency_id=agency_id, state=state)
        if state != AnnualReport.State.DRAFT:
            late = rng.random() < 0.2
            submitted = deadline + datetime.timedelta(days=rng.randint(1, 20) * (1 if late else -1))
            report.first_submitted_at = report.submitted_at = submitted
            report.is_late = late
            if state in (AnnualReport.State.ACCEPTED, AnnualReport.State.RETURNED):
                report.reviewed_at = submitted + datetime.timedelta(days=3)
                report.reviewed_by = user
        reports.append(report)
        named = {m.pk for m in by_agency[agency_id]}
        voluntary = [m for m in open_measures if m.pk not in named and rng.random() < 0.5]
        entry_specs.append(
            [(m, False) for m in by_agency[agency_id]] + [(m, True) for m in voluntary]
        )
    reports = AnnualReport.objects.bulk_create(reports, batch_size=BATCH)
    entries = []
    for report, specs in zip(reports, entry_specs, strict=True):
        for measure, voluntary in specs:
            if report.state == AnnualReport.State.DRAFT and rng.random() < 0.3:
                status, narrative = "", ""  # not filled in yet
            else:
                status = rng.choice(STATUSES)
                narrative = NARRATIVE.format(n=rng.randint(2, 40))
            entries.append(
                ReportEntry(
                    report=report,
                    measure=measure,
                    status=status,
                    narrative=narrative,
                    is_voluntary=voluntary,
                )
            )
    return reports, entries


def scale_data_generate(*, plans: int, one_plan: bool = False, seed: int = 609) -> Counts:
    """`plans` copies of the fixture plan, each with ~35 executors drawn from 200 synthetic
    agencies, three cycles (2018–2020), reports in every state with entries in every status,
    and a draft summary of the last full cycle (2019). With `one_plan`, the copies are the
    sections and measures of a single plan "scale-all" instead. Raises ScaleDataExists if
    synthetic data is already there."""
    if scale_data_exists():
        raise ScaleDataExists
    rng = random.Random(seed)  # noqa: S311 (synthetic data: reproducible, not secret)
    template = load_template()
    counts = Counts()
    with transaction.atomic():
        user = User(username=SECRETARIAT_USERNAME, role=User.Role.SECRETARIAT)
        user.set_unusable_password()
        user.save()
        pool = _agencies(rng)
        counts.agencies = len(pool)
        if one_plan:
            plan_rows = [_plan(template, "all", f"Синтетический план из {plans} копий")]
        else:
            plan_rows = [
                _plan(template, f"{i:04d}", f"Синтетический план № {i}")
                for i in range(1, plans + 1)
            ]
        plan_objs = Plan.objects.bulk_create(plan_rows)
        counts.plans = len(plan_objs)
        # (plan, copy number or 0 for a plan of one copy)
        copies = (
            [(plan_objs[0], k) for k in range(1, plans + 1)]
            if one_plan
            else [(p, 0) for p in plan_objs]
        )
        plan_measures: dict[int, list[Measure]] = {}
        plan_resps: dict[int, list[Responsibility]] = {}
        plan_coordinators: dict[int, dict[str, Agency]] = {}
        measure_indicators: dict[int, list[Indicator]] = {}
        for plan, copy in copies:
            executors = _executors(template, pool, rng)
            plan_coordinators.setdefault(plan.pk, executors)
            sections, measures, resps, indicators = _copy_structure(template, plan, copy, executors)
            for indicator in indicators:
                measure_indicators.setdefault(indicator.measure_id, []).append(indicator)
            counts.indicators += len(indicators)
            counts.sections += len(sections)
            plan_measures.setdefault(plan.pk, []).extend(measures)
            plan_resps.setdefault(plan.pk, []).extend(resps)
        all_resps = [r for rs in plan_resps.values() for r in rs]
        Responsibility.objects.bulk_create(all_resps, batch_size=BATCH)
        counts.measures = sum(len(ms) for ms in plan_measures.values())
        counts.responsibilities = len(all_resps)

        cycles = ReportingCycle.objects.bulk_create(
            [
                ReportingCycle(
                    plan=plan,
                    year=c["year"],
                    submission_deadline=datetime.date.fromisoformat(c["submission_deadline"]),
                    summary_deadline=datetime.date.fromisoformat(c["summary_deadline"]),
                    coordinator=plan_coordinators[plan.pk][c["coordinator"][0]],
                )
                for plan in plan_objs
                for c in template.cycles
            ]
        )
        counts.cycles = len(cycles)
        all_reports, all_entries = [], []
        for cycle in cycles:
            reports, entries = _reports_and_entries(
                cycle, plan_resps[cycle.plan_id], plan_measures[cycle.plan_id], rng, user
            )
            all_reports += reports
            all_entries += entries
        ReportEntry.objects.bulk_create(all_entries, batch_size=BATCH)
        values = _indicator_values(all_entries, measure_indicators, rng)
        IndicatorValue.objects.bulk_create(values, batch_size=BATCH)
        counts.indicator_values = len(values)
        counts.reports = len(all_reports)
        counts.entries = len(all_entries)
        for report in all_reports:
            counts.states[report.state] = counts.states.get(report.state, 0) + 1

        summary_cycles = [c for c in cycles if c.year == 2019]
        counts.summaries, counts.summary_items = _summaries(
            summary_cycles, plan_resps, plan_measures, rng, user, measure_indicators
        )
    _analyze()
    return counts


def _indicator_values(entries, measure_indicators, rng) -> list[IndicatorValue]:
    """Figures for most filled entries: yes/no mostly yes, counts up to 200, sums larger."""
    values = []
    for entry in entries:
        if not entry.status:
            continue
        for indicator in measure_indicators.get(entry.measure_id, ()):
            if rng.random() < 0.15:
                continue  # left empty
            if indicator.is_yes_no:
                number, flag = None, rng.random() < 0.7
            else:
                scale = 1000 if indicator.kind == Indicator.Kind.SUM else 1
                number, flag = rng.randint(0, 200) * scale, None
            values.append(
                IndicatorValue(entry=entry, indicator=indicator, number=number, flag=flag)
            )
    return values


def _analyze() -> None:
    """Fresh planner statistics. Right after a bulk load the tables have none until autovacuum
    comes by, and PostgreSQL's planner then scans every entry for a cycle's dashboard
    (benchmarks/README.md). SQLite's ANALYZE feeds its planner likewise."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _plan(template, suffix, title) -> Plan:
    p = template.plan
    return Plan(
        code=f"{PREFIX}{suffix}",
        title=title,
        resolution_number=p["resolution_number"],
        resolution_date=datetime.date.fromisoformat(p["resolution_date"]),
        start_year=p["start_year"],
        end_year=p["end_year"],
    )


def _summaries(cycles, plan_resps, plan_measures, rng, user, measure_indicators) -> tuple[int, int]:
    """A draft summary per cycle, one line per measure reportable that year with its indicators'
    totals, the cycle's expected agencies fixed (as summary_generate does)."""
    now = timezone.now()
    summaries = Summary.objects.bulk_create(
        [Summary(cycle=c, generated_at=now, generated_by=user) for c in cycles]
    )
    through = ReportingCycle.expected_agencies.through
    items, expected = [], []
    for cycle, summary in zip(cycles, summaries, strict=True):
        active = [r for r in plan_resps[cycle.plan_id] if cycle.year in r.years]
        measure_ids = {r.measure_id for r in active}
        for measure in plan_measures[cycle.plan_id]:
            if measure.pk in measure_ids:
                items.append(
                    SummaryItem(
                        summary=summary,
                        measure=measure,
                        status=rng.choice([s.value for s in SummaryItem.Status]),
                        text=NARRATIVE.format(n=rng.randint(2, 40)),
                    )
                )
        expected += [
            through(reportingcycle_id=cycle.pk, agency_id=a)
            for a in sorted({r.agency_id for r in active})
        ]
    SummaryItem.objects.bulk_create(items, batch_size=BATCH)
    totals = []
    for item in items:
        for indicator in measure_indicators.get(item.measure_id, ()):
            answered = rng.randint(0, 5)
            total = rng.randint(0, answered) if indicator.is_yes_no else rng.randint(0, 900)
            totals.append(
                SummaryIndicatorTotal(
                    item=item,
                    indicator=indicator,
                    total=total if indicator.is_added_up else None,
                    answered=answered,
                    expected=5,
                    text=f"{indicator.label}: {total} (дали значение {answered} из 5)",
                )
            )
    SummaryIndicatorTotal.objects.bulk_create(totals, batch_size=BATCH)
    through.objects.bulk_create(expected, batch_size=BATCH)
    ReportingCycle.objects.filter(pk__in=[c.pk for c in cycles]).update(expected_fixed_at=now)
    return len(summaries), len(items)
