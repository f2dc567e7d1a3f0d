"""Pages of the summary for the Government: the cycle's dashboard, the summary (generate, edit a
line, send) and its files. For the secretariat, observers and admins; the services decide who
acts (the coordinator's secretariat) and when (until the summary is sent)."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.documents import DOCX_TYPE, XLSX_TYPE
from core.exceptions import EditConflict
from core.views import attempt, confirmation, download
from reporting import audit, permissions
from reporting.models import ReportingCycle, Summary
from reporting.summaries import dashboard, exports, pages, selectors, services
from reporting.summaries.forms import DashboardFilterForm, SummaryGenerateForm, SummaryItemForm


def _get_cycle_for_reader(user, cycle_pk) -> ReportingCycle:
    """The cycle, for the secretariat, observers and admins; officers get a 403."""
    cycle = get_object_or_404(
        ReportingCycle.objects.select_related(
            "plan", "coordinator", "summary__generated_by", "summary__sent_by"
        ),
        pk=cycle_pk,
    )
    if not user.reads_every_report:
        raise PermissionDenied(_("Сводную информацию видят секретариат и наблюдатели."))
    return cycle


def _summary_or_404(cycle) -> Summary:
    try:
        return cycle.summary
    except Summary.DoesNotExist:
        raise Http404(_("Сводная информация за этот год ещё не сформирована.")) from None


@login_required
def cycle_dashboard(request, cycle_pk):
    """A cycle's completeness, timeliness, agencies and measures at a glance."""
    cycle = _get_cycle_for_reader(request.user, cycle_pk)
    form = DashboardFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    board = dashboard.cycle_dashboard(cycle=cycle)
    series = selectors.plan_indicator_years(plan=cycle.plan, user=request.user)
    context = {
        "cycle": cycle,
        "board": board,
        "indicator_series": series,
        "indicator_chart": selectors.indicator_chart(series),
        "indicator_title": _("Показатели Плана по годам"),
        "indicator_note": pages.years_note(),
        "show_measure": True,
        "form": form,
        "rows": dashboard.filter_rows(board.rows, **filters),
        "is_filtered": any(filters.values()),
        "report_list_url": f"{reverse('report_list')}?cycle={cycle.pk}",
    }
    return render(request, "summaries/dashboard.html", context)


@login_required
def summary_detail(request, cycle_pk):
    cycle = _get_cycle_for_reader(request.user, cycle_pk)
    summary = cycle.summary if cycle.has_summary else None
    context = {
        "cycle": cycle,
        "summary": summary,
        "items": selectors.summary_items(summary=summary) if summary else [],
        "can_act": permissions.can_review(request.user, cycle),
        "generate_form": SummaryGenerateForm(),
    }
    return render(request, "summaries/summary_detail.html", context)


@login_required
@require_POST
def summary_generate(request, cycle_pk):
    cycle = _get_cycle_for_reader(request.user, cycle_pk)
    form = SummaryGenerateForm(request.POST)
    overwrite = form.is_valid() and form.cleaned_data["overwrite"]
    edited = selectors.edited_items(cycle=cycle) if overwrite else []
    if edited and not form.cleaned_data["confirmed"]:
        # The secretariat's own wording would be lost: say which lines, and ask.
        numbers = ", ".join(item.measure.number for item in edited)
        return confirmation(
            request,
            title=_("Перезаписать строки, изменённые вручную?"),
            consequences=[
                _(
                    "Строки %(numbers)s будут сформированы заново из отчётов ведомств: "
                    "статус и текст, которые секретариат в них написал, пропадут."
                )
                % {"numbers": numbers},
                _("Остальные строки обновятся, как при обычном формировании."),
            ],
            action=request.path,
            back=reverse("summary_detail", args=[cycle.pk]),
            button=_("Перезаписать"),
            hidden={"overwrite": "on", "confirmed": "1"},
            check=partial(services.require_editable, user=request.user, summary=edited[0].summary),
        )
    generate = partial(
        services.summary_generate, cycle=cycle, user=request.user, overwrite=overwrite
    )
    if attempt(request, generate).ok:
        messages.success(request, _("Сводная информация сформирована."))
    return redirect("summary_detail", cycle_pk=cycle.pk)


