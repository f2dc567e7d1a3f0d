from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from commissions.selectors import (
    commission_meetings_in_year,
    narrative_with_meetings,
    open_assignment_counts,
)
from reporting import audit, permissions, selectors, services
from reporting.documents import open_stored
from reporting.exceptions import (
    EditConflict,
    IncompleteReport,
    ReportingError,
    forbid_if_not_allowed,
)
from reporting.forms import (
    EntryForm,
    ReportFilterForm,
    ReviewForm,
    SummaryGenerateForm,
    SummaryItemForm,
    VoluntaryEntryForm,
)
from reporting.models import AnnualReport, Attachment, ReportEntry, ReportingCycle, Summary


def _get_report_for_user(user, pk) -> AnnualReport:
    """The report, if the user may read it; 404 otherwise: another agency's report is private."""
    try:
        return selectors.report_for_user(user=user, pk=pk)
    except AnnualReport.DoesNotExist:
        raise Http404 from None


@login_required
def home(request):
    """An agency's reporting cycles: its report in each, the deadline and the way in."""
    user = request.user
    context = {
        "cycles": selectors.agency_cycles(agency=user.agency) if user.agency_id else [],
        # The commission's decisions addressed to the agency that are not done yet.
        "assignments": open_assignment_counts(agency=user.agency) if user.agency_id else (0, 0),
        "reads_every_report": user.reads_every_report,
        "monitored_cycles": selectors.monitored_cycles() if user.reads_every_report else [],
    }
    return render(request, "reporting/home.html", context)


@login_required
@require_POST
def report_start(request, cycle_pk):
    cycle = get_object_or_404(ReportingCycle, pk=cycle_pk)
    user = request.user
    if not user.agency_id or not permissions.can_file(user, cycle, user.agency):
        raise PermissionDenied(_("Отчёты ведомства ведут его исполнители."))
    report = services.report_open(cycle=cycle, agency=user.agency)
    return redirect(report)


@login_required
def report_list(request):
    form = ReportFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    reports = selectors.report_list(user=request.user, **filters)
    return render(request, "reporting/report_list.html", {"form": form, "reports": reports})


def _report_page(request, report, *, status=200, submit_errors=None, review_form=None):
    user = request.user
    can_edit = permissions.can_edit(user, report)
    context = {
        "report": report,
        "entries": selectors.report_entries(report=report),
        "comments": selectors.report_comments(report=report),
        "history": selectors.report_history(report=report),
        "can_edit": can_edit,
        "can_review": permissions.can_review(user, report.cycle),
        "submit_errors": submit_errors or {},
        "review_form": review_form or ReviewForm(),
        "voluntary_form": (
            VoluntaryEntryForm(measures=selectors.open_measures_to_add(report=report))
            if can_edit
            else None
        ),
    }
    return render(request, "reporting/report_detail.html", context, status=status)


@login_required
def report_detail(request, pk):
    report = _get_report_for_user(request.user, pk)
    return _report_page(request, report)


@login_required
def entry_edit(request, pk, entry_pk):
    report = _get_report_for_user(request.user, pk)
    try:
        entry = selectors.entry_for_report(report=report, pk=entry_pk)
    except ReportEntry.DoesNotExist:
        raise Http404 from None
    if not permissions.can_file(request.user, report.cycle, report.agency):
        raise PermissionDenied(_("Редактировать этот отчёт может только его ведомство."))
    if not report.is_editable:
        messages.error(
            request,
            _("Отчёт в состоянии «%(state)s»: изменять его нельзя.")
            % {"state": report.get_state_display()},
        )
        return redirect(report)

    meetings = None
    if entry.measure.reports_commission_meetings:
        meetings = commission_meetings_in_year(agency=report.agency, year=report.cycle.year)
    if request.method == "POST" and "insert_meetings" in request.POST:
        # Never a save: the text typed so far follows the meetings, for the officer to check.
        data = request.POST.copy()
        data["narrative"] = narrative_with_meetings(
            meetings=meetings or [], agency=report.agency, narrative=data.get("narrative", "")
        )
        form = EntryForm(data)
        messages.info(
            request,
            _("Сведения о заседаниях вставлены в начало текста. Проверьте его и сохраните."),
        )
    elif request.method == "POST":
        form = EntryForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                _save_entry(entry, request.user, form.cleaned_data)
            except EditConflict as conflict:
                return _conflict_page(request, report, entry, conflict)
            except ReportingError as error:
                forbid_if_not_allowed(error)
                form.add_error(None, str(error))
            except ValidationError as error:
                form.add_error(None, error)
            except OSError:
                form.add_error(
                    None,
                    _(
                        "Документ не удалось сохранить на сервере. Строка отчёта не изменена; "
                        "попробуйте позже или сообщите администратору."
                    ),
                )
            else:
                messages.success(
                    request,
                    _("Мероприятие %(number)s сохранено.") % {"number": entry.measure.number},
                )
                if "save_next" in request.POST:
                    following = (
                        report.entries.filter(measure__position__gt=entry.measure.position)
                        .order_by("measure__position")
                        .first()
                    )
                    if following:
                        return redirect(following.get_absolute_url())
                return redirect(report)
    else:
        form = EntryForm(
            initial={"status": entry.status, "narrative": entry.narrative, "version": entry.version}
        )
    context = {
        "report": report,
        "entry": entry,
        "form": form,
        "meetings_panel": meetings is not None,
        "meetings": meetings,
    }
    return render(request, "reporting/entry_form.html", context)


