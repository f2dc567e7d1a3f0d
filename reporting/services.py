"""Writes of reports. Each function is one user action: it runs in a transaction, checks who
may do it and in which state, and raises a ReportingError (changing nothing) when refused."""

from functools import partial

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from reporting import audit, notifications, permissions, selectors
from reporting.documents import check_document, clean_filename
from reporting.exceptions import (
    EditConflict,
    IncompleteReport,
    PermissionRefused,
    ReportingError,
    StateRefused,
    refuse_nul,
)
from reporting.models import (
    AnnualReport,
    Attachment,
    ReportEntry,
    ReviewComment,
    Summary,
    SummaryItem,
)

State = AnnualReport.State


def _locked(report: AnnualReport) -> AnnualReport:
    """The report re-read under a row lock (PostgreSQL) or the write lock (SQLite,
    IMMEDIATE transactions), so that two concurrent actions see each other's result."""
    return (
        AnnualReport.objects.select_for_update(of=("self",))
        .select_related("cycle__summary", "agency")
        .get(pk=report.pk)
    )


def _require_unlocked(report: AnnualReport) -> None:
    if report.is_locked:
        raise StateRefused(
            _(
                "Сводная информация за %(year)s год отправлена в Правительство: отчёт закрыт. "
                "Открыть его для доработки может секретариат."
            )
            % {"year": report.cycle.year}
        )


def _require_editable(user, report: AnnualReport) -> None:
    if not permissions.can_file(user, report.cycle, report.agency):
        raise PermissionRefused(_("Редактировать этот отчёт может только его ведомство."))
    _require_unlocked(report)
    if not report.is_editable:
        raise StateRefused(
            _("Отчёт в состоянии «%(state)s»: изменять его нельзя.")
            % {"state": report.get_state_display()}
        )


def _add_missing_entries(report: AnnualReport) -> None:
    present = set(report.entries.values_list("measure_id", flat=True))
    bulk_create_with_history(
        [
            ReportEntry(report=report, measure=measure)
            for measure in selectors.expected_measures(cycle=report.cycle, agency=report.agency)
            if measure.pk not in present
        ],
        ReportEntry,
    )


def _claim_version(model, pk, version):
    """The row, its version moved on, if it is still at `version` (the one the user started
    from); EditConflict with what is stored now otherwise. The conditional UPDATE is the guard:
    of two concurrent saves from one version, only one moves it."""
    moved = model.objects.filter(pk=pk, version=version).update(version=F("version") + 1)
    current = model.objects.select_related("updated_by").get(pk=pk)
    if not moved:
        raise EditConflict(
            _("Пока вы редактировали, строку сохранил другой пользователь."), current
        )
    return current


