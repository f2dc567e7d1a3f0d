"""Pages of the annual reports: the agency's home, a report, its entries and documents, the
review. Each view reads through a selector scoped to the user, or calls one service; the
services decide who may act and in which state (core.views.attempt shows their refusals)."""

from dataclasses import dataclass
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from agencies.selectors import agency_lineage
from core import pages
from core.documents import XLSX_TYPE
from core.exceptions import EditConflict
from core.views import attempt, confirmation, download
from reporting import audit, permissions, selectors, services, workbooks
from reporting.exceptions import CommentRequired, IncompleteReport
from reporting.forms import (
    EntryForm,
    ReportFilterForm,
    ReportUploadForm,
    ReviewForm,
    VoluntaryEntryForm,
    figures_initial,
)
from reporting.models import AnnualReport, Attachment, ReportEntry, ReportingCycle


def _get_report_for_user(user, pk) -> AnnualReport:
    """The report, if the user may read it; 404 otherwise: another agency's report is private."""
    try:
        return selectors.report_for_user(user=user, pk=pk)
    except AnnualReport.DoesNotExist:
        raise Http404 from None


def _get_attachment_for_user(user, pk) -> Attachment:
    try:
        return selectors.attachment_for_user(user=user, pk=pk)
    except Attachment.DoesNotExist:
        raise Http404 from None


@login_required
def home(request):
    """An agency's reporting cycles: its report in each, the deadline and the way in; the
    secretariat's and observers' way to every cycle."""
    user = request.user
    monitored = selectors.monitored_cycles() if user.reads_every_report else []
    context = {
        "cycles": selectors.agency_cycles(agency=user.agency) if user.agency_id else [],
        "reads_every_report": user.reads_every_report,
        "monitored_cycles": monitored,
        "several_plans": len({cycle.plan_id for cycle in monitored}) > 1,
        **pages.page_context("home", user=user),
    }
    return render(request, "reporting/home.html", context)


@login_required
@require_POST
def report_start(request, cycle_pk):
    cycle = get_object_or_404(ReportingCycle, pk=cycle_pk)
    outcome = attempt(request, partial(services.report_start, cycle=cycle, user=request.user))
    return redirect(outcome.result if outcome.ok else "home")


@login_required
def report_list(request):
    form = ReportFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    reports = selectors.report_list(user=request.user, **filters)
    return render(request, "reporting/report_list.html", {"form": form, "reports": reports})


@dataclass
class EntryRow:
    """A line of the report's table: the entry, what it lacks, the review's remarks on it, what
    changed in it since the report was returned, the errors of a failed submission."""

    entry: ReportEntry
    missing: list[str]
    remarks: list
    changed: list[str]
    errors: list[str]


def _report_page(request, report, *, status=200, submit_errors=None, review_form=None):
    user = request.user
    can_edit = permissions.can_edit(user, report)
    entries = selectors.report_entries(report=report)
    comments = selectors.report_comments(report=report)
    journal = selectors.report_journal(report=report)
    progress = selectors.report_progress(entries=entries)
    remarks = selectors.entry_remarks(report=report, comments=comments)
    submit_errors = submit_errors or {}
    context = {
        "report": report,
        "rows": [
            EntryRow(
                entry,
                missing=progress.missing.get(entry, []),
                remarks=remarks.get(entry.pk, []),
                changed=journal.since_review.get(entry.pk, []),
                errors=submit_errors.get(entry, []),
            )
            for entry in entries
        ],
        "comments": comments,
        "since_review": journal.since_review,
        "progress": progress,
        "submit_errors": submit_errors,
        "history": journal.changes,
        # Reports keep the agency as it was; a renamed or split one says who carries it on.
        "lineage": agency_lineage(agency=report.agency),
        "can_edit": can_edit,
        "can_review": permissions.can_review(user, report.cycle),
        "review_form": review_form or ReviewForm(entries=entries),
        "voluntary_form": (
            VoluntaryEntryForm(measures=selectors.open_measures_to_add(report=report))
            if can_edit
            else None
        ),
    }
    return render(request, "reporting/report_detail.html", context, status=status)


@login_required
def report_detail(request, pk):
    return _report_page(request, _get_report_for_user(request.user, pk))


# An entry


@login_required
def entry_edit(request, pk, entry_pk):
    """The form of one entry: status, narrative, documents. What other apps add to the page
    (measure 1's meetings) comes from core.pages."""
    report = _get_report_for_user(request.user, pk)
    try:
        entry = selectors.entry_for_report(report=report, pk=entry_pk)
    except ReportEntry.DoesNotExist:
        raise Http404 from None
    if not attempt(
        request, partial(services.require_editable, user=request.user, report=report)
    ).ok:
        return redirect(report)
    extras = pages.contributions("entry", report=report, entry=entry)
    if request.method == "POST":
        return _entry_post(request, report, entry, extras)
    initial = {
        "status": entry.status,
        "narrative": entry.narrative,
        "version": entry.version,
        **figures_initial(selectors.entry_figures(entry)),
    }
    return _entry_page(request, report, entry, _entry_form(entry, initial=initial), extras)


