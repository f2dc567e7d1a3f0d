"""Reads for a cycle's dashboard: how complete and how timely the reporting is, agency by
agency and measure by measure, for the secretariat and observers.

`cycle_dashboard` runs a fixed number of queries whatever the number of agencies, reports and
entries (the expected agencies, the reports, the entries, the responsibilities, the sections);
everything else is counted in Python. Filtering the agencies' table is done in Python too, so a
filter never costs a query.
"""

import datetime
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.db.models import F, Max
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from agencies.models import Agency
from core.deadlines import days_left
from core.i18n import in_language, pick
from measures.models import Measure, Section
from reporting.models import AnnualReport, ReportEntry, ReportingCycle
from reporting.selectors import cycle_expected_agencies
from reporting.summaries.selectors import cycle_responsible_pairs

State = AnnualReport.State
Status = ReportEntry.Status

# An expected agency that has not opened its report: a state of its own on the dashboard.
NOT_STARTED = "not_started"
NOT_STARTED_LABEL = gettext_lazy("Не начат")

# The completeness bar, from the best state to the worst; together they cover every agency.
COMPLETENESS_ORDER = [State.ACCEPTED, State.SUBMITTED, State.RETURNED, State.DRAFT, NOT_STARTED]
COMPLETENESS_LABELS = {
    State.ACCEPTED: gettext_lazy("Принято"),
    State.SUBMITTED: gettext_lazy("Ожидает рассмотрения"),
    State.RETURNED: gettext_lazy("Возвращено на доработку"),
    State.DRAFT: gettext_lazy("Черновик"),
    NOT_STARTED: gettext_lazy("Не начато"),
}

# What a cell of the measures × agencies matrix can say, in the legend's order.
EMPTY, NO_REPORT, NOT_RESPONSIBLE = "empty", "no_report", "not_responsible"
CELL_LABELS = {
    Status.DONE: Status.DONE.label,
    Status.IN_PROGRESS: Status.IN_PROGRESS.label,
    Status.PARTIAL: Status.PARTIAL.label,
    Status.NOT_DONE: Status.NOT_DONE.label,
    EMPTY: gettext_lazy("Не заполнено"),
    NO_REPORT: gettext_lazy("Отчёт не начат"),
    NOT_RESPONSIBLE: gettext_lazy("Не исполнитель в этом году"),
}
# A sign beside the colour, so that the matrix does not speak in colour alone.
CELL_SIGNS = {
    Status.DONE: "✓",
    Status.IN_PROGRESS: "↻",
    Status.PARTIAL: "½",
    Status.NOT_DONE: "✗",
    EMPTY: "?",
    NO_REPORT: "–",
    NOT_RESPONSIBLE: "",
}
# The chart's stacks: the entries' statuses, then the entries nobody has filled in yet.
CHART_STATUSES = [Status.DONE, Status.IN_PROGRESS, Status.PARTIAL, Status.NOT_DONE, EMPTY]


def agency_label(agency: Agency) -> str:
    """A short column label: the abbreviation; for an akimat, its city or region ("г. Астаны",
    "Акмолинской обл.", "ВКО"); otherwise the name, shortened."""
    if abbreviation := in_language(agency, "abbreviation"):
        return abbreviation
    name, russian = pick(agency, "name")
    if not russian and get_language() in ("kk", "en"):
        return _short_translated_label(agency, name)
    name = re.sub(r"\s+(Республики Казахстан|в Республике Казахстан)\b", "", name)
    if agency.kind == Agency.Kind.AKIMAT:
        if match := re.fullmatch(r"Акимат\s+города\s+(.+)", name):
            return f"г. {match[1]}"
        if match := re.fullmatch(r"Акимат\s+(.+)\s+области", name):
            region = match[1]
            if "-" in region:  # Восточно-Казахстанской → ВКО, as the regions are usually called
                return "".join(part[0].upper() for part in region.split("-")) + "О"
            return f"{region} обл."
        name = re.sub(r"^Акимат\s+", "", name)
    # 19 characters fit the matrix's header; the full name is beside it for screen readers.
    if len(name) <= 19:
        return name
    return name[:18].rstrip() + "…"


# An akimat's label in the Kazakh and English interfaces: "Астана қ.", "Ақмола обл.",
# "Astana city", "Akmola Region".
TRANSLATED_AKIMATS = [
    (re.compile(r"(.+) қаласының әкімдігі"), "{} қ."),
    (re.compile(r"(.+) облысының әкімдігі"), "{} обл."),
    (re.compile(r"Akimat of the City of (.+)"), "{} city"),
    (re.compile(r"Akimat of (.+) Region"), "{} Region"),
]


def _short_translated_label(agency: Agency, name: str) -> str:
    if agency.kind == Agency.Kind.AKIMAT:
        for pattern, label in TRANSLATED_AKIMATS:
            if match := pattern.fullmatch(name):
                return label.format(match[1])
    return name if len(name) <= 19 else name[:18].rstrip() + "…"


