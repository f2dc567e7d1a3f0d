"""Writes of reports. Each function is one user action: it runs in a transaction, checks who
may do it and in which state, and raises ActionRefused (core.exceptions), changing nothing,
when refused."""

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from agencies.models import Agency, User
from agencies.services import agency_create
from core.deadlines import days_left
from core.documents import files_removed_on_failure
from core.exceptions import (
    ActionRefused,
    EditConflict,
    PermissionRefused,
    StateRefused,
    refuse_nul,
    refuse_too_long,
)
from core.models import changed_by
from core.services import claim_version, locked_row
from measures.services import plan_load
from reporting import audit, notifications, permissions, selectors
from reporting.exceptions import CommentRequired, IncompleteReport
from reporting.models import (
    AnnualReport,
    Attachment,
    Indicator,
    IndicatorValue,
    Reminder,
    ReportEntry,
    ReportingCycle,
    ReviewComment,
    Summary,
)

State = AnnualReport.State

# What a request that lost the race to a deletion is told (core.exceptions.Gone).
REPORT_GONE = gettext_lazy("Этого отчёта больше нет в портале.")
ENTRY_GONE = gettext_lazy(
    "Мероприятие убрано из отчёта, пока вы работали с ним: ничего не сохранено."
)
ATTACHMENT_GONE = gettext_lazy("Этот документ уже удалён.")


def _locked(report: AnnualReport) -> AnnualReport:
    """The report re-read under a row lock (PostgreSQL) or the write lock (SQLite,
    IMMEDIATE transactions), so that two concurrent actions see each other's result. Its
    entries and their documents change only under this lock."""
    return locked_row(
        AnnualReport.objects.select_related("cycle__summary", "agency"), report.pk, gone=REPORT_GONE
    )


def _locked_entry(report: AnnualReport, entry: ReportEntry) -> ReportEntry:
    """The entry, read under its report's lock; Gone if it has been removed meanwhile."""
    return locked_row(report.entries.select_related("measure"), entry.pk, gone=ENTRY_GONE)


def _require_unlocked(report: AnnualReport) -> None:
    if report.is_locked:
        raise StateRefused(
            _(
                "Сводная информация за %(year)s год отправлена в Правительство: отчёт закрыт. "
                "Открыть его для доработки может секретариат."
            )
            % {"year": report.cycle.year}
        )


def require_editable(*, user, report: AnnualReport) -> None:
    """Refused unless `user` may change the report now: its own agency's, a draft or returned,
    and not locked by a sent summary. The entry page asks before showing its form; every change
    asks again under the report's lock."""
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


def report_start(*, cycle: ReportingCycle, user) -> AnnualReport:
    """The user's agency's report for the cycle (`report_open`), for those who file it."""
    if not user.agency_id or not permissions.can_file(user, cycle, user.agency):
        raise PermissionRefused(_("Отчёты ведомства ведут его исполнители."))
    return report_open(cycle=cycle, agency=user.agency)


def entry_update(
    *, entry: ReportEntry, user, status: str, narrative: str, version: int, figures=None
):
    """Save an entry's status and narrative, and the figures given (`figures`: indicator id →
    a non-negative whole number, True/False for a yes/no indicator, or None for no value; the
    measure's indicators not named keep their values). `version` is the one the user started
    from: if someone saved the entry since, EditConflict carries what is stored now, and nothing
    is overwritten, neither text nor figures."""
    refuse_nul(status, narrative)
    refuse_too_long(ReportEntry, narrative=narrative)
    with transaction.atomic():
        report = _locked(entry.report)
        require_editable(user=user, report=report)
        current = claim_version(ReportEntry, entry.pk, version, gone=ENTRY_GONE)
        current.status = status
        current.narrative = narrative
        current.updated_by = user
        changed_by(current, user)
        current.full_clean()
        current.save()
        if figures:
            _save_figures(current, user, figures)
    entry.refresh_from_db()
    return entry


def _checked_figure(indicator: Indicator, value):
    """The value as stored for the indicator, or ActionRefused naming it."""
    if value is None:
        return None
    if indicator.is_yes_no:
        if not isinstance(value, bool):
            raise ActionRefused(
                _("«%(name)s»: ответьте «да» или «нет».") % {"name": indicator.name}
            )
        return value
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ActionRefused(
            _("«%(name)s»: значение — целое неотрицательное число.") % {"name": indicator.name}
        )
    return value


