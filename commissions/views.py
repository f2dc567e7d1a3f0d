"""Pages of the commissions' registers. Each view reads through a selector scoped to the user or
calls one service; the services decide who may record what (core.views.attempt shows their
refusals)."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commissions import audit, permissions, selectors, services
from commissions.compliance import regional_plans_due
from commissions.forms import (
    AssignmentFilterForm,
    DecisionForm,
    MeetingFilterForm,
    MeetingForm,
    PlanChoiceForm,
    RegionalPlanForm,
)
from commissions.models import CommissionMeeting, DecisionAssignment, ProtocolDecision, RegionalPlan
from core.forms import with_limit
from core.views import attempt, confirmation, download, require
from measures.models import Plan

NOTE_LIMIT = DecisionAssignment._meta.get_field("note").max_length


def _get_meeting_for_user(user, pk) -> CommissionMeeting:
    """The meeting, if the user may read it; 404 otherwise (another akimat's is private)."""
    try:
        return selectors.meeting_for_user(user=user, pk=pk)
    except CommissionMeeting.DoesNotExist:
        raise Http404 from None


def _get_decision_for_user(user, pk) -> ProtocolDecision:
    try:
        return selectors.decision_for_user(user=user, pk=pk)
    except ProtocolDecision.DoesNotExist:
        raise Http404 from None


def _require_reader(user):
    if not user.reads_every_report:
        raise PermissionDenied(_("Эту сводку видят секретариат МВК и наблюдатели."))


def _plan_from_request(request) -> tuple[Plan, PlanChoiceForm]:
    form = PlanChoiceForm(request.GET or None)
    plan = form.cleaned_data["plan"] if form.is_valid() else None
    plan = plan or selectors.default_plan()
    if plan is None:
        raise Http404(_("План не загружен."))
    form = PlanChoiceForm(initial={"plan": plan.code})
    return plan, form


# Meetings


@login_required
def meeting_list(request):
    """The register of meetings the user may read, with filters by commission and year."""
    user = request.user
    akimats, years = selectors.meeting_filter_choices(user=user)
    form = MeetingFilterForm(request.GET or None, akimats=akimats, years=years)
    filters = form.cleaned_data if form.is_valid() else {}
    can_record, commission = permissions.commission_recorded_by(user)
    context = {
        "form": form,
        "meetings": selectors.meeting_list(
            user=user, commission=filters.get("commission", ""), year=filters.get("year")
        ),
        "can_record": can_record,
        "records_national": can_record and commission is None,
        "is_filtered": any(filters.values()),
    }
    return render(request, "commissions/meeting_list.html", context)


def _form_status(request) -> int:
    """A form shown again after a POST was refused: 400; a form asked for: 200."""
    return 400 if request.method == "POST" else 200


def _meeting_form_page(request, form, *, meeting=None, agency=None):
    context = {"form": form, "meeting": meeting, "agency": agency}
    return render(request, "commissions/meeting_form.html", context, status=_form_status(request))


@login_required
def meeting_create(request):
    _can_record, agency = permissions.commission_recorded_by(request.user)
    require(partial(services.require_meeting_recorder, user=request.user, agency=agency))
    form = MeetingForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        record = partial(
            services.meeting_record, user=request.user, agency=agency, **form.cleaned_data
        )
        if (outcome := attempt(request, record, form=form)).ok:
            messages.success(request, _("Заседание записано."))
            return redirect(outcome.result)
    return _meeting_form_page(request, form, agency=agency)


@login_required
def meeting_detail(request, pk):
    return _meeting_page(request, _get_meeting_for_user(request.user, pk))


def _meeting_page(request, meeting, *, decision_form=None, status=200):
    can_edit = permissions.can_edit_meeting(request.user, meeting)
    context = {
        "meeting": meeting,
        "decisions": list(meeting.decisions.all()),
        "can_edit": can_edit,
        "decision_form": decision_form or (DecisionForm(meeting=meeting) if can_edit else None),
    }
    return render(request, "commissions/meeting_detail.html", context, status=status)


def _require_editor(request, meeting) -> None:
    require(partial(services.require_meeting_editor, user=request.user, meeting=meeting))


@login_required
def meeting_edit(request, pk):
    meeting = _get_meeting_for_user(request.user, pk)
    _require_editor(request, meeting)
    initial = {
        "held_on": meeting.held_on,
        "protocol_number": meeting.protocol_number,
        "agenda": meeting.agenda,
    }
    form = MeetingForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        update = partial(
            services.meeting_update, meeting=meeting, user=request.user, **form.cleaned_data
        )
        outcome = attempt(request, update, form=form)
        if outcome.gone:
            return redirect("meeting_list")
        if outcome.ok:
            messages.success(request, _("Заседание сохранено."))
            return redirect(meeting)
    return _meeting_form_page(request, form, meeting=meeting, agency=meeting.agency)


@login_required
def meeting_delete(request, pk):
    """Asked (GET): what deleting the meeting takes with it. Sent (POST): the deletion."""
    meeting = _get_meeting_for_user(request.user, pk)
    if request.method != "POST":
        _require_editor(request, meeting)
        decisions = len(meeting.decisions.all())
        consequences = [
            _("Заседание %(day)s, протокол № %(number)s, удаляется из реестра безвозвратно.")
            % {"day": date_format(meeting.held_on, "j E Y"), "number": meeting.protocol_number},
            _("Вместе с ним удаляются его решения: %(count)s.") % {"count": decisions},
        ]
        if meeting.document:
            consequences.append(
                _("И документ протокола «%(name)s».") % {"name": meeting.document.original_name}
            )
        return confirmation(
            request,
            title=_("Удалить заседание?"),
            consequences=consequences,
            action=request.path,
            back=meeting.get_absolute_url(),
            button=_("Удалить заседание"),
            check=partial(services.require_meeting_deletable, meeting=meeting),
        )
    outcome = attempt(request, partial(services.meeting_delete, meeting=meeting, user=request.user))
    if outcome.ok:
        messages.success(request, _("Заседание удалено."))
    if outcome.ok or outcome.gone:
        return redirect("meeting_list")
    return redirect(meeting)


def _download(obj, user):
    if not obj.document:
        raise Http404(_("Документ не загружен."))
    document = obj.document
    handle = document.open_for_download()
    audit.record_download(obj, user)
    return download(handle, filename=document.original_name, content_type=document.content_type)


@login_required
def meeting_document(request, pk):
    return _download(_get_meeting_for_user(request.user, pk), request.user)


# Decisions


@login_required
@require_POST
def decision_add(request, pk):
    meeting = _get_meeting_for_user(request.user, pk)
    _require_editor(request, meeting)
    form = DecisionForm(request.POST, meeting=meeting)
    # A regional commission's form has no due date and agencies: the service's defaults.
    add = partial(services.decision_add, meeting=meeting, user=request.user)
    if form.is_valid():
        outcome = attempt(request, partial(add, **form.cleaned_data), form=form)
        if outcome.gone:
            return redirect("meeting_list")
        if outcome.ok:
            messages.success(request, _("Решение записано."))
            return redirect(f"{meeting.get_absolute_url()}#decisions")
    return _meeting_page(request, meeting, decision_form=form, status=400)


@login_required
def decision_edit(request, pk):
    decision = _get_decision_for_user(request.user, pk)
    meeting = decision.meeting
    _require_editor(request, meeting)
    initial = {
        "number": decision.number,
        "text": decision.text,
        "due_date": decision.due_date,
        "agencies": list(decision.agencies.all()),
    }
    form = DecisionForm(request.POST or None, initial=initial, meeting=meeting)
    update = partial(services.decision_update, decision=decision, user=request.user)
    if request.method == "POST" and form.is_valid():
        outcome = attempt(request, partial(update, **form.cleaned_data), form=form)
        if outcome.gone:
            return redirect("meeting_list")
        if outcome.ok:
            messages.success(request, _("Решение сохранено."))
            return redirect(f"{meeting.get_absolute_url()}#decisions")
    context = {"form": form, "decision": decision, "meeting": meeting}
    return render(request, "commissions/decision_form.html", context, status=_form_status(request))


@login_required
def decision_delete(request, pk):
    """Asked (GET): which decision goes. Sent (POST): the deletion."""
    decision = _get_decision_for_user(request.user, pk)
    if request.method != "POST":
        _require_editor(request, decision.meeting)
        return confirmation(
            request,
            title=_("Удалить решение?"),
            consequences=[
                _("Пункт %(number)s протокола № %(protocol)s удаляется безвозвратно: %(text)s")
                % {
                    "number": decision.number,
                    "protocol": decision.meeting.protocol_number,
                    "text": Truncator(decision.text).words(30),
                },
                _("Поручения ведомствам по нему снимаются: %(count)s.")
                % {"count": decision.assignments.count()},
            ],
            action=request.path,
            back=f"{decision.meeting.get_absolute_url()}#decisions",
            button=_("Удалить решение"),
            check=partial(services.require_decision_deletable, decision=decision),
        )
    delete = partial(services.decision_delete, decision=decision, user=request.user)
    outcome = attempt(request, delete)
    if outcome.gone:
        return redirect("meeting_list")
    if outcome.ok:
        messages.success(request, _("Решение удалено."))
    return redirect(f"{decision.meeting.get_absolute_url()}#decisions")


@login_required
def assignment_list(request):
    """The commission's decisions addressed to agencies: every one for the secretariat and
    observers (what is overdue), the agency's own for its officers (to mark done)."""
    user = request.user
    form = AssignmentFilterForm(request.GET or None)
    if not user.reads_every_report:
        del form.fields["agency"]
    filters = form.cleaned_data if form.is_valid() else {}
    assignments = selectors.assignment_list(
        user=user, state=filters.get("state", ""), agency=filters.get("agency")
    )
    for assignment in assignments:  # what the user's buttons may do, row by row
        assignment.can_answer = permissions.can_answer(user, assignment)
        assignment.can_reopen = permissions.can_reopen(user, assignment)
    context = {
        "form": form,
        "assignments": assignments,
        "is_filtered": any(filters.values()),
        "overdue_count": sum(1 for a in assignments if a.is_overdue),
        "note_limit": NOTE_LIMIT,
        "note_help": with_limit("", NOTE_LIMIT),
    }
    return render(request, "commissions/assignment_list.html", context)


@login_required
@require_POST
def assignment_complete(request, pk):
    assignment = get_object_or_404(DecisionAssignment, pk=pk, decision__meeting__agency=None)
    # The service checks who answers and that the note says something.
    complete = partial(
        services.assignment_complete,
        assignment=assignment,
        user=request.user,
        note=request.POST.get("note", ""),
    )
    if attempt(request, complete).ok:
        messages.success(request, _("Исполнение поручения отмечено."))
    return redirect(_back(request, reverse("assignment_list")))


@login_required
@require_POST
def assignment_reopen(request, pk):
    assignment = get_object_or_404(DecisionAssignment, pk=pk, decision__meeting__agency=None)
    reopen = partial(services.assignment_reopen, assignment=assignment, user=request.user)
    if attempt(request, reopen).ok:
        messages.success(request, _("Отметка об исполнении снята."))
    return redirect(_back(request, reverse("assignment_list")))


def _back(request, default: str) -> str:
    """Where a form posted from a list goes back to: the `next` field if it is a path of ours."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        return target
    return default


# Half-year compliance and regional plans


@login_required
def compliance(request):
    """Did every commission meet at least once every half-year? For the secretariat and
    observers."""
    _require_reader(request.user)
    plan, plan_form = _plan_from_request(request)
    context = {
        "board": selectors.compliance(plan=plan),
        "plan": plan,
        "plan_form": plan_form,
        "show_plan_choice": Plan.objects.count() > 1,
    }
    return render(request, "commissions/compliance.html", context)


@login_required
def regional_plan_list(request):
    """The akimats' regional plans: approved on time (within a month of the Resolution), late,
    or missing. An akimat's officers see and record their own."""
    user = request.user
    plan, plan_form = _plan_from_request(request)
    board = selectors.regional_plan_board(plan=plan, user=user)
    context = {
        "plan": plan,
        "plan_form": plan_form,
        "show_plan_choice": user.reads_every_report and Plan.objects.count() > 1,
        "rows": board.rows,
        "due": board.due,
        "counts": board.counts,
        "can_record": board.can_record,
    }
    return render(request, "commissions/regional_plan_list.html", context)


@login_required
def regional_plan_edit(request, plan_code):
    """The user's akimat records (or corrects) its regional plan for the plan."""
    plan = get_object_or_404(Plan, code=plan_code)
    user = request.user
    require(partial(services.require_regional_plan_filer, user=user))
    current = selectors.regional_plan_of(plan=plan, agency=user.agency)
    form = RegionalPlanForm(
        request.POST or None,
        request.FILES or None,
        initial=RegionalPlanForm.initial_from(current),
        has_document=bool(current and current.document),
    )
    record = partial(services.regional_plan_record, plan=plan, agency=user.agency, user=user)
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(request, partial(record, **form.cleaned_data), form=form).ok
    ):
        messages.success(request, _("Региональный план записан."))
        return redirect(f"{reverse('regional_plan_list')}?plan={plan.code}")
    context = {
        "form": form,
        "plan": plan,
        "agency": user.agency,
        "current": current,
        "due": regional_plans_due(plan),
    }
    return render(
        request, "commissions/regional_plan_form.html", context, status=_form_status(request)
    )


@login_required
def regional_plan_document(request, pk):
    try:
        regional_plan = selectors.regional_plan_for_user(user=request.user, pk=pk)
    except RegionalPlan.DoesNotExist:
        raise Http404 from None
    return _download(regional_plan, request.user)