@dataclass(frozen=True)
class Share:
    """`count` out of `total`, for a number, a percentage and a segment of a progress bar."""

    key: str
    label: str
    count: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.count / self.total) if self.total else 0

    @property
    def width(self) -> str:
        """The segment's width in per cent with a dot, whatever the locale (for CSS)."""
        return f"{100 * self.count / self.total:.2f}" if self.total else "0"


@dataclass
class AgencyRow:
    """An expected agency and its report for the cycle (None if it has not opened one)."""

    agency: Agency
    report: AnnualReport | None
    label: str = field(init=False)

    def __post_init__(self):
        self.label = agency_label(self.agency)

    @property
    def state(self) -> str:
        return self.report.state if self.report else NOT_STARTED

    @property
    def state_label(self) -> str:
        return self.report.get_state_display() if self.report else str(NOT_STARTED_LABEL)

    @property
    def has_submitted(self) -> bool:
        """Submitted at least once (a returned report was, too)."""
        return self.report is not None and self.report.submitted_at is not None

    @property
    def is_late(self) -> bool:
        return self.report is not None and self.has_submitted and self.report.is_late

    @property
    def last_activity(self) -> datetime.datetime | None:
        # Annotated by _cycle_reports.
        return getattr(self.report, "last_activity", None)


@dataclass(frozen=True)
class Deadline:
    day: datetime.date
    days_left: int  # negative once the day has passed (days in Kazakhstan)
    met: bool  # nothing is outstanding any more

    @property
    def days_overdue(self) -> int:
        return -self.days_left


class Cell(NamedTuple):
    """A cell of the matrix (a named tuple: a cycle has over a thousand of them)."""

    kind: str  # an entry status, EMPTY, NO_REPORT or NOT_RESPONSIBLE
    voluntary: bool = False  # an entry the agency added of its own accord
    column: str = ""  # the agency's short label (blank in the legend)

    @property
    def label(self) -> str:
        return str(CELL_LABELS[self.kind])

    @property
    def sign(self) -> str:
        return CELL_SIGNS[self.kind]

    @property
    def description(self) -> str:
        if self.voluntary:
            return _("%(status)s (по собственной инициативе)") % {"status": self.label}
        return self.label


@dataclass
class MatrixRow:
    measure: Measure
    cells: list[Cell]  # one per expected agency, in the order of `Dashboard.rows`


@dataclass
class MatrixSection:
    section: Section
    rows: list[MatrixRow]


@dataclass
class SectionCounts:
    """Entries of the expected agencies in one section, by status (CHART_STATUSES' order)."""

    section: Section
    counts: list[int]

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass
class Dashboard:
    cycle: ReportingCycle
    rows: list[AgencyRow]  # the expected agencies: ministries, state bodies, akimats, others
    other_reports: list[AnnualReport]  # reports of agencies not expected that year
    completeness: list[Share]  # a partition of the expected agencies, COMPLETENESS_ORDER
    presented: Share  # submitted or accepted: in the coordinator's hands
    timeliness: list[Share]  # on time, late, not submitted: a partition as well
    submission: Deadline
    summary: Deadline
    matrix: list[MatrixSection]
    section_counts: list[SectionCounts]

    @property
    def expected_count(self) -> int:
        return len(self.rows)

    @property
    def legend(self) -> list[Cell]:
        return [Cell(kind) for kind in CELL_LABELS]

    @property
    def chart_statuses(self) -> list[tuple[str, str]]:
        return [(key, str(CELL_LABELS[key])) for key in CHART_STATUSES]

    @property
    def chart(self) -> dict:
        """The data of the chart of statuses by section, for `json_script`."""
        return {
            "labels": [
                _("Раздел %(number)s") % {"number": s.section.number} for s in self.section_counts
            ],
            "titles": [s.section.title for s in self.section_counts],
            "datasets": [
                {
                    "key": key,
                    "label": label,
                    "data": [s.counts[index] for s in self.section_counts],
                }
                for index, (key, label) in enumerate(self.chart_statuses)
            ],
        }


def _cycle_reports(cycle: ReportingCycle) -> list[AnnualReport]:
    """The cycle's reports, each with `last_activity`: the latest change of the report or of any
    of its entries. One query."""
    return list(
        AnnualReport.objects.filter(cycle=cycle)
        .select_related("agency")
        .annotate(
            last_activity=Greatest(
                "updated_at", Coalesce(Max("entries__updated_at"), F("updated_at"))
            )
        )
        .order_by()
    )


def _deadline(day: datetime.date, today: datetime.date, *, met: bool) -> Deadline:
    return Deadline(day=day, days_left=days_left(day, today), met=met)


