"""Reads of reports. Every function that takes a user returns only what that user may read."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from measures.models import Measure, Responsibility
from reporting.models import AnnualReport, Attachment, ReportEntry, ReportingCycle, ReviewComment


def expected_measures(*, cycle: ReportingCycle, agency) -> list[Measure]:
    """The measures `agency` must report on for `cycle`: those it answers for in that year,
    within the years the measure is reported. Headings have no executors, so no entry."""
    year = cycle.year
    responsibilities = (
        Responsibility.objects.filter(
            agency=agency,
            measure__plan_id=cycle.plan_id,
            measure__first_year__lte=year,
            measure__last_year__gte=year,
        )
        .filter(Q(first_year__isnull=True) | Q(first_year__lte=year))
        .filter(Q(last_year__isnull=True) | Q(last_year__gte=year))
        .select_related("measure")
        .order_by("measure__position")
    )
    return [r.measure for r in responsibilities]


def open_measures_to_add(*, report: AnnualReport) -> QuerySet[Measure]:
    """Measures open to interested bodies that the report may still take up of its own accord."""
    year = report.cycle.year
    return (
        Measure.objects.filter(
            plan_id=report.cycle.plan_id,
            open_to_interested=True,
            first_year__lte=year,
            last_year__gte=year,
        )
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
        return (self.cycle.submission_deadline - timezone.localdate()).days

    @property
    def days_overdue(self) -> int:
        return -self.days_left


def agency_cycles(*, agency) -> list[CycleStatus]:
    """Every reporting cycle with the agency's report in it (or None) and how many measures it
    must report on. Three queries: cycles, reports, responsibilities."""
    cycles = list(ReportingCycle.objects.select_related("plan", "coordinator"))
    reports = {
        r.cycle_id: r
        for r in AnnualReport.objects.filter(agency=agency).annotate(entry_count=Count("entries"))
    }
    responsibilities = list(Responsibility.objects.filter(agency=agency).select_related("measure"))
    result = []
    for cycle in sorted(cycles, key=lambda c: (-c.plan.start_year, c.plan.code, -c.year)):
        count = sum(
            1
            for r in responsibilities
            if r.measure.plan_id == cycle.plan_id and cycle.year in r.years
        )
        result.append(CycleStatus(cycle=cycle, report=reports.get(cycle.pk), expected_count=count))
    return result


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
            "cycle__plan", "cycle__coordinator", "agency", "submitted_by", "reviewed_by"
        )
        .get(pk=pk)
    )


def report_entries(*, report: AnnualReport) -> list[ReportEntry]:
    """The report's entries in plan order, with their measures and documents."""
    return list(
        report.entries.select_related("measure__section", "measure__parent", "updated_by")
        .prefetch_related(
            Prefetch("attachments", queryset=Attachment.objects.select_related("uploaded_by"))
        )
        .order_by("measure__position")
    )


def report_comments(*, report: AnnualReport) -> list[ReviewComment]:
    return list(report.comments.select_related("author").order_by("created_at", "pk"))


def entry_for_report(*, report: AnnualReport, pk) -> ReportEntry:
    return (
        report.entries.select_related(
            "measure__section", "measure__parent", "measure__plan", "updated_by"
        )
        .prefetch_related("attachments")
        .get(pk=pk)
    )


def attachment_for_user(*, user, pk) -> Attachment:
    """The document if `user` may read its report; Attachment.DoesNotExist otherwise."""
    return Attachment.objects.select_related("entry__report").get(
        pk=pk, entry__report__in=AnnualReport.objects.for_user(user)
    )


@dataclass
class Change:
    at: datetime.datetime
    user: object
    kind: str  # "state", "entry_added", "entry_changed", "entry_removed"
    subject: str  # the new state's label, or the measure's number
    details: list[str]


def report_history(*, report: AnnualReport) -> list[Change]:
    """Who changed what and when: the report's states and every entry's edits, newest first.
    Two queries, whatever the number of changes."""
    changes = []
    previous_state = None
    for record in report.history.select_related("history_user").order_by("history_date", "pk"):
        if record.state != previous_state:
            label = AnnualReport.State(record.state).label
            changes.append(Change(record.history_date, record.history_user, "state", label, []))
        previous_state = record.state

    status_labels = dict(ReportEntry.Status.choices)
    records = (
        ReportEntry.history.filter(report_id=report.pk)
        .select_related("history_user", "measure")
        .order_by("id", "history_date", "history_id")
    )
    previous = None
    for record in records:
        if previous is not None and previous.id != record.id:
            previous = None
        kind = {"+": "entry_added", "-": "entry_removed"}.get(record.history_type, "entry_changed")
        details = []
        if kind == "entry_changed" and previous is not None:
            if previous.status != record.status:
                details.append(
                    f"{status_labels.get(previous.status, '—')} → "
                    f"{status_labels.get(record.status, '—')}"
                )
            if previous.narrative != record.narrative:
                details.append(_("текст изменён"))
        if kind != "entry_changed" or details:
            changes.append(
                Change(
                    record.history_date, record.history_user, kind, record.measure.number, details
                )
            )
        previous = record
    changes.sort(key=lambda c: c.at, reverse=True)
    return changes