def _save_figures(entry: ReportEntry, user, figures) -> None:
    """The entry's figures as given: a row per value, none for no value. History names `user`."""
    indicators = {i.pk: i for i in entry.measure.indicators.all()}
    unknown = [pk for pk in figures if pk not in indicators]
    if unknown:
        raise ActionRefused(
            _("У мероприятия %(number)s нет такого показателя.") % {"number": entry.measure.number}
        )
    stored = {v.indicator_id: v for v in entry.indicator_values.all()}
    for pk, raw in figures.items():
        indicator = indicators[pk]
        value = _checked_figure(indicator, raw)
        row = stored.get(pk)
        if value is None:
            if row is not None:
                changed_by(row, user)
                row.delete()
            continue
        row = row or IndicatorValue(entry=entry, indicator=indicator)
        number, flag = (None, value) if indicator.is_yes_no else (value, None)
        if row.pk and (row.number, row.flag) == (number, flag):
            continue
        row.number, row.flag = number, flag
        changed_by(row, user)
        row.save()


def entry_save(
    *,
    entry: ReportEntry,
    user,
    status: str,
    narrative: str,
    version: int,
    documents=(),
    figures=None,
) -> ReportEntry:
    """The entry's status, narrative and figures (as `entry_update`) and its new documents (as
    `attachment_add`), as one change: all of it is saved, or nothing, no row and no file."""
    with files_removed_on_failure(), transaction.atomic():
        entry_update(
            entry=entry,
            user=user,
            status=status,
            narrative=narrative,
            version=version,
            figures=figures,
        )
        for file in documents:
            attachment_add(entry=entry, user=user, file=file)
    return entry


def report_workbook_apply(*, report: AnnualReport, user, rows) -> int:
    """The rows of a filled report workbook (reporting.workbooks: entry id, the version it was
    downloaded at, status, narrative, figures), each saved as `entry_update` saves an entry, all
    or nothing. Refused, writing nothing, if any entry changed in the portal since the download
    (naming it), was removed, or any value is refused. Returns the number of entries saved."""
    with transaction.atomic():
        locked = _locked(report)
        require_editable(user=user, report=locked)
        entries = {e.pk: e for e in locked.entries.select_related("measure")}
        for row in rows:
            entry = entries.get(row["entry"])
            if entry is None:
                raise ActionRefused(
                    _("Мероприятие убрано из отчёта после скачивания файла: ничего не записано.")
                )
            try:
                entry_update(
                    entry=entry,
                    user=user,
                    status=row["status"],
                    narrative=row["narrative"],
                    version=row["version"],
                    figures={int(k): v for k, v in row["figures"].items()},
                )
            except EditConflict:
                raise ActionRefused(
                    _(
                        "Мероприятие %(number)s изменено в портале после скачивания файла: "
                        "ничего не записано. Скачайте файл заново и перенесите в него свои "
                        "изменения."
                    )
                    % {"number": entry.measure.number}
                ) from None
            except ActionRefused as refused:
                raise ActionRefused(
                    _("Мероприятие %(number)s: %(reason)s Ничего не записано.")
                    % {"number": entry.measure.number, "reason": refused}
                ) from None
    return len(rows)


def entry_add_voluntary(*, report: AnnualReport, measure, user) -> ReportEntry:
    """Take up a measure open to interested bodies that the agency is not named in."""
    with transaction.atomic():
        report = _locked(report)
        require_editable(user=user, report=report)
        if not selectors.open_measures_to_add(report=report).filter(pk=measure.pk).exists():
            raise ActionRefused(
                _("По мероприятию %(number)s нельзя добавить информацию в этот отчёт.")
                % {"number": measure.number}
            )
        entry = ReportEntry(report=report, measure=measure, is_voluntary=True, updated_by=user)
        changed_by(entry, user)
        entry.save()
        return entry