def cycle_dashboard(*, cycle: ReportingCycle, today: datetime.date | None = None) -> Dashboard:
    """Everything the dashboard shows for `cycle`, counted over the agencies expected to report
    (`reporting.selectors.cycle_expected_agencies`). A report counts by its current state. Six
    queries, whatever the size of the cycle; `cycle` should come with its summary
    (select_related)."""
    today = today or timezone.localdate()
    kind_order = {kind: index for index, kind in enumerate(Agency.Kind.values)}
    agencies = sorted(
        cycle_expected_agencies(cycle=cycle),
        key=lambda a: (kind_order.get(a.kind, len(kind_order)), a.name),
    )
    expected = {a.pk for a in agencies}
    reports = {}
    other_reports = []
    for report in _cycle_reports(cycle):
        if report.agency_id in expected:
            reports[report.agency_id] = report
        else:
            other_reports.append(report)
    other_reports.sort(key=lambda r: r.agency.name)
    rows = [AgencyRow(agency=a, report=reports.get(a.pk)) for a in agencies]
    total = len(rows)

    states = Counter(row.state for row in rows)
    completeness = [
        Share(key, str(COMPLETENESS_LABELS[key]), states[key], total) for key in COMPLETENESS_ORDER
    ]
    presented = Share(
        "presented",
        _("Представлено"),
        sum(states[state] for state in AnnualReport.COUNTED_STATES),
        total,
    )
    # The same agencies as "Представлено", split by timeliness; a returned report (submitted,
    # and back with its agency) and a report never submitted are counted apart, so that the
    # numbers of both cards add up to the same whole.
    in_hand = [row for row in rows if row.state in AnnualReport.COUNTED_STATES]
    late = sum(1 for row in in_hand if row.is_late)
    returned = states[State.RETURNED]
    missing = total - len(in_hand) - returned
    timeliness = [
        Share("on_time", _("Представлено в срок"), len(in_hand) - late, total),
        Share("late", _("Представлено с опозданием"), late, total),
        Share("returned", _("Возвращено на доработку"), returned, total),
        Share("missing", _("Не представлено"), missing, total),
    ]

    # The measures × agencies matrix and the chart, from one read of the cycle's entries.
    entries: dict[tuple[int, int], Any] = {}
    counts_by_section: Counter[tuple[int, str]] = Counter()
    for entry in (
        ReportEntry.objects.filter(report__cycle=cycle)
        .values("report__agency_id", "measure_id", "measure__section_id", "status", "is_voluntary")
        .order_by()
    ):
        if entry["report__agency_id"] not in expected:
            continue
        entries[entry["report__agency_id"], entry["measure_id"]] = entry
        counts_by_section[entry["measure__section_id"], entry["status"] or EMPTY] += 1

    responsible = cycle_responsible_pairs(cycle=cycle)
    # The measures reported on that year, by the ids the pairs already name: the same set as
    # summaries.selectors.cycle_reportable_measures, without its subquery and joins (0.8 ms against
    # 2.5 ms at 100 plans, benchmarks/README.md).
    measures = list(
        Measure.objects.filter(pk__in={measure_id for _agency, measure_id in responsible}).order_by(
            "position"
        )
    )

    def cell(row: AgencyRow, measure: Measure) -> Cell:
        entry = entries.get((row.agency.pk, measure.pk))
        if entry is not None:
            return Cell(entry["status"] or EMPTY, entry["is_voluntary"], row.label)
        if (row.agency.pk, measure.pk) not in responsible:
            return Cell(NOT_RESPONSIBLE, column=row.label)
        # Responsible, but no entry: the report is not opened, or the agency was named after
        # its report was submitted.
        return Cell(NO_REPORT if row.report is None else EMPTY, column=row.label)

    sections = list(Section.objects.filter(plan_id=cycle.plan_id).order_by("number"))
    matrix = []
    for section in sections:
        section_measures = [m for m in measures if m.section_id == section.pk]
        if section_measures:
            matrix.append(
                MatrixSection(
                    section,
                    [MatrixRow(m, [cell(row, m) for row in rows]) for m in section_measures],
                )
            )
    reported_sections = {section_id for section_id, _status in counts_by_section}
    section_counts = [
        SectionCounts(section, [counts_by_section[section.pk, key] for key in CHART_STATUSES])
        for section in sections
        if section.pk in reported_sections or any(s.section.pk == section.pk for s in matrix)
    ]

    return Dashboard(
        cycle=cycle,
        rows=rows,
        other_reports=other_reports,
        completeness=completeness,
        presented=presented,
        timeliness=timeliness,
        submission=_deadline(cycle.submission_deadline, today, met=missing == 0),
        summary=_deadline(cycle.summary_deadline, today, met=cycle.summary_sent),
        matrix=matrix,
        section_counts=section_counts,
    )


def filter_rows(
    rows: list[AgencyRow], *, state: str = "", kind: str = "", late: bool = False
) -> list[AgencyRow]:
    """The agencies' rows with the given state (NOT_STARTED included), of the given kind, and
    only those submitted late if `late`."""
    return [
        row
        for row in rows
        if (not state or row.state == state)
        and (not kind or row.agency.kind == kind)
        and (not late or row.is_late)
    ]
