"""How the agencies' entries on a measure become one line of the summary for the Government.

The status rule, applied to the executors named for the measure that year (entries of reports
that were submitted or accepted count; drafts and returned reports do not). A conclusion on the
measure's execution is drawn only from every executor's information:

1. Нет информации — no executor has reported on the measure.
2. Информации недостаточно — some executors have reported, not all: the text says who has not.
3. Исполнено — every executor reported "Исполнено".
4. Не исполнено — every executor reported "Не исполнено".
5. Исполняется — otherwise, if any executor reported "Исполняется": the work goes on.
6. Частично исполнено — otherwise: a mix of results.

The text, as an official writes it: one paragraph per agency that reported, naming it, in the
order of the plan's executors, its own paragraphs kept; then the agencies that reported of their
own accord on a measure open to interested bodies (their entries do not change the status); then
one closing sentence naming, with their count, the executors that gave no information, the
akimats grouped ("15 акиматов (Акмолинской, … областей, городов Алматы и Шымкента)").

The text is always in Russian, whatever the language of the interface: it goes into the summary
for the Government, as the Resolution is written. Its phrases are therefore not translated.
"""

import re
from dataclasses import dataclass

from reporting.models import ReportEntry, SummaryItem

Status = ReportEntry.Status
Result = SummaryItem.Status


def consolidated_status(statuses: list[str | None]) -> str:
    """The summary status from the executors' statuses, None for one that has not reported."""
    reported = [s for s in statuses if s]
    if not reported:
        return Result.NO_INFORMATION
    if len(reported) < len(statuses):
        return Result.INSUFFICIENT
    if all(s == Status.DONE for s in reported):
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

    @property
    def narrative(self) -> str:
        return self.entry.narrative.strip() if self.entry is not None else ""


def agency_label(agency) -> str:
    return agency.abbreviation or agency.name


def russian_plural(n: int, one: str, few: str, many: str) -> str:
    """The Russian form of a noun after the number n: 1 акимат, 2 акимата, 5 акиматов."""
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} и {words[-1]}"


REGION = re.compile(r"^Акимат (?P<name>\S+) области$")
CITY = re.compile(r"^Акимат города (?P<name>.+)$")


def silent_agencies(agencies: list) -> str:
    """The executors without information in one phrase: the others by name, in the plan's order,
    then the akimats of regions and cities grouped under their count."""
    others, regions, cities = [], [], []
    for agency in agencies:
        label = agency_label(agency)
        region = REGION.match(label) if agency.kind == "akimat" else None
        city = CITY.match(label) if agency.kind == "akimat" else None
        if region:
            regions.append(region["name"])
        elif city:
            cities.append(city["name"])
        else:
            others.append(label)
    pieces = []
    if regions:
        pieces.append(_and(regions) + (" области" if len(regions) == 1 else " областей"))
    if cities:
        pieces.append(("города " if len(cities) == 1 else "городов ") + _and(cities))
    akimats = len(regions) + len(cities)
    if akimats == 1:
        others.append(f"акимат {pieces[0]}")
    elif akimats:
        noun = russian_plural(akimats, "акимат", "акимата", "акиматов")
        others.append(f"{akimats} {noun} ({', '.join(pieces)})")
    return _and(others)


def _closing_sentence(silent: list, executors: int) -> str:
    names = silent_agencies(silent)
    of = russian_plural(executors, "исполнителя", "исполнителей", "исполнителей")
    if executors == 1:
        return f"Исполнитель не представил информацию: {names}."
    if len(silent) == executors:
        return f"Не представил информацию ни один из {executors} {of}: {names}."
    verb = russian_plural(len(silent), "представил", "представили", "представили")
    return f"Не {verb} информацию {len(silent)} из {executors} {of}: {names}."


def consolidated_text(parts: list[Part]) -> str:
    """The line's text: what was done, by whom, one agency a paragraph; the executors without
    information in one closing sentence. Paragraphs are separated by a blank line."""
    paragraphs = []
    for part in parts:
        if not part.narrative:
            continue
        label = agency_label(part.agency)
        if part.voluntary:
            label = f"{label} (по собственной инициативе)"
        narrative = re.sub(r"\n\s*\n+", "\n\n", part.narrative.replace("\r\n", "\n"))
        paragraphs.append(f"{label}: {narrative}")
    executors = [part for part in parts if not part.voluntary]
    silent = [part.agency for part in executors if not part.narrative]
    if silent:
        paragraphs.append(_closing_sentence(silent, len(executors)))
    return "\n\n".join(paragraphs)