def report_open(*, cycle, agency) -> AnnualReport:
    """The agency's report for the cycle, created on first call with one entry for each measure
    the agency answers for that year. While the report is editable, entries for measures the
    agency has since been made responsible for are added; none is ever removed."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                report, created = AnnualReport.objects.get_or_create(cycle=cycle, agency=agency)
        except IntegrityError:  # opened at the same moment by a colleague
            report, created = AnnualReport.objects.get(cycle=cycle, agency=agency), False
        if created or report.is_editable:
            _add_missing_entries(report)
    return report


def entry_update(*, entry: ReportEntry, user, status: str, narrative: str, version: int):
    """Save an entry's status and narrative. `version` is the one the user started from: if
    someone saved the entry since, EditConflict carries what is stored now, and nothing is
    overwritten."""
    refuse_nul(status, narrative)
    with transaction.atomic():
        report = _locked(entry.report)
        _require_editable(user, report)
        current = _claim_version(ReportEntry, entry.pk, version)
        current.status = status
        current.narrative = narrative
        current.updated_by = user
        current._history_user = user  # the history names the user outside requests too
        current.full_clean()
        current.save()
    entry.refresh_from_db()
    return entry


def entry_add_voluntary(*, report: AnnualReport, measure, user) -> ReportEntry:
    """Take up a measure open to interested bodies that the agency is not named in."""
    with transaction.atomic():
        report = _locked(report)
        _require_editable(user, report)
        if not selectors.open_measures_to_add(report=report).filter(pk=measure.pk).exists():
            raise ReportingError(
                _("По мероприятию %(number)s нельзя добавить информацию в этот отчёт.")
                % {"number": measure.number}
            )
        entry = ReportEntry(report=report, measure=measure, is_voluntary=True, updated_by=user)
        entry._history_user = user
        entry.save()
        return entry


def entry_remove_voluntary(*, entry: ReportEntry, user) -> None:
    with transaction.atomic():
        report = _locked(entry.report)
        _require_editable(user, report)
        if not entry.is_voluntary:
            raise ReportingError(
                _("Мероприятие %(number)s обязательно для ведомства: его нельзя убрать.")
                % {"number": entry.measure.number}
            )
        attachments = list(entry.attachments.all())
        for attachment in attachments:
            audit.record_document(
                audit.Action.DOCUMENT_DELETED,
                attachment,
                user,
                report=report,
                measure_number=entry.measure.number,
            )
        entry._history_user = user
        entry.delete()
        transaction.on_commit(partial(_delete_files, [a.file.name for a in attachments]))


def _delete_files(names):
    for name in names:
        Attachment.file.field.storage.delete(name)


def attachment_add(*, entry: ReportEntry, user, file) -> Attachment:
    """Attach a supporting document. Refused (nothing stored) if the report is not editable or
    the file is not an accepted document."""
    with transaction.atomic():
        report = _locked(entry.report)
        _require_editable(user, report)
        try:
            content_type = check_document(file)
        except ValidationError as error:
            raise ReportingError(" ".join(error.messages)) from error
        attachment = Attachment(
            entry=entry,
            original_name=clean_filename(file.name),
            content_type=content_type,
            size=file.size,
            uploaded_by=user,
        )
        attachment.file.save(attachment.original_name, file, save=False)
        try:
            attachment.save()
            audit.record_document(
                audit.Action.DOCUMENT_UPLOADED,
                attachment,
                user,
                report=report,
                measure_number=entry.measure.number,
            )
        except Exception:
            attachment.file.delete(save=False)
            raise
    return attachment


def attachment_delete(*, attachment: Attachment, user) -> None:
    with transaction.atomic():
        report = _locked(attachment.entry.report)
        _require_editable(user, report)
        name = attachment.file.name
        audit.record_document(
            audit.Action.DOCUMENT_DELETED,
            attachment,
            user,
            report=report,
            measure_number=attachment.entry.measure.number,
        )
        attachment.delete()
        transaction.on_commit(partial(_delete_files, [name]))


def report_submit(*, report: AnnualReport, user) -> AnnualReport:
    """Send the report to the coordinator. Every entry needs a status and a narrative;
    otherwise IncompleteReport lists the problems entry by entry. The first submission after the
    end of the deadline day (Asia/Almaty) marks the report late."""
    with transaction.atomic():
        locked = _locked(report)
        if not permissions.can_file(user, locked.cycle, locked.agency):
            raise PermissionRefused(_("Представить отчёт может только его ведомство."))
        _require_unlocked(locked)
        if not locked.is_editable:
            raise StateRefused(
                _("Отчёт уже в состоянии «%(state)s»: представить его ещё раз нельзя.")
                % {"state": locked.get_state_display()}
            )
        entries = list(locked.entries.select_related("measure").order_by("measure__position"))
        if not entries:
            raise IncompleteReport(_("В отчёте нет ни одного мероприятия."), {})
        errors = {}
        for entry in entries:
            problems = []
            if not entry.status:
                problems.append(_("не указан статус исполнения"))
            if not entry.narrative.strip():
                problems.append(_("не заполнена информация о ходе исполнения"))
            if problems:
                errors[entry] = problems
        if errors:
            raise IncompleteReport(
                _("Отчёт не представлен: не заполнено мероприятий — %(count)s.")
                % {"count": len(errors)},
                errors,
            )
        now = timezone.now()
        if locked.first_submitted_at is None:
            locked.first_submitted_at = now
            locked.is_late = now >= locked.cycle.submission_closes_at
        locked.state = State.SUBMITTED
        locked.submitted_at = now
        locked.submitted_by = user
        locked._history_user = user
        locked.save()
        audit.record_report(audit.Action.REPORT_SUBMITTED, locked, user)
        transaction.on_commit(partial(notifications.report_submitted, locked.pk))
    report.refresh_from_db()
    return report


REVIEW_ACTIONS = {
    ReviewComment.Kind.ACCEPT: audit.Action.REPORT_ACCEPTED,
    ReviewComment.Kind.RETURN: audit.Action.REPORT_RETURNED,
    ReviewComment.Kind.REOPEN: audit.Action.REPORT_REOPENED,
}


def _review(report, user, *, from_states, to_state, kind, comment="", comment_required=False):
    refuse_nul(comment)
    with transaction.atomic():
        locked = _locked(report)
        if not permissions.can_review(user, locked.cycle):
            raise PermissionRefused(
                _("Рассматривает отчёты за %(year)s год секретариат координатора (%(coord)s).")
                % {"year": locked.cycle.year, "coord": locked.cycle.coordinator}
            )
        reopening = kind == ReviewComment.Kind.REOPEN
        if not reopening:
            _require_unlocked(locked)
        if locked.state not in from_states:
            raise StateRefused(
                _("Отчёт в состоянии «%(state)s»: это действие уже невозможно.")
                % {"state": locked.get_state_display()}
            )
        comment = (comment or "").strip()
        if comment_required and not comment:
            raise ReportingError(_("Напишите комментарий: что нужно доработать и почему."))
        locked.state = to_state
        locked.reviewed_at = timezone.now()
        locked.reviewed_by = user
        if reopening and locked.cycle.summary_sent:
            # The Government has the summary: the report opens again, and the summary says it
            # no longer matches the reports.
            locked.reopened_after_summary = True
            Summary.objects.filter(pk=locked.cycle.summary.pk).update(is_outdated=True)
        locked._history_user = user
        locked.save()
        comment_pk = None
        if comment:
            comment_pk = ReviewComment.objects.create(
                report=locked, author=user, kind=kind, text=comment
            ).pk
        audit.record_report(REVIEW_ACTIONS[kind], locked, user, comment_id=comment_pk)
        transaction.on_commit(partial(notifications.report_reviewed, locked.pk, comment_pk))
    report.refresh_from_db()
    return report


def report_accept(*, report: AnnualReport, user, comment: str = "") -> AnnualReport:
    """The coordinator's secretariat accepts a submitted report."""
    return _review(
        report,
        user,
        from_states={State.SUBMITTED},
        to_state=State.ACCEPTED,
        kind=ReviewComment.Kind.ACCEPT,
        comment=comment,
    )


