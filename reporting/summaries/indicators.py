"""How the agencies' figures on a measure add up on the summary's line.

For each indicator of the measure, over the entries the line consolidates (reports submitted or
accepted, as for the status):

- added up (aggregation "sum"), a count or a sum: the total of the values of the agencies that
  gave one;
- added up, a yes/no: how many answered "yes", of how many answered;
- not added up (aggregation "none"): no total; each agency's value is listed.

The executors named for the measure that gave no value (no report counted, or the figure left
empty) are named. Values of agencies reporting of their own accord count in the total, but such
an agency is never "missing". The text is in Russian, as the summary for the Government is.
"""

from dataclasses import dataclass, field

from django.utils import translation

from reporting.models import Indicator, display_value
from reporting.summaries.consolidation import Part, agency_label


@dataclass
class IndicatorTotal:
    indicator: Indicator
    total: int | None  # the sum, or the number of "yes"; None when not added up
    answered: int
    expected: int  # the executors named for the measure
    missing: list[str] = field(default_factory=list)
    by_agency: list[tuple[str, int | bool | None]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return total_text(self)


def _values(part: Part) -> dict[int, int | bool | None]:
    if part.entry is None:
        return {}
    return {v.indicator_id: v.value for v in part.entry.indicator_values.all()}


def line_totals(indicators: list[Indicator], parts: list[Part]) -> list[IndicatorTotal]:
    """The totals of `indicators` (one measure's) over the line's `parts`, whose entries come
    with their `indicator_values` loaded."""
    values = [(part, _values(part)) for part in parts]
    expected = sum(1 for part in parts if not part.voluntary)
    totals = []
    for indicator in indicators:
        given = [
            (agency_label(part.agency), found[indicator.pk])
            for part, found in values
            if indicator.pk in found
        ]
        missing = [
            agency_label(part.agency)
            for part, found in values
            if not part.voluntary and indicator.pk not in found
        ]
        total: int | None = None
        if indicator.is_added_up and indicator.is_yes_no:
            total = sum(1 for _label, v in given if v is True)
        elif indicator.is_added_up:
            total = sum(int(v or 0) for _label, v in given)
        totals.append(
            IndicatorTotal(
                indicator,
                total,
                answered=len(given),
                expected=expected,
                missing=missing,
                by_agency=[] if indicator.is_added_up else given,
            )
        )
    return totals


@translation.override("ru")  # display_value's «да» / «нет»
def total_text(total: IndicatorTotal) -> str:
    """«Выявлено преступлений, преступлений: 45 (дали значение 3 из 4; нет значения: КНБ)». In
    Russian whatever the interface: like the consolidated text (consolidation.py), it goes to the
    Government, so its phrases are not translated."""
    indicator = total.indicator
    if not total.answered:
        figure = "нет значений"
    elif not indicator.is_added_up:
        values = "; ".join(f"{label} — {display_value(v)}" for label, v in total.by_agency)
        figure = f"не суммируется: {values}"
    elif indicator.is_yes_no:
        figure = f"«да» — {total.total} из {total.answered}"
    else:
        figure = display_value(total.total)
    note = f"дали значение {total.answered} из {total.expected}"
    if total.missing:
        note += f"; нет значения: {', '.join(total.missing)}"
    return f"{indicator.label}: {figure} ({note})"