def _save_entry(entry, user, data):
    """The entry and its new documents in one transaction: all saved, or none."""
    stored = []
    try:
        with transaction.atomic():
            services.entry_update(
                entry=entry,
                user=user,
                status=data["status"],
                narrative=data["narrative"],
                version=data["version"],
            )
            for file in data["documents"]:
                stored.append(services.attachment_add(entry=entry, user=user, file=file).file)
    except Exception:
        # The rows are rolled back; the files already written must go too.
        for file in stored:
            file.delete(save=False)
        raise


def _conflict_page(request, report, entry, conflict):
    current = conflict.current
    # The form now starts from the stored version: saving it again is a deliberate choice.
    data = request.POST.copy()
    data["version"] = current.version
    form = EntryForm(data)
    form.is_valid()
    context = {"report": report, "entry": entry, "form": form, "current": current}
    return render(request, "reporting/entry_conflict.html", context, status=409)


@login_required
@require_POST
def entry_add(request, pk):
    report = _get_report_for_user(request.user, pk)
    form = VoluntaryEntryForm(request.POST, measures=selectors.open_measures_to_add(report=report))
    if not permissions.can_file(request.user, report.cycle, report.agency):
        raise PermissionDenied
    if form.is_valid():
        try:
            entry = services.entry_add_voluntary(
                report=report, measure=form.cleaned_data["measure"], user=request.user
            )
        except ReportingError as error:
            forbid_if_not_allowed(error)
            messages.error(request, str(error))
        else:
            return redirect(entry.get_absolute_url())
    else:
        messages.error(request, _("Выберите мероприятие из списка."))
    return redirect(report)


@login_required
@require_POST
def entry_remove(request, pk, entry_pk):
    report = _get_report_for_user(request.user, pk)
    entry = get_object_or_404(report.entries.select_related("measure"), pk=entry_pk)
    try:
        services.entry_remove_voluntary(entry=entry, user=request.user)
    except ReportingError as error:
        forbid_if_not_allowed(error)
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Мероприятие %(number)s убрано из отчёта.") % {"number": entry.measure.number},
        )
    return redirect(report)


@login_required
def attachment_download(request, pk):
    try:
        attachment = selectors.attachment_for_user(user=request.user, pk=pk)
    except Attachment.DoesNotExist:
        raise Http404 from None
    handle = open_stored(attachment.file)
    audit.record_document(
        audit.Action.DOCUMENT_DOWNLOADED,
        attachment,
        request.user,
        report=attachment.entry.report,
        measure_number=attachment.entry.measure.number,
    )
    return FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


@login_required
@require_POST
def attachment_delete(request, pk):
    try:
        attachment = selectors.attachment_for_user(user=request.user, pk=pk)
    except Attachment.DoesNotExist:
        raise Http404 from None
    report = attachment.entry.report
    try:
        services.attachment_delete(attachment=attachment, user=request.user)
    except ReportingError as error:
        forbid_if_not_allowed(error)
        messages.error(request, str(error))
    else:
        messages.success(request, _("Документ «%(name)s» удалён.") % {"name": attachment})
    return redirect(attachment.entry.get_absolute_url() if report.is_editable else report)


@login_required
@require_POST
def report_submit(request, pk):
    report = _get_report_for_user(request.user, pk)
    try:
        services.report_submit(report=report, user=request.user)
    except IncompleteReport as error:
        messages.error(request, str(error))
        return _report_page(request, report, status=400, submit_errors=error.errors)
    except ReportingError as error:
        forbid_if_not_allowed(error)
        messages.error(request, str(error))
    else:
        messages.success(request, _("Отчёт представлен координатору."))
    return redirect(report)


def _review_view(action, *, comment_required, done_message):
    @login_required
    @require_POST
    def view(request, pk):
        report = _get_report_for_user(request.user, pk)
        if not permissions.can_review(request.user, report.cycle):
            raise PermissionDenied(_("Рассматривает отчёты секретариат координатора."))
        form = ReviewForm(request.POST, comment_required=comment_required)
        if not form.is_valid():
            messages.error(request, _("Напишите комментарий: что нужно доработать и почему."))
            return _report_page(request, report, status=400, review_form=form)
        try:
            action(report=report, user=request.user, comment=form.cleaned_data["comment"])
        except ReportingError as error:
            forbid_if_not_allowed(error)
            messages.error(request, str(error))
        else:
            messages.success(request, done_message)
        return redirect(report)

    return view