def report_return(*, report: AnnualReport, user, comment: str) -> AnnualReport:
    """The coordinator's secretariat returns a submitted report for rework, saying why."""
    return _review(
        report,
        user,
        from_states={State.SUBMITTED},
        to_state=State.RETURNED,
        kind=ReviewComment.Kind.RETURN,
        comment=comment,
        comment_required=True,
    )


def report_reopen(*, report: AnnualReport, user, comment: str) -> AnnualReport:
    """The coordinator's secretariat reopens an accepted report for the agency to amend."""
    return _review(
        report,
        user,
        from_states={State.ACCEPTED},
        to_state=State.RETURNED,
        kind=ReviewComment.Kind.REOPEN,
        comment=comment,
        comment_required=True,
    )


# The summary for the Government


def _require_coordinator(user, cycle) -> None:
    if not permissions.can_review(user, cycle):
        raise PermissionRefused(
            _("Сводную информацию за %(year)s год готовит секретариат координатора (%(coord)s).")
            % {"year": cycle.year, "coord": cycle.coordinator}
        )


def _require_draft(summary: Summary) -> None:
    if summary.is_sent:
        raise StateRefused(
            _("Сводная информация отправлена %(when)s: она больше не меняется.")
            % {"when": timezone.localtime(summary.sent_at).strftime("%d.%m.%Y %H:%M")}
        )


def _fix_expected_agencies(cycle) -> None:
    if cycle.expected_fixed_at is None:
        cycle.expected_agencies.set(selectors.cycle_expected_agencies(cycle=cycle))
        cycle.expected_fixed_at = timezone.now()
        cycle.save(update_fields=["expected_fixed_at"])


def summary_generate(*, cycle, user, overwrite: bool = False) -> Summary:
    """The cycle's summary as a draft, with one item per measure reported on that year: its
    status by the rule of `reporting.consolidation` and a text assembled from the agencies'
    entries. Generating again refreshes the items nobody edited; edited items are kept unless
    `overwrite`. The first generation fixes the agencies expected to report."""
    _require_coordinator(user, cycle)
    with transaction.atomic():
        cycle = type(cycle).objects.select_for_update().get(pk=cycle.pk)
        summary = Summary.objects.select_for_update().filter(cycle=cycle).first()
        if summary is not None:
            _require_draft(summary)
        _fix_expected_agencies(cycle)
        now = timezone.now()
        if summary is None:
            summary = Summary(cycle=cycle)
        summary.generated_at, summary.generated_by = now, user
        summary._history_user = user
        summary.save()

        lines = selectors.consolidation_lines(cycle=cycle)
        items = {item.measure_id: item for item in summary.items.all()}
        for line in lines:
            item = items.pop(line.measure.pk, None) or SummaryItem(
                summary=summary, measure=line.measure
            )
            if item.pk and item.is_edited and not overwrite:
                continue
            item.status, item.text, item.is_edited = line.status, line.text, False
            item.updated_by = user
            item._history_user = user
            item.save()
        for stale in items.values():  # a measure no longer reported on that year
            stale.delete()
        audit.record_summary(
            audit.Action.SUMMARY_GENERATED,
            summary,
            user,
            cycle=cycle,
            items=len(lines),
            overwrite=overwrite,
        )
    return summary


