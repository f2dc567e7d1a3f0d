"""How the agencies' entries on a measure become one line of the summary for the Government.

The status rule, applied to the executors named for the measure that year (entries of reports
that were submitted or accepted count; drafts and returned reports do not):

1. Нет информации — no executor has reported on the measure.
2. Исполнено — every executor reported, and every one "Исполнено".
3. Не исполнено — every executor that reported said "Не исполнено".
4. Исполняется — otherwise, if any executor reported "Исполняется": the work goes on.
5. Частично исполнено — otherwise: a mix of results, or some executors have not reported.

Entries that agencies add of their own accord on measures open to interested bodies go into the
text, after the executors', but do not change the status.
"""

from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _

from reporting.models import ReportEntry, SummaryItem

Status = ReportEntry.Status
Result = SummaryItem.Status


def consolidated_status(statuses: list[str | None]) -> str:
    """The summary status from the executors' statuses, None for one that has not reported."""
    reported = [s for s in statuses if s]
    if not reported:
        return Result.NO_INFORMATION
    if len(reported) == len(statuses) and all(s == Status.DONE for s in reported):
        return Result.DONE
    if all(s == Status.NOT_DONE for s in reported):
        return Result.NOT_DONE
    if Status.IN_PROGRESS in reported:
        return Result.IN_PROGRESS
    return Result.PARTIAL


@dataclass
class Part:
    agency: object
    entry: ReportEntry | None
    voluntary: bool = False


def agency_label(agency) -> str:
    return agency.abbreviation or agency.name


@translation.override("ru")
def consolidated_text(parts: list[Part]) -> str:
    """One paragraph per agency, each naming it, in the order given (the plan's executors,
    then the agencies that reported of their own accord). In Russian, whatever the language of
    the user's interface: the text goes into the summary for the Government."""
    paragraphs: list[str] = []
    silent: list[str] = []

    def close_silent():
        # Neighbours that did not report share one line (the 17 akimats, for instance).
        if silent:
            paragraphs.append(_("%(agencies)s: нет информации.") % {"agencies": ", ".join(silent)})
            silent.clear()

    for part in parts:
        label = agency_label(part.agency)
        if part.voluntary:
            label = _("%(agency)s (по собственной инициативе)") % {"agency": label}
        if part.entry is None or not part.entry.narrative.strip():
            silent.append(label)
        else:
            close_silent()
            paragraphs.append(f"{label}: {part.entry.narrative.strip()}")
    close_silent()
    return "\n\n".join(paragraphs)
