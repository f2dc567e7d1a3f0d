"""Reads of the commissions' registers, scoped to the user, in a fixed number of queries."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Agency
from commissions import permissions
from commissions.compliance import HalfYear, plan_half_years, regional_plans_due
from commissions.models import (
    NATIONAL_COMMISSION,
    CommissionMeeting,
    DecisionAssignment,
    ProtocolDecision,
    RegionalPlan,
)
from measures.models import Plan

NATIONAL = "mvk"  # the national commission in filters, where an akimat is named by its code


def default_plan() -> Plan | None:
    """The plan the registers' pages show when none is asked for: the latest adopted."""
    return Plan.objects.order_by("-resolution_date", "code").first()


def plan_akimats(*, plan: Plan) -> list[Agency]:
    """The akimats that execute `plan` (the 17 of Resolution No. 609): each has a regional
    commission and owes a regional plan. Cities first, as the Resolution names them."""
    akimats = Agency.objects.filter(
        kind=Agency.Kind.AKIMAT, responsibilities__measure__plan=plan
    ).distinct()
    return sorted(akimats, key=lambda a: ("города" not in a.name, a.name))


# Meetings


def meeting_list(*, user, commission: str = "", year: int | None = None) -> list[CommissionMeeting]:
    """The meetings `user` may read, newest first, with their number of decisions. `commission`
    is NATIONAL or an akimat's code. One query."""
    meetings = (
        CommissionMeeting.objects.for_user(user)
        .select_related("agency")
        .annotate(decision_count=Count("decisions"))
        .order_by("-held_on", "-pk")
    )
    if commission == NATIONAL:
        meetings = meetings.filter(agency__isnull=True)
    elif commission:
        meetings = meetings.filter(agency__code=commission)
    if year:
        meetings = meetings.filter(held_on__year=year)
    return list(meetings)


def meeting_for_user(*, user, pk) -> CommissionMeeting:
    """The meeting with its decisions and their agencies, if `user` may read it (raises
    DoesNotExist otherwise: another akimat's commission is private). Three queries."""
    return (
        CommissionMeeting.objects.for_user(user)
        .select_related("agency", "created_by", "updated_by", "document")
        .prefetch_related(
            Prefetch(
                "decisions",
                queryset=ProtocolDecision.objects.order_by("pk").prefetch_related(
                    Prefetch(
                        "assignments",
                        queryset=DecisionAssignment.objects.select_related(
                            "agency", "completed_by"
                        ).order_by("agency__name"),
                    )
                ),
            )
        )
        .get(pk=pk)
    )


def decision_for_user(*, user, pk) -> ProtocolDecision:
    """A decision of a meeting `user` may read (raises DoesNotExist otherwise)."""
    return ProtocolDecision.objects.select_related("meeting__agency").get(
        pk=pk, meeting__in=CommissionMeeting.objects.for_user(user)
    )


def commission_meetings_in_year(*, agency: Agency, year: int) -> list[CommissionMeeting]:
    """The meetings of `agency`'s commission held in `year`, oldest first: its regional
    commission for an akimat, the interdepartmental commission for the bodies that run it
    (МВД, then МТСЗН). For the measure-1 entry of an annual report."""
    meetings = CommissionMeeting.objects.filter(held_on__year=year)
    if agency.kind == Agency.Kind.AKIMAT:
        meetings = meetings.filter(agency=agency)
    else:
        meetings = meetings.filter(agency__isnull=True)
    return list(meetings.order_by("held_on", "pk"))


def narrative_with_meetings(
    *, meetings: list[CommissionMeeting], agency: Agency, narrative: str
) -> str:
    """A measure-1 narrative that starts with the year's meetings, one line each, followed by
    the text typed so far. In Russian, like everything that goes into the summary for the
    Government."""
    opening = _meetings_text(meetings, agency)
    return "\n\n".join(part for part in (opening, narrative.strip()) if part)


def _meetings_text(meetings, agency) -> str:
    if not meetings:
        return ""
    if agency.kind == Agency.Kind.AKIMAT:
        commission = f"региональной комиссии ({agency.name})"
    else:
        commission = "Межведомственной комиссии по вопросам борьбы с торговлей людьми"
    year = meetings[0].held_on.year
    lines = [f"В {year} году проведены заседания {commission} (всего: {len(meetings)}):"]
    for meeting in meetings:
        agenda = " ".join(meeting.agenda.split())
        lines.append(
            f"— {meeting.held_on:%d.%m.%Y}, протокол № {meeting.protocol_number}: {agenda}"
        )
    return "\n".join(lines)


