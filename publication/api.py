"""The read-only API for other government systems (django-ninja): /api/v1/. Every answer is
built here from publication.selectors, field by field, so that nothing the schemas below do not
name (a draft, a narrative, a document, an account) can reach a response."""

import datetime
from typing import Generic, TypeVar

from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest
from ninja import NinjaAPI, Query, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import Field

from agencies.models import Agency
from measures.models import Measure, Plan, Responsibility, Section
from publication import selectors
from publication.auth import ApiError, TokenAuth
from reporting.models import ReportingCycle, Summary, SummaryItem

DESCRIPTION = """Read-only data of the portal of the Plan of measures of Government Resolution
No. 609: plans, sections, measures with their executors and years, reporting cycles, agencies,
and the summaries **as sent to the Government** (never a draft, an agency's report or its
narrative, a document, or a user).

Every request carries `Authorization: Bearer <token>`; tokens are issued by the portal's
administrator, one per consuming system. Lists are paginated with `limit` (at most 200) and
`offset` and give the total `count`. Responses carry an `ETag`: send it back in
`If-None-Match` to get `304 Not Modified` when nothing changed. Errors are JSON:
`{"error": "<code>", "message": "<text>"}`."""

api = NinjaAPI(
    title="Plan portal API",
    version="1.0",
    description=DESCRIPTION,
    auth=TokenAuth(),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)

T = TypeVar("T")
MAX_LIMIT = 200


class ErrorOut(Schema):
    error: str
    message: str


class PageParams(Schema):
    limit: int = Field(50, ge=1, le=MAX_LIMIT, description="How many items (1–200).")
    offset: int = Field(0, ge=0, description="How many items to skip.")


class Page(Schema, Generic[T]):
    count: int
    limit: int
    offset: int
    items: list[T]


ERRORS = {400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 429: ErrorOut}


def _page(queryset, params: PageParams, serialize) -> dict:
    """One page of `queryset`: two queries (the count, the page) plus its prefetches."""
    items = [serialize(obj) for obj in queryset[params.offset : params.offset + params.limit]]
    return {
        "count": queryset.count(),
        "limit": params.limit,
        "offset": params.offset,
        "items": items,
    }


# Filters by natural key: an unknown one is a 400 that names it.


def _plan(code: str | None) -> Plan | None:
    if code is None:
        return None
    plan = Plan.objects.filter(code=code).first()
    if plan is None:
        raise ApiError(400, "bad_filter", f"plan: no plan with code {code!r}.")
    return plan


def _agency(code: str | None) -> Agency | None:
    if code is None:
        return None
    agency = Agency.objects.filter(code=code).first()
    if agency is None:
        raise ApiError(400, "bad_filter", f"agency: no agency with code {code!r}.")
    return agency


def _measure(measure_id: int | None) -> Measure | None:
    if measure_id is None:
        return None
    measure = Measure.objects.filter(pk=measure_id).first()
    if measure is None:
        raise ApiError(400, "bad_filter", f"measure: no measure with id {measure_id}.")
    return measure


# Schemas and what fills them


class PlanOut(Schema):
    code: str
    title: str
    resolution_number: str
    resolution_date: datetime.date
    start_year: int
    end_year: int
    years: list[int]


def plan_out(plan: Plan) -> dict:
    return {
        "code": plan.code,
        "title": plan.title,
        "resolution_number": plan.resolution_number,
        "resolution_date": plan.resolution_date,
        "start_year": plan.start_year,
        "end_year": plan.end_year,
        "years": list(plan.years),
    }


class SectionOut(Schema):
    plan: str = Field(description="The plan's code.")
    number: int
    title: str


def section_out(section: Section) -> dict:
    return {"plan": section.plan.code, "number": section.number, "title": section.title}


class AgencyRef(Schema):
    code: str
    abbreviation: str
    name: str


def agency_ref(agency: Agency) -> dict:
    return {"code": agency.code, "abbreviation": agency.abbreviation, "name": agency.name}