def _entry_form(entry, *args, **kwargs) -> EntryForm:
    return EntryForm(*args, indicators=entry.measure.indicators.all(), **kwargs)


ENTRY_STORAGE_FAILURE = gettext_lazy(
    "Документ не удалось сохранить на сервере. Строка отчёта не изменена; попробуйте позже или "
    "сообщите администратору."
)


def _entry_post(request, report, entry, extras):
    if action := pages.posted_action(extras, request.POST):
        data, message = action(request.POST.copy())  # never a save: the officer checks first
        messages.info(request, message)
        return _entry_page(request, report, entry, _entry_form(entry, data), extras)
    form = _entry_form(entry, request.POST, request.FILES)
    if not form.is_valid():
        return _entry_page(request, report, entry, form, extras)
    try:
        outcome = attempt(
            request,
            partial(services.entry_save, entry=entry, user=request.user, **form.cleaned_data),
            form=form,
            passes=(EditConflict,),
            storage_failure=ENTRY_STORAGE_FAILURE,
        )
    except EditConflict as conflict:
        return _conflict_page(request, report, entry, conflict, extras)
    if outcome.gone:
        return redirect(report)
    if not outcome.ok:
        return _entry_page(request, report, entry, form, extras)
    messages.success(
        request, _("Мероприятие %(number)s сохранено.") % {"number": entry.measure.number}
    )
    following = selectors.next_entry(entry=entry) if "save_next" in request.POST else None
    return redirect(following or report)


def _entry_page(
    request,
    report,
    entry,
    form,
    extras,
    *,
    template="reporting/entry_form.html",
    status=200,
    **more,
):
    remarks = selectors.entry_remarks(
        report=report, comments=list(entry.review_comments.select_related("author"))
    )
    context = {
        "report": report,
        "entry": entry,
        "form": form,
        "remarks": remarks.get(entry.pk, []),
        **more,
        **pages.merged(extras),
    }
    return render(request, template, context, status=status)


def _conflict_page(request, report, entry, conflict, extras):
    current = conflict.current
    # The form now starts from the stored version: saving it again is a deliberate choice.
    data = request.POST.copy()
    data["version"] = current.version
    form = _entry_form(entry, data)
    form.is_valid()
    return _entry_page(
        request,
        report,
        entry,
        form,
        extras,
        template="reporting/entry_conflict.html",
        status=409,
        current=current,
        current_figures=selectors.entry_figures(
            selectors.entry_for_report(report=report, pk=current.pk)
        ),
    )


@login_required
@require_POST
def entry_add(request, pk):
    report = _get_report_for_user(request.user, pk)
    form = VoluntaryEntryForm(request.POST, measures=selectors.open_measures_to_add(report=report))
    if not form.is_valid():
        messages.error(request, _("Выберите мероприятие из списка."))
        return redirect(report)
    add = partial(
        services.entry_add_voluntary,
        report=report,
        measure=form.cleaned_data["measure"],
        user=request.user,
    )
    outcome = attempt(request, add)
    return redirect(outcome.result.get_absolute_url() if outcome.ok else report.get_absolute_url())


@login_required
def entry_remove(request, pk, entry_pk):
    """Asked (GET): what removing the entry takes with it. Sent (POST): the removal."""
    report = _get_report_for_user(request.user, pk)
    entry = get_object_or_404(report.entries.select_related("measure"), pk=entry_pk)
    if request.method != "POST":
        return confirmation(
            request,
            check=partial(services.require_editable, user=request.user, report=report),
            title=_("Убрать мероприятие %(number)s из отчёта?") % {"number": entry.measure.number},
            consequences=[
                _("Информация по нему и приложенные документы (%(count)s) удаляются из отчёта.")
                % {"count": entry.attachments.count()},
                _("Добавить мероприятие снова можно, но текст придётся написать заново."),
            ],
            action=request.path,
            back=report.get_absolute_url(),
            button=_("Убрать мероприятие"),
        )
    if attempt(
        request, partial(services.entry_remove_voluntary, entry=entry, user=request.user)
    ).ok:
        messages.success(
            request,
            _("Мероприятие %(number)s убрано из отчёта.") % {"number": entry.measure.number},
        )
    return redirect(report)


@login_required
def attachment_download(request, pk):
    attachment = _get_attachment_for_user(request.user, pk)
    handle = attachment.open_for_download()
    audit.record_document(
        audit.Action.DOCUMENT_DOWNLOADED,
        attachment,
        request.user,
        report=attachment.entry.report,
        measure_number=attachment.entry.measure.number,
    )
    return download(handle, filename=attachment.original_name, content_type=attachment.content_type)