# Half-year compliance


MET, MISSED, CURRENT, FUTURE = "met", "missed", "current", "future"


@dataclass
class ComplianceCell:
    half: HalfYear
    meetings: list[CommissionMeeting]
    state: str  # MET, MISSED (the half-year is over without a meeting), CURRENT, FUTURE

    @property
    def count(self) -> int:
        return len(self.meetings)


@dataclass
class ComplianceRow:
    agency: Agency | None  # None: the interdepartmental commission
    cells: list[ComplianceCell]

    @property
    def name(self) -> str:
        return str(NATIONAL_COMMISSION) if self.agency is None else self.agency.name

    @property
    def filter_code(self) -> str:
        return NATIONAL if self.agency is None else self.agency.code

    @property
    def gaps(self) -> int:
        return sum(1 for cell in self.cells if cell.state == MISSED)


@dataclass
class HalfYearTotal:
    half: HalfYear
    met: int
    missed: int
    total: int


@dataclass
class Compliance:
    plan: Plan
    halves: list[HalfYear]
    rows: list[ComplianceRow]
    today: datetime.date

    @property
    def totals(self) -> list[HalfYearTotal]:
        totals = []
        for index, half in enumerate(self.halves):
            states = [row.cells[index].state for row in self.rows]
            totals.append(
                HalfYearTotal(half, states.count(MET), states.count(MISSED), len(self.rows))
            )
        return totals

    @property
    def gaps(self) -> int:
        return sum(row.gaps for row in self.rows)

    @property
    def commissions_with_gaps(self) -> int:
        return sum(1 for row in self.rows if row.gaps)


def _state(half: HalfYear, count: int, today: datetime.date) -> str:
    if count:
        return MET
    if today > half.end:
        return MISSED
    return CURRENT if half.contains(today) else FUTURE


def compliance(*, plan: Plan, today: datetime.date | None = None) -> Compliance:
    """Did every commission meet at least once in every half-year of the plan (measure 1)? The
    interdepartmental commission and each akimat's regional commission, half-year by half-year;
    a half-year is missed once its last day has ended in Kazakhstan without a meeting. Two
    queries."""
    today = today or timezone.localdate()
    halves = plan_half_years(plan)
    akimats = plan_akimats(plan=plan)
    meetings = CommissionMeeting.objects.filter(
        Q(agency__isnull=True) | Q(agency__in=akimats),
        held_on__gte=halves[0].start,
        held_on__lte=halves[-1].end,
    ).order_by("held_on", "pk")
    by_commission: dict[tuple[int | None, HalfYear], list[CommissionMeeting]] = {}
    for meeting in meetings:
        by_commission.setdefault((meeting.agency_id, HalfYear.of(meeting.held_on)), []).append(
            meeting
        )
    rows = []
    for agency in [None, *akimats]:
        agency_id = agency.pk if agency else None
        cells = []
        for half in halves:
            held = by_commission.get((agency_id, half), [])
            cells.append(ComplianceCell(half, held, _state(half, len(held), today)))
        rows.append(ComplianceRow(agency, cells))
    return Compliance(plan=plan, halves=halves, rows=rows, today=today)


# Decisions addressed to agencies


OVERDUE, OPEN, DONE, DONE_LATE = "overdue", "open", "done", "done_late"


def assignment_list(
    *, user, state: str = "", agency: Agency | None = None
) -> list[DecisionAssignment]:
    """The agencies' parts of the interdepartmental commission's decisions: all of them for the
    secretariat, observers and admins, its own agency's for an officer. `state` keeps those
    OVERDUE (not done, due day ended), OPEN (not done), DONE or DONE_LATE. Most urgent first:
    by due date, then meeting. One query."""
    assignments = (
        DecisionAssignment.objects.for_user(user)
        .select_related("agency", "completed_by", "decision__meeting")
        .filter(decision__meeting__agency__isnull=True)
    )
    if agency is not None:
        assignments = assignments.filter(agency=agency)
    if state in (OVERDUE, OPEN):
        assignments = assignments.filter(completed_at__isnull=True)
    elif state in (DONE, DONE_LATE):
        assignments = assignments.filter(completed_at__isnull=False)
    rows = list(
        assignments.order_by(
            "decision__due_date", "decision__meeting__held_on", "decision__pk", "agency__name"
        )
    )
    if state == OVERDUE:
        rows = [a for a in rows if a.is_overdue]
    elif state == DONE_LATE:
        rows = [a for a in rows if a.was_late]
    return rows