class ExecutorOut(Schema):
    agency: AgencyRef
    position: int = Field(description="Order in the column; 1 is the lead executor.")
    by_agreement: bool = Field(description="«по согласованию»: not subordinate to the Government.")
    is_consolidator: bool = Field(description="«(свод)»: consolidates the others' information.")
    years: list[int] = Field(description="The years this executor reports for.")


def executor_out(responsibility: Responsibility, measure: Measure) -> dict:
    responsibility.measure = measure  # already loaded: Responsibility.years reads it
    return {
        "agency": agency_ref(responsibility.agency),
        "position": responsibility.position,
        "by_agreement": responsibility.by_agreement,
        "is_consolidator": responsibility.is_consolidator,
        "years": list(responsibility.years),
    }


class MeasureOut(Schema):
    id: int
    plan: str = Field(description="The plan's code.")
    section: int = Field(description="The section's number.")
    number: str
    parent: str | None = Field(description="The heading's number (3 for 3.1–3.7).")
    is_heading: bool = Field(description="A measure with sub-measures: nobody reports on it.")
    title: str
    completion_form: str
    responsible_text: str = Field(description="The executors' column as the Resolution has it.")
    deadline_text: str
    first_year: int
    last_year: int
    years: list[int] = Field(description="The years the measure is reported on.")
    open_to_interested: bool = Field(description="Any body may report on it.")
    executors: list[ExecutorOut]


def measure_out(measure: Measure) -> dict:
    return {
        "id": measure.pk,
        "plan": measure.plan.code,
        "section": measure.section.number,
        "number": measure.number,
        "parent": measure.parent.number if measure.parent else None,
        "is_heading": measure.is_heading,  # type: ignore[attr-defined]
        "title": measure.title,
        "completion_form": measure.completion_form,
        "responsible_text": measure.responsible_text,
        "deadline_text": measure.deadline_text,
        "first_year": measure.first_year,
        "last_year": measure.last_year,
        "years": list(measure.years),
        "open_to_interested": measure.open_to_interested,
        "executors": [executor_out(r, measure) for r in measure.responsibilities.all()],
    }


def _measures(**filters):
    return selectors.published_measures(**filters).annotate(
        is_heading=Exists(Measure.objects.filter(parent=OuterRef("pk")))
    )


class CycleOut(Schema):
    id: int
    plan: str
    year: int = Field(description="The year reported on.")
    submission_deadline: datetime.date = Field(description="Agencies report by this day.")
    summary_deadline: datetime.date = Field(description="The summary goes to the Government by.")
    coordinator: AgencyRef


def cycle_out(cycle: ReportingCycle) -> dict:
    return {
        "id": cycle.pk,
        "plan": cycle.plan.code,
        "year": cycle.year,
        "submission_deadline": cycle.submission_deadline,
        "summary_deadline": cycle.summary_deadline,
        "coordinator": agency_ref(cycle.coordinator),
    }


class AgencyOut(Schema):
    code: str
    abbreviation: str
    name: str
    kind: str = Field(description="ministry | state_body | akimat | organization")
    by_agreement: bool
    parent: str | None = Field(description="The parent body's code.")
    is_active: bool
    active_from: datetime.date | None
    active_until: datetime.date | None


def agency_out(agency: Agency) -> dict:
    return {
        **agency_ref(agency),
        "kind": agency.kind,
        "by_agreement": agency.by_agreement,
        "parent": agency.parent.code if agency.parent else None,
        "is_active": agency.is_active,
        "active_from": agency.active_from,
        "active_until": agency.active_until,
    }


class MeasureRef(Schema):
    id: int
    number: str
    title: str