@login_required
def summary_item_edit(request, cycle_pk, item_pk):
    """One line of the summary, edited with the agencies' entries beside it."""
    cycle = _get_cycle_for_reader(request.user, cycle_pk)
    summary = _summary_or_404(cycle)
    item = get_object_or_404(
        summary.items.select_related("measure__section", "measure__parent", "updated_by"),
        pk=item_pk,
    )
    if not attempt(
        request, partial(services.require_editable, user=request.user, summary=summary)
    ).ok:
        return redirect(summary)
    if request.method != "POST":
        initial = {"status": item.status, "text": item.text, "version": item.version}
        return _item_page(request, cycle, item, SummaryItemForm(initial=initial))
    form = SummaryItemForm(request.POST)
    if not form.is_valid():
        return _item_page(request, cycle, item, form)
    update = partial(
        services.summary_item_update, item=item, user=request.user, **form.cleaned_data
    )
    try:
        outcome = attempt(request, update, form=form, passes=(EditConflict,))
    except EditConflict as conflict:
        # The form now starts from the stored version: saving again is a deliberate choice.
        data = request.POST.copy()
        data["version"] = conflict.current.version
        return _item_page(request, cycle, item, SummaryItemForm(data), current=conflict.current)
    if outcome.gone:
        return redirect(summary)
    if not outcome.ok:
        return _item_page(request, cycle, item, form)
    messages.success(request, _("Строка %(number)s сохранена.") % {"number": item.measure.number})
    return redirect(f"{summary.get_absolute_url()}#item-{item.pk}")


def _item_page(request, cycle, item, form, *, current=None):
    if current is not None:
        form.is_valid()
    context = {
        "cycle": cycle,
        "summary": item.summary,
        "item": item,
        "form": form,
        "current": current,
        "line": selectors.consolidation_line(cycle=cycle, measure=item.measure),
    }
    status = 409 if current else 200
    return render(request, "summaries/summary_item_form.html", context, status=status)


SEND_STORAGE_FAILURE = gettext_lazy(
    "Файлы сводной информации не удалось сохранить на сервере. Отправка не записана, сводная "
    "информация осталась черновиком; попробуйте позже или сообщите администратору."
)


@login_required
def summary_send(request, cycle_pk):
    """Asked (GET): what sending will do and who has not reported, with the button that does
    it. Sent (POST): the sending recorded."""
    cycle = _get_cycle_for_reader(request.user, cycle_pk)
    summary = _summary_or_404(cycle)
    if request.method != "POST":
        check = partial(services.require_editable, user=request.user, summary=summary)
        if not attempt(request, check).ok:
            return redirect(summary)
        context = {"cycle": cycle, "check": selectors.send_check(summary=summary)}
        return render(request, "summaries/summary_send_confirm.html", context)
    send = partial(services.summary_send, summary=summary, user=request.user)
    if attempt(request, send, storage_failure=SEND_STORAGE_FAILURE).ok:
        messages.success(
            request, _("Отправка сводной информации в Правительство записана. Отчёты года закрыты.")
        )
    return redirect(summary)


def _summary_file(request, cycle_pk, kind):
    cycle = _get_cycle_for_reader(request.user, cycle_pk)
    summary = _summary_or_404(cycle)
    if summary.is_sent:
        stored = summary.sent_xlsx if kind == "xlsx" else summary.sent_docx
        with stored.open("rb") as handle:
            content = handle.read()
    else:
        content = (exports.summary_xlsx if kind == "xlsx" else exports.summary_docx)(summary)
    audit.record_summary(
        audit.Action.SUMMARY_EXPORTED,
        summary,
        request.user,
        cycle=cycle,
        format=kind,
        as_sent=summary.is_sent,
    )
    filename = f"summary-{cycle.plan.code}-{cycle.year}.{kind}"
    return download(
        content, filename=filename, content_type=XLSX_TYPE if kind == "xlsx" else DOCX_TYPE
    )


@login_required
def summary_xlsx(request, cycle_pk):
    return _summary_file(request, cycle_pk, "xlsx")


@login_required
def summary_docx(request, cycle_pk):
    return _summary_file(request, cycle_pk, "docx")


@login_required
def cycle_entries_xlsx(request, cycle_pk):
    cycle = _get_cycle_for_reader(request.user, cycle_pk)
    content = exports.cycle_entries_xlsx(cycle)
    audit.record_entries_export(cycle, request.user)
    filename = f"entries-{cycle.plan.code}-{cycle.year}.xlsx"
    return download(content, filename=filename, content_type=XLSX_TYPE)