@login_required
def attachment_delete(request, pk):
    """Asked (GET): which document goes. Sent (POST): the deletion."""
    attachment = _get_attachment_for_user(request.user, pk)
    report = attachment.entry.report
    if request.method != "POST":
        return confirmation(
            request,
            check=partial(services.require_editable, user=request.user, report=report),
            title=_("Удалить документ «%(name)s»?") % {"name": attachment.original_name},
            consequences=[
                _("Документ удаляется с сервера безвозвратно; журнал аудита сохранит запись."),
            ],
            action=request.path,
            back=attachment.entry.get_absolute_url(),
            button=_("Удалить документ"),
        )
    delete = partial(services.attachment_delete, attachment=attachment, user=request.user)
    outcome = attempt(request, delete)
    if outcome.ok:
        messages.success(request, _("Документ «%(name)s» удалён.") % {"name": attachment})
    if outcome.gone or not report.is_editable:
        return redirect(report)
    return redirect(attachment.entry)


# Submission and review


@login_required
def report_submit(request, pk):
    """Asked (GET): what the submission will do and what is still missing, with the button
    that does it. Sent (POST): the submission."""
    report = _get_report_for_user(request.user, pk)
    if request.method != "POST":
        if not attempt(
            request, partial(services.require_editable, user=request.user, report=report)
        ).ok:
            return redirect(report)
        context = {"report": report, "check": selectors.submit_check(report=report)}
        return render(request, "reporting/report_submit_confirm.html", context)
    try:
        outcome = attempt(
            request,
            partial(services.report_submit, report=report, user=request.user),
            passes=(IncompleteReport,),
        )
    except IncompleteReport as error:
        messages.error(request, str(error))
        return _report_page(request, report, status=400, submit_errors=error.errors)
    if outcome.ok:
        messages.success(request, _("Отчёт представлен координатору."))
    return redirect(report)


def _review_view(action, *, done_message):
    @login_required
    @require_POST
    def view(request, pk):
        report = _get_report_for_user(request.user, pk)
        form = ReviewForm(request.POST, entries=selectors.entries_in_order(report=report))
        if form.is_valid():
            arguments = {"comment": form.cleaned_data["comment"]}
            if action is not services.report_accept:  # an acceptance needs no remarks
                arguments["entry_comments"] = form.entry_comments
            review = partial(action, report=report, user=request.user, **arguments)
            try:
                if attempt(request, review, passes=(CommentRequired,)).ok:
                    messages.success(request, done_message)
                return redirect(report)
            except CommentRequired as refusal:
                messages.error(request, str(refusal))
        # The page again, with the comment typed so far and what is wrong with it.
        return _report_page(request, report, status=400, review_form=form)

    return view


report_accept = _review_view(services.report_accept, done_message=gettext_lazy("Отчёт принят."))
report_return = _review_view(
    services.report_return, done_message=gettext_lazy("Отчёт возвращён на доработку.")
)
report_reopen = _review_view(
    services.report_reopen, done_message=gettext_lazy("Отчёт открыт для доработки.")
)


# The report as a workbook, offline (reporting.workbooks)


@login_required
def report_workbook(request, pk):
    """The report as a workbook to fill in Excel, for whoever may read the report."""
    report = _get_report_for_user(request.user, pk)
    filename = f"report-{report.cycle.year}-{report.agency.code}.xlsx"
    return download(workbooks.report_workbook(report), filename=filename, content_type=XLSX_TYPE)


def _upload_key(report) -> str:
    return f"report-upload-{report.pk}"


@login_required
def report_upload(request, pk):
    """Sent with a file: the filled workbook checked cell by cell and previewed, nothing written
    (what it would change waits in the session). Sent with "apply": those changes saved by
    `services.report_workbook_apply`, all or nothing."""
    report = _get_report_for_user(request.user, pk)
    if not attempt(
        request, partial(services.require_editable, user=request.user, report=report)
    ).ok:
        return redirect(report)
    if request.method == "POST" and "apply" in request.POST:
        rows = request.session.pop(_upload_key(report), None)
        if rows is None:
            messages.error(request, _("Загрузите файл ещё раз: предпросмотр устарел."))
            return redirect("report_upload", report.pk)
        apply = partial(services.report_workbook_apply, report=report, user=request.user, rows=rows)
        outcome = attempt(request, apply)
        if not outcome.ok:
            return redirect("report_upload", report.pk)
        messages.success(
            request, _("Из файла сохранено мероприятий: %(count)s.") % {"count": outcome.result}
        )
        return redirect(report)
    form = ReportUploadForm(request.POST or None, request.FILES or None)
    context = {"report": report, "form": form, "upload": None}
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = workbooks.read_report_workbook(report, form.cleaned_data["file"])
            context["upload"] = upload
            if upload.errors:
                status = 400
                request.session.pop(_upload_key(report), None)
            else:
                request.session[_upload_key(report)] = [row.as_data() for row in upload.rows]
        else:
            status = 400
    return render(request, "reporting/report_upload.html", context, status=status)