def summary_item_update(*, item: SummaryItem, user, status: str, text: str, version: int):
    """The secretariat's edit of one line; refused with EditConflict if someone saved it since
    `version`, and once the summary is sent."""
    refuse_nul(status, text)
    with transaction.atomic():
        summary = (
            Summary.objects.select_for_update().select_related("cycle").get(pk=item.summary_id)
        )
        _require_coordinator(user, summary.cycle)
        _require_draft(summary)
        current = _claim_version(SummaryItem, item.pk, version)
        current.status, current.text, current.is_edited = status, text, True
        current.updated_by = user
        current._history_user = user
        current.full_clean()
        current.save()
        audit.record_summary_item(
            current, user, cycle=summary.cycle, measure_number=current.measure.number
        )
    item.refresh_from_db()
    return item


def summary_send(*, summary: Summary, user) -> Summary:
    """Record that the summary went to the Government: who, when, whether by the end of
    10 February in Astana. The summary is frozen with both files as sent, and the cycle's
    reports are locked."""
    from reporting import exports

    with transaction.atomic():
        locked = Summary.objects.select_for_update().select_related("cycle").get(pk=summary.pk)
        _require_coordinator(user, locked.cycle)
        _require_draft(locked)
        now = timezone.now()
        locked.state = Summary.State.SENT
        locked.sent_at, locked.sent_by = now, user
        locked.is_late = now >= locked.cycle.summary_closes_at
        name = f"summary-{locked.cycle.plan.code}-{locked.cycle.year}"
        xlsx = ContentFile(exports.summary_xlsx(locked))
        docx = ContentFile(exports.summary_docx(locked))
        locked._history_user = user
        try:
            # A failure at any step (a full disk on the second file, the database) removes the
            # files already written: the summary stays a draft with none.
            locked.sent_xlsx.save(f"{name}.xlsx", xlsx, save=False)
            locked.sent_docx.save(f"{name}.docx", docx, save=False)
            locked.save()
            audit.record_summary(
                audit.Action.SUMMARY_SENT, locked, user, cycle=locked.cycle, is_late=locked.is_late
            )
        except Exception:
            for stored in (locked.sent_xlsx, locked.sent_docx):
                if stored:
                    stored.delete(save=False)
            raise
    summary.refresh_from_db()
    return summary


# Reminders

REMINDER_DAYS = (7, 3, 1)


def reminders_send(*, today) -> int:
    """Remind of the deadlines 7, 3 and 1 days ahead: the officers of agencies that have not
    submitted their report (before 20 January), the coordinator's secretariat while the summary
    is not sent (before 10 February). Each person gets each reminder once, however often this
    runs. Returns the number of mails."""
    from agencies.models import User
    from reporting.models import Reminder, ReportingCycle

    sent = 0
    cycles = ReportingCycle.objects.select_related("coordinator", "summary")
    for cycle in cycles:
        recipients = {}
        days = (cycle.submission_deadline - today).days
        if days in REMINDER_DAYS:
            done = set(
                AnnualReport.objects.filter(
                    cycle=cycle, state__in=[State.SUBMITTED, State.ACCEPTED]
                ).values_list("agency_id", flat=True)
            )
            pending = [
                a.pk for a in selectors.cycle_expected_agencies(cycle=cycle) if a.pk not in done
            ]
            officers = User.objects.filter(
                agency_id__in=pending, role=User.Role.OFFICER, is_active=True
            ).exclude(email="")
            recipients[(Reminder.Kind.REPORT, days)] = officers
        days = (cycle.summary_deadline - today).days
        if days in REMINDER_DAYS and not cycle.summary_sent:
            secretariat = User.objects.filter(
                agency_id=cycle.coordinator_id, role=User.Role.SECRETARIAT, is_active=True
            ).exclude(email="")
            recipients[(Reminder.Kind.SUMMARY, days)] = secretariat
        for (kind, days_before), users in recipients.items():
            for user in users:
                with transaction.atomic():
                    _, created = Reminder.objects.get_or_create(
                        cycle=cycle,
                        kind=kind,
                        recipient=user,
                        days_before=days_before,
                        defaults={"sent_on": today},
                    )
                    if created:
                        transaction.on_commit(
                            partial(notifications.reminder, kind, cycle.pk, user.pk, days_before)
                        )
                        sent += 1
    return sent