report_accept = _review_view(
    services.report_accept, comment_required=False, done_message=gettext_lazy("Отчёт принят.")
)
report_return = _review_view(
    services.report_return,
    comment_required=True,
    done_message=gettext_lazy("Отчёт возвращён на доработку."),
)
report_reopen = _review_view(
    services.report_reopen,
    comment_required=True,
    done_message=gettext_lazy("Отчёт открыт для доработки."),
)


# The summary for the Government


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
    return render(request, "reporting/summary_detail.html", context)


@login_required
@require_POST
def summary_generate(request, cycle_pk):
    cycle = _get_cycle_for_reader(request.user, cycle_pk)
    form = SummaryGenerateForm(request.POST)
    overwrite = form.is_valid() and form.cleaned_data["overwrite"]
    try:
        services.summary_generate(cycle=cycle, user=request.user, overwrite=overwrite)
    except ReportingError as error:
        forbid_if_not_allowed(error)
        messages.error(request, str(error))
    else:
        messages.success(request, _("Сводная информация сформирована."))
    return redirect("summary_detail", cycle_pk=cycle.pk)


@login_required
def summary_item_edit(request, cycle_pk, item_pk):
    cycle = _get_cycle_for_reader(request.user, cycle_pk)
    summary = _summary_or_404(cycle)
    item = get_object_or_404(
        summary.items.select_related("measure__section", "measure__parent", "updated_by"),
        pk=item_pk,
    )
    if not permissions.can_review(request.user, cycle):
        raise PermissionDenied(_("Сводную информацию готовит секретариат координатора."))
    if summary.is_sent:
        messages.error(request, _("Сводная информация отправлена: она больше не меняется."))
        return redirect(summary)
    current = None
    if request.method == "POST":
        form = SummaryItemForm(request.POST)
        if form.is_valid():
            try:
                services.summary_item_update(item=item, user=request.user, **form.cleaned_data)
            except EditConflict as conflict:
                current = conflict.current
                data = request.POST.copy()
                data["version"] = current.version
                form = SummaryItemForm(data)
                form.is_valid()
            except ReportingError as error:
                forbid_if_not_allowed(error)
                form.add_error(None, str(error))
            else:
                messages.success(
                    request, _("Строка %(number)s сохранена.") % {"number": item.measure.number}
                )
                return redirect(f"{summary.get_absolute_url()}#item-{item.pk}")
    else:
        form = SummaryItemForm(
            initial={"status": item.status, "text": item.text, "version": item.version}
        )
    context = {
        "cycle": cycle,
        "summary": summary,
        "item": item,
        "form": form,
        "current": current,
        "line": selectors.consolidation_line(cycle=cycle, measure=item.measure),
    }
    return render(
        request, "reporting/summary_item_form.html", context, status=409 if current else 200
    )


@login_required
@require_POST
def summary_send(request, cycle_pk):
    cycle = _get_cycle_for_reader(request.user, cycle_pk)
    summary = _summary_or_404(cycle)
    try:
        services.summary_send(summary=summary, user=request.user)
    except ReportingError as error:
        forbid_if_not_allowed(error)
        messages.error(request, str(error))
    except OSError:  # a full disk, or the documents folder not writable: nothing was recorded
        messages.error(
            request,
            _(
                "Файлы сводной информации не удалось сохранить на сервере. Отправка не записана, "
                "сводная информация осталась черновиком; попробуйте позже или сообщите "
                "администратору."
            ),
        )
    else:
        messages.success(
            request, _("Отправка сводной информации в Правительство записана. Отчёты года закрыты.")
        )
    return redirect(summary)


def _download(content: bytes, filename: str, content_type: str):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _summary_file(request, cycle_pk, kind):
    from reporting import exports

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
    return _download(content, filename, XLSX if kind == "xlsx" else DOCX)


@login_required
def summary_xlsx(request, cycle_pk):
    return _summary_file(request, cycle_pk, "xlsx")


@login_required
def summary_docx(request, cycle_pk):
    return _summary_file(request, cycle_pk, "docx")


@login_required
def cycle_entries_xlsx(request, cycle_pk):
    from reporting import exports

    cycle = _get_cycle_for_reader(request.user, cycle_pk)
    content = exports.cycle_entries_xlsx(cycle)
    audit.record_entries_export(cycle, request.user)
    filename = f"entries-{cycle.plan.code}-{cycle.year}.xlsx"
    return _download(content, filename, XLSX)
