"""Writes of the summary for the Government: generate it from the reports, edit its lines, send
it. Each function is one action of the coordinator's secretariat, in a transaction, refused with
ActionRefused (core.exceptions) and changing nothing otherwise."""

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.documents import files_removed_on_failure, remember_written
from core.exceptions import PermissionRefused, StateRefused, refuse_nul, refuse_too_long
from core.models import changed_by
from core.services import claim_version, locked_row
from reporting import audit, permissions
from reporting.models import Summary, SummaryIndicatorTotal, SummaryItem, display_value
from reporting.selectors import cycle_expected_agencies
from reporting.summaries import exports
from reporting.summaries.selectors import consolidation_lines

# What a request that lost the race to a deletion is told (core.exceptions.Gone).
CYCLE_GONE = gettext_lazy("Этого отчётного цикла больше нет в портале.")
SUMMARY_GONE = gettext_lazy("Этой сводной информации больше нет в портале.")
ITEM_GONE = gettext_lazy(
    "Этой строки больше нет: сводную информацию сформировали заново, и мероприятие в неё не "
    "вошло. Ничего не сохранено."
)


def require_coordinator(*, user, cycle) -> None:
    """Refused unless `user` is of the secretariat of the cycle's coordinator: it generates,
    edits and sends the cycle's summary."""
    if not permissions.can_review(user, cycle):
        raise PermissionRefused(
            _("Сводную информацию за %(year)s год готовит секретариат координатора (%(coord)s).")
            % {"year": cycle.year, "coord": cycle.coordinator}
        )


def require_draft(*, summary: Summary) -> None:
    """Refused once the summary has been sent: a sent summary never changes."""
    if summary.is_sent:
        raise StateRefused(
            _("Сводная информация отправлена %(when)s: она больше не меняется.")
            % {"when": date_format(timezone.localtime(summary.sent_at), "d.m.Y H:i")}
        )


def require_editable(*, user, summary: Summary) -> None:
    """Refused unless `user` may change the summary now: the coordinator's secretariat, before
    it is sent. The line's page asks before showing its form."""
    require_coordinator(user=user, cycle=summary.cycle)
    require_draft(summary=summary)


def _fix_expected_agencies(cycle) -> None:
    if cycle.expected_fixed_at is None:
        cycle.expected_agencies.set(cycle_expected_agencies(cycle=cycle))
        cycle.expected_fixed_at = timezone.now()
        cycle.save(update_fields=["expected_fixed_at"])


def summary_generate(*, cycle, user, overwrite: bool = False) -> Summary:
    """The cycle's summary as a draft, with one item per measure reported on that year: its
    status by the rule of `reporting.summaries.consolidation` and a text assembled from the
    agencies' entries. Generating again refreshes the items nobody edited; edited items are kept
    unless `overwrite`. Every item's indicator totals (reporting.summaries.indicators) are
    computed afresh, edited or not: they are the reports' figures, nobody edits them. The first
    generation fixes the agencies expected to report."""
    require_coordinator(user=user, cycle=cycle)
    with transaction.atomic():
        cycle = locked_row(type(cycle).objects.all(), cycle.pk, gone=CYCLE_GONE)
        summary = Summary.objects.select_for_update().filter(cycle=cycle).first()
        if summary is not None:
            require_draft(summary=summary)
        _fix_expected_agencies(cycle)
        now = timezone.now()
        if summary is None:
            summary = Summary(cycle=cycle)
        summary.generated_at, summary.generated_by = now, user
        changed_by(summary, user)
        summary.save()

        lines = consolidation_lines(cycle=cycle)
        items = {item.measure_id: item for item in summary.items.all()}
        totals = []
        for line in lines:
            item = items.pop(line.measure.pk, None) or SummaryItem(
                summary=summary, measure=line.measure
            )
            if not (item.pk and item.is_edited and not overwrite):
                item.status, item.text, item.is_edited = line.status, line.text, False
                item.updated_by = user
                changed_by(item, user)
                item.save()
            totals += _totals(item, line)
        for stale in items.values():  # a measure no longer reported on that year
            stale.delete()
        SummaryIndicatorTotal.objects.filter(item__summary=summary).delete()
        SummaryIndicatorTotal.objects.bulk_create(totals)
        audit.record_summary(
            audit.Action.SUMMARY_GENERATED,
            summary,
            user,
            cycle=cycle,
            items=len(lines),
            overwrite=overwrite,
        )
    return summary


@translation.override("ru")  # the totals' words are the summary's, in Russian
def _totals(item: SummaryItem, line) -> list[SummaryIndicatorTotal]:
    return [
        SummaryIndicatorTotal(
            item=item,
            indicator=total.indicator,
            total=total.total,
            answered=total.answered,
            expected=total.expected,
            missing=", ".join(total.missing),
            by_agency="; ".join(
                f"{label}: {display_value(value)}" for label, value in total.by_agency
            ),
            text=total.text,
        )
        for total in line.totals
    ]


def summary_item_update(*, item: SummaryItem, user, status: str, text: str, version: int):
    """The secretariat's edit of one line; refused with EditConflict if someone saved it since
    `version`, and once the summary is sent."""
    refuse_nul(status, text)
    refuse_too_long(SummaryItem, text=text)
    with transaction.atomic():
        summary = locked_row(
            Summary.objects.select_related("cycle"), item.summary_id, gone=SUMMARY_GONE
        )
        require_coordinator(user=user, cycle=summary.cycle)
        require_draft(summary=summary)
        current = claim_version(SummaryItem, item.pk, version, gone=ITEM_GONE)
        current.status, current.text, current.is_edited = status, text, True
        current.updated_by = user
        changed_by(current, user)
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
    with files_removed_on_failure(), transaction.atomic():
        locked = locked_row(Summary.objects.select_related("cycle"), summary.pk, gone=SUMMARY_GONE)
        require_coordinator(user=user, cycle=locked.cycle)
        require_draft(summary=locked)
        now = timezone.now()
        locked.state = Summary.State.SENT
        locked.sent_at, locked.sent_by = now, user
        locked.is_late = now >= locked.cycle.summary_closes_at
        name = f"summary-{locked.cycle.plan.code}-{locked.cycle.year}"
        files = [
            (locked.sent_xlsx, f"{name}.xlsx", exports.summary_xlsx(locked)),
            (locked.sent_docx, f"{name}.docx", exports.summary_docx(locked)),
        ]
        # A failure at any step (a full disk on the second file, the database) removes the
        # files already written: the summary stays a draft with none.
        for stored, filename, content in files:
            stored.save(filename, ContentFile(content), save=False)
            remember_written(stored)
        changed_by(locked, user)
        locked.save()
        audit.record_summary(
            audit.Action.SUMMARY_SENT, locked, user, cycle=locked.cycle, is_late=locked.is_late
        )
    summary.refresh_from_db()
    return summary