class IndicatorTotalOut(Schema):
    indicator: str = Field(description="The indicator's code within its measure.")
    name: str
    unit: str
    kind: str = Field(description="count | sum | yes_no")
    aggregation: str = Field(description="sum (added up across agencies) | none (listed)")
    total: int | None = Field(
        description="The sum of the values given (the «yes» answers of a yes/no); null when the "
        "indicator is not added up."
    )
    answered: int = Field(description="Executors that gave a value.")
    expected: int = Field(description="Executors named for the measure that year.")
    text: str = Field(description="The total as the summary says it, in Russian.")


def indicator_total_out(total) -> dict:
    indicator = total.indicator
    return {
        "indicator": indicator.code,
        "name": indicator.name,
        "unit": indicator.unit,
        "kind": indicator.kind,
        "aggregation": indicator.aggregation,
        "total": total.total,
        "answered": total.answered,
        "expected": total.expected,
        "text": total.text,
    }


class SummaryLineOut(Schema):
    plan: str
    year: int
    measure: MeasureRef
    status: str = Field(
        description="done | in_progress | partial | not_done | no_information | insufficient"
    )
    status_label: str = Field(description="The status as the summary says it, in Russian.")
    text: str = Field(description="The information on the measure's execution, as sent.")
    indicator_totals: list[IndicatorTotalOut] = Field(
        description="The measure's figures added up across agencies, as sent."
    )


def summary_line_out(line: SummaryItem) -> dict:
    return {
        "plan": line.summary.cycle.plan.code,
        "year": line.summary.cycle.year,
        "measure": {
            "id": line.measure.pk,
            "number": line.measure.number,
            "title": line.measure.title,
        },
        "status": line.status,
        "status_label": str(SummaryItem.Status(line.status).label),
        "text": line.text,
        "indicator_totals": [indicator_total_out(t) for t in line.indicator_totals.all()],
    }


class SummaryOut(Schema):
    plan: str
    year: int
    coordinator: AgencyRef
    sent_at: datetime.datetime
    is_late: bool = Field(description="Sent after the end of the summary deadline in Astana.")


def summary_out(summary: Summary) -> dict:
    return {
        "plan": summary.cycle.plan.code,
        "year": summary.cycle.year,
        "coordinator": agency_ref(summary.cycle.coordinator),
        "sent_at": summary.sent_at,
        "is_late": summary.is_late,
    }


class SummaryDetailOut(SummaryOut):
    lines: list[SummaryLineOut]


# Endpoints


@api.get("/plans", response={200: Page[PlanOut], **ERRORS}, tags=["plan"])
def plan_list(request: HttpRequest, page: Query[PageParams]):
    """Every plan, newest first."""
    return _page(selectors.published_plans(), page, plan_out)


@api.get("/plans/{code}", response={200: PlanOut, **ERRORS}, tags=["plan"])
def plan_detail(request: HttpRequest, code: str):
    plan = selectors.published_plans().filter(code=code).first()
    if plan is None:
        raise Http404
    return plan_out(plan)


@api.get("/sections", response={200: Page[SectionOut], **ERRORS}, tags=["plan"])
def section_list(request: HttpRequest, page: Query[PageParams], plan: str | None = None):
    """The plans' sections; `plan` (a plan's code) keeps one plan's."""
    return _page(selectors.published_sections(plan=_plan(plan)), page, section_out)


@api.get("/measures", response={200: Page[MeasureOut], **ERRORS}, tags=["plan"])
def measure_list(
    request: HttpRequest,
    page: Query[PageParams],
    plan: str | None = None,
    year: int | None = None,
    agency: str | None = None,
):
    """The measures in plan order with their executors. `year` keeps those reported on that
    year; `agency` (an agency's code) those it executes (in `year`, when given)."""
    measures = _measures(plan=_plan(plan), year=year, agency=_agency(agency))
    return _page(measures, page, measure_out)


@api.get("/measures/{measure_id}", response={200: MeasureOut, **ERRORS}, tags=["plan"])
def measure_detail(request: HttpRequest, measure_id: int):
    measure = _measures().filter(pk=measure_id).first()
    if measure is None:
        raise Http404
    return measure_out(measure)