def open_assignment_counts(*, agency: Agency) -> tuple[int, int]:
    """(open, overdue) parts of decisions addressed to `agency`, for its home page. One query."""
    open_ = list(
        DecisionAssignment.objects.filter(agency=agency, completed_at__isnull=True)
        .select_related("decision")
        .only("pk", "decision__due_date", "completed_at")
    )
    return len(open_), sum(1 for a in open_ if a.is_overdue)


# Regional plans


ON_TIME, LATE, MISSING = "on_time", "late", "missing"


@dataclass
class RegionalPlanRow:
    agency: Agency
    regional_plan: RegionalPlan | None
    due: datetime.date

    @property
    def state(self) -> str:
        if self.regional_plan is None:
            return MISSING
        return ON_TIME if self.regional_plan.approved_on <= self.due else LATE

    @property
    def state_label(self) -> str:
        return {
            ON_TIME: _("утверждён в срок"),
            LATE: _("утверждён с опозданием"),
            MISSING: _("не представлен"),
        }[self.state]

    @property
    def days_late(self) -> int:
        if self.regional_plan is None or self.state != LATE:
            return 0
        return (self.regional_plan.approved_on - self.due).days


def regional_plan_rows(*, plan: Plan, user) -> list[RegionalPlanRow]:
    """Each akimat of the plan with its regional plan (or None), as `user` may see them: every
    akimat for the secretariat, observers and admins; its own for an akimat's officer; none for
    others. Two queries."""
    if not user.is_authenticated or not user.is_active:
        return []
    if user.reads_every_report:
        akimats = plan_akimats(plan=plan)
    else:
        akimats = [a for a in plan_akimats(plan=plan) if a.pk == user.agency_id]
    due = regional_plans_due(plan)
    plans = {
        r.agency_id: r
        for r in RegionalPlan.objects.for_user(user)
        .filter(plan=plan)
        .select_related("updated_by", "document")
    }
    return [RegionalPlanRow(agency, plans.get(agency.pk), due) for agency in akimats]


@dataclass
class RegionalPlanBoard:
    rows: list[RegionalPlanRow]
    due: datetime.date
    can_record: bool  # the user's akimat is among the rows and records its own

    @property
    def counts(self) -> dict[str, int]:
        return {
            state: sum(1 for row in self.rows if row.state == state)
            for state in (ON_TIME, LATE, MISSING)
        }


def regional_plan_board(*, plan: Plan, user) -> RegionalPlanBoard:
    """The regional plans' page: the rows `user` may see, the deadline, and whether it records
    one of them."""
    rows = regional_plan_rows(plan=plan, user=user)
    can_record = permissions.is_akimat_filer(user) and any(
        row.agency.pk == user.agency_id for row in rows
    )
    return RegionalPlanBoard(rows=rows, due=regional_plans_due(plan), can_record=can_record)


def regional_plan_of(*, plan: Plan, agency: Agency) -> RegionalPlan | None:
    """The akimat's regional plan for `plan`, with its document, or None."""
    return RegionalPlan.objects.filter(plan=plan, agency=agency).select_related("document").first()


def meeting_filter_choices(*, user) -> tuple[list[Agency], range]:
    """The choices of the meetings' filter: the commissions (akimats) `user` may read, and the
    years of the latest plan (and one more: МТСЗН's part of measure 1 runs into 2021)."""
    plan = default_plan()
    if plan is None:
        return [], range(0)
    akimats = plan_akimats(plan=plan)
    if not user.reads_every_report:  # an officer's filter names only what it may read
        akimats = [a for a in akimats if a.pk == user.agency_id]
    return akimats, range(plan.start_year, plan.end_year + 2)


def regional_plan_for_user(*, user, pk) -> RegionalPlan:
    return (
        RegionalPlan.objects.for_user(user).select_related("agency", "plan", "document").get(pk=pk)
    )