def entry_remove_voluntary(*, entry: ReportEntry, user) -> None:
    with transaction.atomic():
        report = _locked(entry.report)
        require_editable(user=user, report=report)
        entry = _locked_entry(report, entry)
        if not entry.is_voluntary:
            raise ActionRefused(
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
        changed_by(entry, user)
        entry.delete()
        for attachment in attachments:
            attachment.delete_file_on_commit()


def attachment_add(*, entry: ReportEntry, user, file) -> Attachment:
    """Attach a supporting document. Refused (nothing stored) if the report is not editable or
    the file is not an accepted document."""
    with files_removed_on_failure(), transaction.atomic():
        report = _locked(entry.report)
        require_editable(user=user, report=report)
        entry = _locked_entry(report, entry)
        attachment = Attachment(entry=entry, uploaded_by=user)
        attachment.store(file)
        changed_by(attachment, user)
        attachment.save()
        audit.record_document(
            audit.Action.DOCUMENT_UPLOADED,
            attachment,
            user,
            report=report,
            measure_number=entry.measure.number,
        )
    return attachment


def attachment_delete(*, attachment: Attachment, user) -> None:
    with transaction.atomic():
        report = _locked(attachment.entry.report)
        require_editable(user=user, report=report)
        attachment = locked_row(
            Attachment.objects.filter(entry__report=report).select_related("entry__measure"),
            attachment.pk,
            gone=ATTACHMENT_GONE,
        )
        audit.record_document(
            audit.Action.DOCUMENT_DELETED,
            attachment,
            user,
            report=report,
            measure_number=attachment.entry.measure.number,
        )
        changed_by(attachment, user)
        attachment.delete()
        attachment.delete_file_on_commit()


def report_submit(*, report: AnnualReport, user) -> AnnualReport:
    """Send the report to the coordinator. Every entry needs a status, a narrative and a value
    for each required indicator;
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
        entries = list(
            locked.entries.select_related("measure")
            .prefetch_related(*selectors.FIGURES_PREFETCH)
            .order_by("measure__position")
        )
        if not entries:
            raise IncompleteReport(_("В отчёте нет ни одного мероприятия."), {})
        errors = selectors.incomplete_entries(entries=entries)
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
        changed_by(locked, user)
        locked.save()
        audit.record_report(audit.Action.REPORT_SUBMITTED, locked, user)
        notifications.report_submitted(locked)
    report.refresh_from_db()
    return report


REVIEW_ACTIONS = {
    ReviewComment.Kind.ACCEPT: audit.Action.REPORT_ACCEPTED,
    ReviewComment.Kind.RETURN: audit.Action.REPORT_RETURNED,
    ReviewComment.Kind.REOPEN: audit.Action.REPORT_REOPENED,
}


def _review(
    report,
    user,
    *,
    from_states,
    to_state,
    kind,
    comment="",
    entry_comments=None,
    comment_required=False,
):
    entry_comments = {
        int(pk): text.strip() for pk, text in (entry_comments or {}).items() if text.strip()
    }
    for text in (comment, *entry_comments.values()):
        refuse_nul(text)
        refuse_too_long(ReviewComment, text=text)
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
        if comment_required and not comment and not entry_comments:
            raise CommentRequired(_("Напишите комментарий: что нужно доработать и почему."))
        entries = {
            e.pk: e for e in locked.entries.select_related("measure").filter(pk__in=entry_comments)
        }
        if len(entries) < len(entry_comments):
            raise ActionRefused(_("Замечание относится к мероприятию не из этого отчёта."))
        locked.state = to_state
        locked.reviewed_at = timezone.now()
        locked.reviewed_by = user
        if reopening and locked.cycle.summary_sent:
            # The Government has the summary: the report opens again, and the summary says it
            # no longer matches the reports.
            locked.reopened_after_summary = True
            Summary.objects.filter(pk=locked.cycle.summary.pk).update(is_outdated=True)
        changed_by(locked, user)
        locked.save()
        review_comment = None
        if comment:
            review_comment = ReviewComment.objects.create(
                report=locked, author=user, kind=kind, text=comment
            )
        remarks = ReviewComment.objects.bulk_create(
            ReviewComment(report=locked, author=user, kind=kind, entry=entries[pk], text=text)
            for pk, text in entry_comments.items()
        )
        audit.record_report(
            REVIEW_ACTIONS[kind],
            locked,
            user,
            comment_id=review_comment.pk if review_comment else None,
            entry_comments=sorted(entries[pk].measure.number for pk in entry_comments),
        )
        notifications.report_reviewed(locked, review_comment, remarks)
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


def report_return(
    *, report: AnnualReport, user, comment: str, entry_comments: dict | None = None
) -> AnnualReport:
    """The coordinator's secretariat returns a submitted report for rework, saying why: in
    `comment` for the whole report, in `entry_comments` ({entry id: text}) for single entries;
    one of them is needed."""
    return _review(
        report,
        user,
        from_states={State.SUBMITTED},
        to_state=State.RETURNED,
        kind=ReviewComment.Kind.RETURN,
        comment=comment,
        entry_comments=entry_comments,
        comment_required=True,
    )


def report_reopen(
    *, report: AnnualReport, user, comment: str, entry_comments: dict | None = None
) -> AnnualReport:
    """The coordinator's secretariat reopens an accepted report for the agency to amend."""
    return _review(
        report,
        user,
        from_states={State.ACCEPTED},
        to_state=State.RETURNED,
        kind=ReviewComment.Kind.REOPEN,
        comment=comment,
        entry_comments=entry_comments,
        comment_required=True,
    )


# Reminders

REMINDER_DAYS = (7, 3, 1)


def reminders_send(*, today) -> int:
    """Remind of the deadlines 7, 3 and 1 days ahead: the officers of agencies that have not
    submitted their report (before 20 January), the coordinator's secretariat while the summary
    is not sent (before 10 February). Each person gets each reminder once, however often this
    runs. Returns the number of mails."""
    sent = 0
    cycles = ReportingCycle.objects.select_related("coordinator", "summary")
    for cycle in cycles:
        recipients = {}
        days = days_left(cycle.submission_deadline, today)
        if days in REMINDER_DAYS:
            done = set(
                AnnualReport.objects.filter(cycle=cycle)
                .counted()
                .values_list("agency_id", flat=True)
            )
            pending = [
                a.pk for a in selectors.cycle_expected_agencies(cycle=cycle) if a.pk not in done
            ]
            officers = User.objects.filter(
                agency_id__in=pending, role=User.Role.OFFICER, is_active=True
            ).exclude(email="")
            recipients[(Reminder.Kind.REPORT, days)] = officers
        days = days_left(cycle.summary_deadline, today)
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
                        notifications.reminder(kind, cycle, user, days_before)
                        sent += 1
    return sent


# Plans


@dataclass(frozen=True)
class CycleCalendar:
    """One reporting year of a plan: the deadlines (clauses 3–4 of Resolution No. 609: 20 January
    and 10 February of the next year) and the coordinator."""

    year: int
    submission_deadline: datetime.date
    summary_deadline: datetime.date
    coordinator: Agency


def default_calendar(*, start_year: int, end_year: int, coordinator: Agency) -> list[CycleCalendar]:
    """The calendar Resolution No. 609 set, for a new plan's years: what the admin starts from."""
    return [
        CycleCalendar(
            year, datetime.date(year + 1, 1, 20), datetime.date(year + 1, 2, 10), coordinator
        )
        for year in range(start_year, end_year + 1)
    ]


def plan_import(
    *, parsed, fields, agencies: dict, calendar: list[CycleCalendar], user, new_agencies=()
):
    """A new plan from its workbook (measures.services.plan_load) with its reporting cycles, all
    or nothing: one cycle for each year of the plan, with the calendar's deadlines and
    coordinator. `agencies` maps each executor's text the workbook left unmatched to an agency;
    `new_agencies` are (text, NewAgency) the admin chose to create for the others. Refused,
    writing nothing, for any problem of the workbook, an unmatched executor, an agency that
    cannot be created, or a calendar that does not cover the plan's years exactly."""
    years = [c.year for c in calendar]
    if sorted(years) != list(range(fields.start_year, fields.end_year + 1)):
        raise ActionRefused(
            _("Отчётные периоды должны охватывать годы плана %(start)s–%(end)s, по одному.")
            % {"start": fields.start_year, "end": fields.end_year}
        )
    for cycle in calendar:
        if cycle.summary_deadline < cycle.submission_deadline:
            raise ActionRefused(
                _("%(year)s: срок сводной информации раньше срока отчётов.") % {"year": cycle.year}
            )
        if cycle.submission_deadline.year <= cycle.year:
            raise ActionRefused(
                _("%(year)s: отчёт за год представляют после его окончания.") % {"year": cycle.year}
            )
    with transaction.atomic():
        mapped = dict(agencies)
        for text, new in new_agencies:
            mapped[text] = agency_create(new=new)
        plan = plan_load(parsed=parsed, fields=fields, agencies=mapped)
        ReportingCycle.objects.bulk_create(
            ReportingCycle(
                plan=plan,
                year=c.year,
                submission_deadline=c.submission_deadline,
                summary_deadline=c.summary_deadline,
                coordinator=c.coordinator,
            )
            for c in calendar
        )
        audit.record_plan_import(plan, user, measures=len(parsed.measures))
    return plan


# The summary's actions, under the names DESIGN.md gives them in reporting.services: the
# reporting app's public writes. They live in reporting.summaries.services (README,
# "Architecture"), which imports nothing from this module.
from reporting.summaries.services import (  # noqa: E402
    summary_generate,
    summary_item_update,
    summary_send,
)

__all__ = [
    "attachment_add",
    "attachment_delete",
    "entry_add_voluntary",
    "entry_remove_voluntary",
    "entry_save",
    "entry_update",
    "plan_import",
    "reminders_send",
    "report_accept",
    "report_open",
    "report_reopen",
    "report_return",
    "report_start",
    "report_submit",
    "report_workbook_apply",
    "require_editable",
    "summary_generate",
    "summary_item_update",
    "summary_send",
]