@api.get("/cycles", response={200: Page[CycleOut], **ERRORS}, tags=["reporting"])
def cycle_list(
    request: HttpRequest, page: Query[PageParams], plan: str | None = None, year: int | None = None
):
    """The reporting calendar: per plan and year, the deadlines and the coordinator."""
    return _page(selectors.published_cycles(plan=_plan(plan), year=year), page, cycle_out)


@api.get("/agencies", response={200: Page[AgencyOut], **ERRORS}, tags=["agencies"])
def agency_list(
    request: HttpRequest,
    page: Query[PageParams],
    kind: Agency.Kind | None = None,
    plan: str | None = None,
):
    """The executing bodies; `plan` keeps those named in a plan's measures."""
    agencies = selectors.published_agencies(kind=kind or "", plan=_plan(plan))
    return _page(agencies, page, agency_out)


@api.get("/agencies/{code}", response={200: AgencyOut, **ERRORS}, tags=["agencies"])
def agency_detail(request: HttpRequest, code: str):
    agency = selectors.published_agencies().filter(code=code).first()
    if agency is None:
        raise Http404
    return agency_out(agency)


@api.get("/summaries", response={200: Page[SummaryOut], **ERRORS}, tags=["summaries"])
def summary_list(
    request: HttpRequest, page: Query[PageParams], plan: str | None = None, year: int | None = None
):
    """The summaries sent to the Government (never a draft)."""
    return _page(selectors.sent_summaries(plan=_plan(plan), year=year), page, summary_out)


@api.get(
    "/summaries/{plan_code}/{year}",
    response={200: SummaryDetailOut, **ERRORS},
    tags=["summaries"],
)
def summary_detail(request: HttpRequest, plan_code: str, year: int):
    """A sent summary with its lines. A summary not sent yet is a 404, as if it did not exist."""
    summary = selectors.sent_summaries().filter(cycle__plan__code=plan_code, cycle__year=year)
    found = summary.first()
    if found is None:
        raise Http404
    lines = selectors.sent_summary_lines(summary=found)
    return {**summary_out(found), "lines": [summary_line_out(line) for line in lines]}


@api.get("/summary-lines", response={200: Page[SummaryLineOut], **ERRORS}, tags=["summaries"])
def summary_line_list(
    request: HttpRequest,
    page: Query[PageParams],
    plan: str | None = None,
    year: int | None = None,
    measure: int | None = None,
    agency: str | None = None,
):
    """The lines of every sent summary: per measure and year, the status and text as sent.
    `agency` keeps the lines of the measures it executed that year."""
    lines = selectors.sent_summary_lines(
        plan=_plan(plan), year=year, measure=_measure(measure), agency=_agency(agency)
    )
    return _page(lines, page, summary_line_out)


# Errors, all as {"error", "message"}


def _error(request, status: int, code: str, message: str, headers: dict | None = None):
    response = api.create_response(request, {"error": code, "message": message}, status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


@api.exception_handler(ApiError)
def on_api_error(request, exc: ApiError):
    return _error(request, exc.status, exc.code, exc.message, exc.headers)


@api.exception_handler(AuthenticationError)
def on_missing_token(request, exc):
    return _error(
        request,
        401,
        "missing_token",
        "Send the token the portal's administrator issued: Authorization: Bearer <token>.",
        {"WWW-Authenticate": "Bearer"},
    )


@api.exception_handler(NinjaValidationError)
def on_bad_parameter(request, exc: NinjaValidationError):
    problems = "; ".join(
        f"{'.'.join(str(p) for p in error.get('loc', [])[1:]) or 'request'}: {error.get('msg')}"
        for error in exc.errors
    )
    return _error(request, 400, "bad_request", problems or "The request's parameters are invalid.")


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return _error(request, 404, "not_found", "Nothing is published at this address.")


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    return _error(request, exc.status_code, "error", str(exc))
