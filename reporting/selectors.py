"""Reads of reports. Every function that takes a user returns only what that user may read."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Agency
from core.deadlines import days_left
from measures.models import Measure, Responsibility
from reporting.models import (
    AnnualReport,
    Attachment,
    Indicator,
    IndicatorValue,
    ReportEntry,
    ReportingCycle,
    ReviewComment,
    display_value,
    figure_value,
)


def expected_measures(*, cycle: ReportingCycle, agency) -> list[Measure]:
    """The measures `agency` must report on for `cycle`: those it answers for in that year,
    within the years the measure is reported. Headings have no executors, so no entry."""
    responsibilities = (
        Responsibility.objects.in_force(cycle.year)
        .filter(agency=agency, measure__plan_id=cycle.plan_id)
        .select_related("measure")
        .order_by("measure__position")
    )
    return [r.measure for r in responsibilities]


# What the entries' figures need loaded: the measure's indicators and the values given.
FIGURES_PREFETCH = (
    Prefetch("measure__indicators", queryset=Indicator.objects.order_by("position", "code")),
    Prefetch("indicator_values", queryset=IndicatorValue.objects.all()),
)


def entry_problems(entry: ReportEntry) -> list[str]:
    """What an entry lacks to be submitted (the rule of `services.report_submit`), in words:
    a status, a narrative, and a value for each required indicator (named). The entry comes
    with FIGURES_PREFETCH."""
    problems = []
    if not entry.status:
        problems.append(_("не указан статус исполнения"))
    if not entry.narrative.strip():
        problems.append(_("не заполнена информация о ходе исполнения"))
    given = {v.indicator_id for v in entry.indicator_values.all()}
    problems.extend(
        _("не указан показатель «%(name)s»") % {"name": indicator.name}
        for indicator in entry.measure.indicators.all()
        if indicator.required and indicator.pk not in given
    )
    return problems


def entry_figures(entry: ReportEntry) -> list[tuple[Indicator, int | bool | None]]:
    """Each of the measure's indicators with the entry's value (None: not given), in order.
    The entry comes with FIGURES_PREFETCH."""
    values = {v.indicator_id: v.value for v in entry.indicator_values.all()}
    return [(i, values.get(i.pk)) for i in entry.measure.indicators.all()]


def incomplete_entries(*, entries: list[ReportEntry]) -> dict[ReportEntry, list[str]]:
    """The entries that cannot be submitted as they are, with what each lacks."""
    return {entry: problems for entry in entries if (problems := entry_problems(entry))}


@dataclass
class SubmitCheck:
    """What the confirmation of a submission says: how much is filled, what is missing, and
    whether the report would be late."""

    report: AnnualReport
    entries: list[ReportEntry]
    missing: dict[ReportEntry, list[str]]
    would_be_late: bool

    @property
    def filled(self) -> int:
        return len(self.entries) - len(self.missing)

    @property
    def can_submit(self) -> bool:
        return bool(self.entries) and not self.missing


def submit_check(*, report: AnnualReport) -> SubmitCheck:
    """The report as its submission would find it. Three queries (the entries, the measures'
    indicators, their values)."""
    entries = list(
        report.entries.select_related("measure")
        .prefetch_related(*FIGURES_PREFETCH)
        .order_by("measure__position")
    )
    late = report.first_submitted_at is None and timezone.now() >= report.cycle.submission_closes_at
    return SubmitCheck(report, entries, incomplete_entries(entries=entries), late)


def open_measures_to_add(*, report: AnnualReport) -> QuerySet[Measure]:
    """Measures open to interested bodies that the report may still take up of its own accord."""
    return (
        Measure.objects.reported_in(report.cycle.year)
        .filter(plan_id=report.cycle.plan_id, open_to_interested=True)
        .exclude(entries__report=report)
        .order_by("position")
    )


@dataclass
class CycleStatus:
    cycle: ReportingCycle
    report: AnnualReport | None
    expected_count: int

    @property
    def days_left(self) -> int:
        """Days from today (in Kazakhstan) to the deadline day; negative once it has passed."""
        return days_left(self.cycle.submission_deadline)

    @property
    def days_overdue(self) -> int:
        return -self.days_left


def agency_cycles(*, agency) -> list[CycleStatus]:
    """The reporting cycles of every plan the agency reports on (it is an executor of, or has a
    report in), newest plan first, with the agency's report in each (or None) and how many
    measures it must report on. Three queries: cycles, reports, responsibilities."""
    cycles = list(ReportingCycle.objects.select_related("plan", "coordinator", "summary"))
    reports = {
        r.cycle_id: r
        for r in AnnualReport.objects.filter(agency=agency).select_related("cycle__summary")
    }
    responsibilities = list(Responsibility.objects.filter(agency=agency).select_related("measure"))
    plans = {r.measure.plan_id for r in responsibilities} | {
        c.plan_id for c in cycles if c.pk in reports
    }
    result = []
    for cycle in sorted(cycles, key=lambda c: (-c.plan.start_year, c.plan.code, -c.year)):
        if cycle.plan_id not in plans:
            continue
        count = sum(
            1
            for r in responsibilities
            if r.measure.plan_id == cycle.plan_id and cycle.year in r.years
        )
        result.append(CycleStatus(cycle=cycle, report=reports.get(cycle.pk), expected_count=count))
    return result


def monitored_cycles() -> list[ReportingCycle]:
    """Every cycle with its coordinator and summary, newest first (the secretariat's way in)."""
    return list(
        ReportingCycle.objects.select_related("plan", "coordinator", "summary").order_by(
            "-plan__start_year", "-year"
        )
    )


def report_list(*, user, cycle=None, state=None, agency=None) -> list[AnnualReport]:
    qs = AnnualReport.objects.for_user(user).select_related("cycle__plan", "agency", "submitted_by")
    if cycle:
        qs = qs.filter(cycle=cycle)
    if state:
        qs = qs.filter(state=state)
    if agency:
        qs = qs.filter(agency=agency)
    return list(qs.order_by("-cycle__year", "agency__kind", "agency__name"))


def report_for_user(*, user, pk) -> AnnualReport:
    """The report if `user` may read it; AnnualReport.DoesNotExist otherwise (a 404)."""
    return (
        AnnualReport.objects.for_user(user)
        .select_related(
            "cycle__plan",
            "cycle__coordinator",
            "cycle__summary",
            "agency",
            "submitted_by",
            "reviewed_by",
        )
        .get(pk=pk)
    )


def report_entries(*, report: AnnualReport) -> list[ReportEntry]:
    """The report's entries in plan order, with their measures, documents and figures (each
    entry's `figures`: `entry_figures`)."""
    entries = list(
        report.entries.select_related("measure__section", "measure__parent", "updated_by")
        .prefetch_related(
            Prefetch("attachments", queryset=Attachment.objects.select_related("uploaded_by")),
            *FIGURES_PREFETCH,
        )
        .order_by("measure__position")
    )
    for entry in entries:
        entry.figures = entry_figures(entry)  # type: ignore[attr-defined]
    return entries


def entries_in_order(*, report: AnnualReport) -> list[ReportEntry]:
    """The report's entries with their measures, in plan order (a form's remarks, say)."""
    return list(report.entries.select_related("measure").order_by("measure__position"))


def report_comments(*, report: AnnualReport) -> list[ReviewComment]:
    """Every comment of the report's reviews, on the report or on one entry, oldest first."""
    return list(
        report.comments.select_related("author", "entry__measure").order_by("created_at", "pk")
    )


def entry_for_report(*, report: AnnualReport, pk) -> ReportEntry:
    return (
        report.entries.select_related(
            "measure__section", "measure__parent", "measure__plan", "updated_by"
        )
        .prefetch_related("attachments", *FIGURES_PREFETCH)
        .get(pk=pk)
    )


def next_entry(*, entry: ReportEntry) -> ReportEntry | None:
    """The report's entry after `entry` in plan order ("save and go to the next")."""
    return (
        entry.report.entries.filter(measure__position__gt=entry.measure.position)
        .order_by("measure__position")
        .first()
    )


def attachment_for_user(*, user, pk) -> Attachment:
    """The document if `user` may read its report; Attachment.DoesNotExist otherwise."""
    return Attachment.objects.select_related(
        "entry__report__agency", "entry__report__cycle", "entry__measure"
    ).get(pk=pk, entry__report__in=AnnualReport.objects.for_user(user))


@dataclass
class Change:
    at: datetime.datetime
    user: object
    # "state", "entry_added", "entry_changed", "entry_removed", "figures_changed",
    # "document_added", "document_removed"
    kind: str
    subject: str  # the new state's label, or the measure's number
    details: list[str]


@dataclass
class Journal:
    """The report's history, newest first, and what changed in each entry since the last
    return or reopening ({entry id: what changed}; empty when the report is not back from one)."""

    changes: list[Change]
    since_review: dict[int, list[str]]


def _entry_change_details(before, after, status_labels) -> list[str]:
    details = []
    if before.status != after.status:
        details.append(
            f"{status_labels.get(before.status, '—')} → {status_labels.get(after.status, '—')}"
        )
    if before.narrative != after.narrative:
        details.append(_("текст изменён"))
    return details


def _since_review(report: AnnualReport, states) -> datetime.datetime | None:
    """When the report was last returned or reopened, if that is where it stands: returned, or
    submitted again since. None otherwise."""
    if report.state not in (AnnualReport.State.RETURNED, AnnualReport.State.SUBMITTED):
        return None
    returns = [r.history_date for r in states if r.state == AnnualReport.State.RETURNED]
    return returns[-1] if returns else None


def report_journal(*, report: AnnualReport) -> Journal:
    """Who changed what and when: the report's states, every entry's edits, its figures' changes,
    the documents added and removed; and the changes since the last return. Four queries,
    whatever the number of changes."""
    changes = []
    previous_state = None
    states = list(report.history.select_related("history_user").order_by("history_date", "pk"))
    for record in states:
        if record.state != previous_state:
            label = str(AnnualReport.State(record.state).label)
            changes.append(Change(record.history_date, record.history_user, "state", label, []))
        previous_state = record.state
    returned_at = _since_review(report, states)

    status_labels = dict(ReportEntry.Status.choices)
    records = (
        ReportEntry.history.filter(report_id=report.pk)
        .select_related("history_user", "measure")
        .order_by("id", "history_date", "history_id")
    )
    previous = None
    numbers: dict[int, str] = {}
    at_return: dict[int, Any] = {}  # each entry as it was when the report was returned
    latest: dict[int, Any] = {}
    for record in records:
        if previous is not None and previous.id != record.id:
            previous = None
        numbers[record.id] = record.measure.number
        latest[record.id] = record
        if returned_at is not None and record.history_date <= returned_at:
            at_return[record.id] = record
        kind = {"+": "entry_added", "-": "entry_removed"}.get(record.history_type, "entry_changed")
        details: list[str] = []
        if kind == "entry_changed" and previous is not None:
            details = _entry_change_details(previous, record, status_labels)
        if kind != "entry_changed" or details:
            changes.append(
                Change(
                    record.history_date, record.history_user, kind, record.measure.number, details
                )
            )
        previous = record

    since: dict[int, list[str]] = {}
    if returned_at is not None:
        for entry_id, record in latest.items():
            if record.history_type == "-":
                continue
            if entry_id not in at_return:
                since[entry_id] = [_("добавлено после возврата")]
            elif details := _entry_change_details(at_return[entry_id], record, status_labels):
                since[entry_id] = details

    documents = (
        Attachment.history.filter(entry_id__in=list(numbers), history_type__in=["+", "-"])
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    for record in documents:
        added = record.history_type == "+"
        kind = "document_added" if added else "document_removed"
        changes.append(
            Change(
                record.history_date,
                record.history_user,
                kind,
                numbers[record.entry_id],
                [record.original_name],
            )
        )
        if returned_at is not None and record.history_date > returned_at:
            what = _("добавлен документ") if added else _("удалён документ")
            since.setdefault(record.entry_id, []).append(f"{what} {record.original_name}")

    by_number = {number: entry_id for entry_id, number in numbers.items()}
    for change in _figure_changes(report):
        changes.append(change)
        if returned_at is not None and change.at > returned_at and change.subject in by_number:
            since.setdefault(by_number[change.subject], []).extend(change.details)
    changes.sort(key=lambda c: c.at, reverse=True)
    return Journal(changes, since)


@dataclass
class Progress:
    """How much of a report is filled: an entry is filled when it could be submitted as it is."""

    total: int
    missing: dict[ReportEntry, list[str]]

    @property
    def filled(self) -> int:
        return self.total - len(self.missing)

    @property
    def percent(self) -> int:
        return round(100 * self.filled / self.total) if self.total else 0


def report_progress(*, entries: list[ReportEntry]) -> Progress:
    return Progress(len(entries), incomplete_entries(entries=entries))


def entry_remarks(*, comments: list[ReviewComment], report: AnnualReport) -> dict[int, list]:
    """The remarks of the review the report is back from, by entry id: those made with its last
    return or reopening, while it is being reworked or is submitted again."""
    if report.reviewed_at is None or report.state == AnnualReport.State.ACCEPTED:
        return {}
    remarks: dict[int, list] = {}
    for comment in comments:
        if comment.entry_id is not None and comment.created_at >= report.reviewed_at:
            remarks.setdefault(comment.entry_id, []).append(comment)
    return remarks


def _figure_changes(report: AnnualReport) -> list[Change]:
    """Each change of a figure: «name: before → after». One query."""
    records = (
        IndicatorValue.history.filter(entry__report_id=report.pk)
        .select_related("history_user", "indicator", "entry__measure")
        .order_by("entry_id", "indicator_id", "history_date", "history_id")
    )
    changes: list[Change] = []
    before: dict[tuple[int, int], int | bool | None] = {}
    for record in records:
        key = (record.entry_id, record.indicator_id)
        after = None if record.history_type == "-" else figure_value(record)
        detail = (
            f"{record.indicator.name}: {display_value(before.get(key))} → {display_value(after)}"
        )
        before[key] = after
        changes.append(
            Change(
                record.history_date,
                record.history_user,
                "figures_changed",
                record.entry.measure.number,
                [detail],
            )
        )
    return changes


def cycle_expected_agencies(*, cycle: ReportingCycle) -> list[Agency]:
    """The agencies expected to report for the cycle: those fixed when its summary was first
    generated, or else those with at least one measure in force that year. One query."""
    if cycle.expected_fixed_at:
        agencies = cycle.expected_agencies.all()
    else:
        agencies = Agency.objects.filter(
            pk__in=Responsibility.objects.in_force(cycle.year)
            .filter(measure__plan_id=cycle.plan_id)
            .values("agency_id")
        )
    return list(agencies.order_by("kind", "name"))
