"""A plan read from one XLSX workbook in the Resolution's own table shape.

The sheet has a header row with the Resolution's five columns (№ п/п, Мероприятие, Форма
завершения, Ответственные за исполнение, Срок исполнения), optionally a row numbering them
1…5, then the table: a section is a row whose only text is its title ("1. Организационно-…"),
a measure a row with its number ("3", "3.1"). A measure followed by its sub-measures (3.1,
3.2…) is a heading: its completion form and deadline apply to each of them, as the Resolution
says of measure 3, and nobody reports on it.

The executors' column is read as the Resolution writes it: abbreviations of its note ("МВД"),
full names, "(по согласованию)", "(свод)", per-year executors ("МВД (2018 – 2019 годы)"),
"акиматы г.г. Астаны, Алматы, Шымкента и областей" (every akimat existing on the Resolution's
date), and "заинтересованные государственные органы" / "организации" (the measure is open to any
body). What cannot be matched to an agency is listed by the cell it is in, for the admin to map
or create; the workbook itself is never changed.

`read_plan_workbook` only reads: it returns what it found and every problem, naming the row and
the cell; `measures.services.plan_load` writes.
"""

import datetime
import re
import zipfile
from dataclasses import asdict, dataclass, field

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from agencies.models import Agency

HEADERS = {
    "number": ("№",),
    "title": ("мероприятие", "наименование мероприятия"),
    "completion_form": ("форма завершения",),
    "responsible": ("ответственные за исполнение", "ответственные исполнители"),
    "deadline": ("срок исполнения", "сроки исполнения"),
}
HEADER_LABELS = {
    "number": "№ п/п",
    "title": "Мероприятие",
    "completion_form": "Форма завершения",
    "responsible": "Ответственные за исполнение",
    "deadline": "Срок исполнения",
}
MEASURE_NUMBER = re.compile(r"^\d{1,3}(\.\d{1,3})?$")
SECTION_TITLE = re.compile(r"^(?:раздел\s+)?(\d{1,2})[.)]?\s+(\S.*)$", re.IGNORECASE | re.DOTALL)
YEAR_RANGE = re.compile(r"(\d{4})\s*[–—-]\s*(\d{4})")
YEAR = re.compile(r"\b(19\d{2}|20\d{2})\b")
EVERY_YEAR = re.compile(r"ежегодн|постоянн|в течение", re.IGNORECASE)
BY_AGREEMENT = re.compile(r"\(\s*по\s+согласовани[юи]\s*\)", re.IGNORECASE)
CONSOLIDATOR = re.compile(r"\(\s*свод\s*\)", re.IGNORECASE)
YEARS_IN_BRACKETS = re.compile(r"\(\s*(\d{4})(?:\s*[–—-]\s*(\d{4}))?\s*(?:годы|год|гг?\.?)?\s*\)")
AKIMATS = re.compile(
    r"акимат\w*\s+(?:г\.\s*г\.|гг\.|городов)\s*[^,]*(?:,[^,]*)*?\s+и\s+областей", re.IGNORECASE
)
INTERESTED = re.compile(
    r"^(?:и\s+)?(?:другие\s+)?заинтересованные\s+(?:государственные\s+органы|организации)"
    r"|^(?:и\s+)?(?:иные\s+)?организации$",
    re.IGNORECASE,
)
# Letter-spaced words of a text pasted from the PDF: "М В Д", "г о д ы".
SPACED = re.compile(r"\b(?:\w ){2,}\w\b")
MAX_ROWS = 2000  # a plan has tens of measures; more rows is not a plan
AKIMATS_MARK = "\x00akimats"
BODIES_JOINED = re.compile(r"\s+и\s+(?=[А-ЯЁ])")


@dataclass
class Problem:
    cell: str  # "D12", or "" for the workbook as a whole
    message: str

    def __str__(self):
        return f"{self.cell}: {self.message}" if self.cell else self.message


@dataclass
class Executor:
    text: str  # as written, cleaned
    cell: str
    agency_code: str = ""  # matched; "" until mapped
    by_agreement: bool = False
    is_consolidator: bool = False
    first_year: int | None = None
    last_year: int | None = None


@dataclass
class ParsedMeasure:
    row: int
    number: str
    title: str
    completion_form: str
    responsible_text: str
    deadline_text: str
    section: int
    first_year: int
    last_year: int
    responsible_cell: str
    open_to_interested: bool = False
    parent: str = ""
    executors: list[Executor] = field(default_factory=list)


@dataclass
class ParsedPlan:
    sections: list[tuple[int, str]] = field(default_factory=list)
    measures: list[ParsedMeasure] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def unknown_executors(self) -> list[str]:
        """The executors' texts that match no agency, each once, in the order met."""
        seen: dict[str, None] = {}
        for measure in self.measures:
            for executor in measure.executors:
                if not executor.agency_code:
                    seen.setdefault(executor.text)
        return list(seen)

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> "ParsedPlan":
        measures = [
            ParsedMeasure(**{**m, "executors": [Executor(**e) for e in m["executors"]]})
            for m in data["measures"]
        ]
        return cls(
            sections=[tuple(s) for s in data["sections"]],
            measures=measures,
            problems=[Problem(**p) for p in data["problems"]],
        )


def clean_text(value) -> str:
    """A cell's text with its lines joined and spaces folded; letter-spaced words joined."""
    if value is None:
        return ""
    text = " ".join(str(value).split())
    return SPACED.sub(lambda match: match[0].replace(" ", ""), text)


def _normal(name: str) -> str:
    name = name.lower().replace("ё", "е").replace("«", "").replace("»", "").replace('"', "")
    name = re.sub(r"\s+(республики казахстан|в республике казахстан)\b", "", name)
    return " ".join(name.split())


class AgencyIndex:
    """The agencies an executor's text may name, as they existed on the Resolution's date."""

    def __init__(self, on: datetime.date):
        agencies = [a for a in Agency.objects.order_by("pk") if a.existed_on(on)]
        self.by_abbreviation = {a.abbreviation: a for a in agencies if a.abbreviation}
        self.by_name = {_normal(a.name): a for a in agencies}
        # The cities first, then the regions, in the order the portal keeps them (the
        # Resolution's: Astana, Almaty, Shymkent; the regions alphabetically).
        self.akimats = sorted(
            (a for a in agencies if a.kind == Agency.Kind.AKIMAT),
            key=lambda a: ("города" not in a.name, a.pk),
        )

    def find(self, text: str) -> Agency | None:
        return self.by_abbreviation.get(text) or self.by_name.get(_normal(text))


def reporting_years(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The years a deadline text reports for: "ежегодно" → the plan's years, "2021 – 2022 годы"
    → 2021–2022, "IV квартал 2022 года" → 2022. None if it names no year and no regularity."""
    if match := YEAR_RANGE.search(text):
        return int(match[1]), int(match[2])
    years = [int(y) for y in YEAR.findall(text)]
    if years:
        return min(years), max(years)
    if EVERY_YEAR.search(text):
        return start, end
    return None


def _split_executors(text: str) -> list[str]:
    """The executors' text cut at commas, keeping the akimats' phrase whole (it has commas of
    its own) and brackets with the name before them."""
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text:
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(depth - 1, 0)
        if char in ",;" and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [p.strip() for p in parts if p.strip()]


def parse_executors(text: str, cell: str, index: AgencyIndex):
    """(executors, open to interested bodies) of one measure's column. An executor's own years
    ("МТСЗН (2020 – 2021 годы)") are kept as written, even past the plan's: it reports for those
    within the measure's years."""
    executors: list[Executor] = []
    open_to_interested = False

    def add(name, **marks):
        agency = index.find(name)
        executors.append(
            Executor(text=name, cell=cell, agency_code=agency.code if agency else "", **marks)
        )

    if akimats := AKIMATS.search(text):
        before, after = text[: akimats.start()], text[akimats.end() :]
        chunks = [*_split_executors(before), AKIMATS_MARK, *_split_executors(after)]
    else:
        chunks = _split_executors(text)
    pending_akimats = False
    for chunk in chunks:
        if chunk == AKIMATS_MARK:
            pending_akimats = True
            continue
        marks: dict[str, bool | int] = {
            "by_agreement": bool(BY_AGREEMENT.search(chunk)),
            "is_consolidator": bool(CONSOLIDATOR.search(chunk)),
        }
        if (bracketed := YEARS_IN_BRACKETS.search(chunk)) and bracketed[1]:
            first = int(bracketed[1])
            marks |= {"first_year": first, "last_year": int(bracketed[2] or first)}
        name = YEARS_IN_BRACKETS.sub("", CONSOLIDATOR.sub("", BY_AGREEMENT.sub("", chunk)))
        name = " ".join(name.split()).strip(" .")
        if pending_akimats:
            # The akimats' phrase's own marks follow it: "… и областей (2018 – 2020 годы)".
            pending_akimats = False
            if not name:
                _add_akimats(executors, index, cell, marks)
                continue
            _add_akimats(executors, index, cell, {})
        if not name:
            continue
        if INTERESTED.match(name):
            open_to_interested = True
            continue
        if index.find(name) is None and (halves := BODIES_JOINED.split(name))[1:]:
            # "Карагандинская академия МВД … и Академия правоохранительных органов …": two
            # bodies. A name may hold " и " itself ("Министерство труда и социальной защиты"),
            # but then what follows it is not a capitalised name.
            for half in halves:
                add(half.strip(), **marks)
            continue
        add(name, **marks)
    if pending_akimats:
        _add_akimats(executors, index, cell, {})
    return executors, open_to_interested


def _add_akimats(executors, index, cell, marks):
    for akimat in index.akimats:
        executors.append(
            Executor(
                text=akimat.name,
                cell=cell,
                agency_code=akimat.code,
                by_agreement=marks.get("by_agreement", False),
                first_year=marks.get("first_year"),
                last_year=marks.get("last_year"),
            )
        )


def _header_columns(rows, problems) -> tuple[int, dict[str, int]] | None:
    """(the header row, the 0-based column of each of the five), or None with the problem
    recorded. `rows` are the sheet's first rows as (row number, values)."""
    for number, values in rows:
        texts = {i: clean_text(v).lower() for i, v in enumerate(values) if v is not None}
        found: dict[str, int] = {}
        for key, names in HEADERS.items():
            for column, text in texts.items():
                if any(text.startswith(name) for name in names):
                    found.setdefault(key, column)
        if "title" in found and len(found) >= 3:
            missing = [HEADER_LABELS[k] for k in HEADERS if k not in found]
            if missing:
                problems.append(
                    Problem(
                        str(number),
                        _("В строке заголовков нет столбца: %(columns)s.")
                        % {"columns": ", ".join(f"«{m}»" for m in missing)},
                    )
                )
                return None
            return number, found
    problems.append(
        Problem(
            "",
            _(
                "Не найдена строка заголовков таблицы (столбцы «№ п/п», «Мероприятие», «Форма "
                "завершения», «Ответственные за исполнение», «Срок исполнения»)."
            ),
        )
    )
    return None


class _Reader:
    """One pass over the table's rows, collecting sections, measures and problems."""

    def __init__(self, columns, index, start_year, end_year):
        self.columns, self.index = columns, index
        self.start_year, self.end_year = start_year, end_year
        self.plan = ParsedPlan()
        self.numbers: dict[str, int] = {}
        self.section_rows: dict[int, int] = {}
        self.tops: dict[str, ParsedMeasure] = {}  # measures without a dot: possible headings

    def cell(self, key, row) -> str:
        return f"{get_column_letter(self.columns[key] + 1)}{row}"

    def problem(self, cell, message):
        self.plan.problems.append(Problem(cell, message))

    def read(self, row: int, raw) -> None:
        values = {
            key: clean_text(raw[column] if column < len(raw) else None)
            for key, column in self.columns.items()
        }
        if not any(values.values()):
            return
        if values["number"] == "1" and all(v.isdigit() for v in values.values()):
            return  # the row numbering the columns 1…5
        number = values["number"].rstrip(".")
        details = [values[k] for k in ("completion_form", "responsible", "deadline")]
        if not MEASURE_NUMBER.match(number) and not any(details):
            self.section(row, " ".join(v for v in (values["number"], values["title"]) if v))
        elif not MEASURE_NUMBER.match(number):
            self.problem(
                self.cell("number", row),
                _("«%(value)s» — не номер мероприятия.") % {"value": values["number"] or "—"},
            )
        else:
            self.measure(row, number, values)

    def section(self, row, title) -> None:
        match = SECTION_TITLE.match(title)
        number = int(match[1]) if match else len(self.plan.sections) + 1
        if number in self.section_rows:
            self.problem(
                f"A{row}",
                _("Раздел %(number)s уже есть (строка %(row)s).")
                % {"number": number, "row": self.section_rows[number]},
            )
            return
        self.section_rows[number] = row
        self.plan.sections.append((number, match[2].strip() if match else title))

    def measure(self, row, number, values) -> None:
        where = self.cell("number", row)
        if not self.plan.sections:
            self.problem(
                where,
                _("Мероприятие %(number)s стоит до первого раздела: раздел неизвестен.")
                % {"number": number},
            )
            return
        if number in self.numbers:
            self.problem(
                where,
                _("Номер %(number)s уже есть в строке %(row)s.")
                % {"number": number, "row": self.numbers[number]},
            )
            return
        self.numbers[number] = row
        parent_number = number.split(".")[0] if "." in number else ""
        parent = self.tops.get(parent_number)
        if parent_number and parent is None:
            self.problem(
                where,
                _("Подмероприятие %(number)s без общего мероприятия %(parent)s.")
                % {"number": number, "parent": parent_number},
            )
            return
        if not values["title"]:
            self.problem(
                self.cell("title", row),
                _("У мероприятия %(number)s нет наименования.") % {"number": number},
            )
        # A heading's completion form and deadline apply to each of its sub-measures.
        completion_form = values["completion_form"] or (parent.completion_form if parent else "")
        deadline = values["deadline"] or (parent.deadline_text if parent else "")
        first, last = self.years(self.cell("deadline", row), deadline)
        cell = self.cell("responsible", row)
        executors, open_to_interested = parse_executors(values["responsible"], cell, self.index)
        measure = ParsedMeasure(
            row=row,
            number=number,
            title=values["title"],
            completion_form=completion_form,
            responsible_text=values["responsible"],
            deadline_text=deadline,
            section=self.plan.sections[-1][0],
            first_year=first,
            last_year=last,
            responsible_cell=cell,
            open_to_interested=open_to_interested,
            parent=parent_number,
            executors=executors,
        )
        if not parent_number:
            self.tops[number] = measure
        self.plan.measures.append(measure)

    def years(self, cell, deadline) -> tuple[int, int]:
        years = reporting_years(deadline, self.start_year, self.end_year)
        if years is None:
            self.problem(
                cell,
                _(
                    "Срок «%(deadline)s» не называет ни года, ни периодичности («ежегодно»): "
                    "за какие годы отчитываться, неясно."
                )
                % {"deadline": deadline or "—"},
            )
            return self.start_year, self.end_year
        first, last = max(years[0], self.start_year), min(years[1], self.end_year)
        if first > last:
            self.problem(
                cell,
                _("Срок «%(deadline)s» вне лет плана (%(start)s–%(end)s).")
                % {"deadline": deadline, "start": self.start_year, "end": self.end_year},
            )
            return self.start_year, self.end_year
        return first, last

    def finish(self) -> ParsedPlan:
        """A measure with sub-measures is a heading and names no executors of its own; every
        other one names some."""
        headings = {m.parent for m in self.plan.measures if m.parent}
        for measure in self.plan.measures:
            if measure.number in headings and measure.executors:
                self.problem(
                    measure.responsible_cell,
                    _(
                        "У мероприятия %(number)s есть подмероприятия: исполнителей называют в "
                        "них, не в общем мероприятии."
                    )
                    % {"number": measure.number},
                )
            elif measure.number not in headings and not measure.executors:
                self.problem(
                    measure.responsible_cell,
                    _("У мероприятия %(number)s нет исполнителей.") % {"number": measure.number},
                )
        if not self.plan.measures and not self.plan.problems:
            self.problem("", _("В таблице нет ни одного мероприятия."))
        return self.plan


def read_plan_workbook(file, *, resolution_date: datetime.date, start_year: int, end_year: int):
    """Everything the workbook says, with every problem found (a missing column, a measure
    before any section, a number twice, a deadline outside the plan's years…) naming its cell.
    Executors that match no agency are not problems yet: the admin maps them."""
    try:
        book = load_workbook(file, read_only=True, data_only=True)
        rows = enumerate(book.worksheets[0].iter_rows(max_row=MAX_ROWS, values_only=True), 1)
        head = [next(rows, (0, ())) for _ in range(30)]
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, IndexError):
        return ParsedPlan(problems=[Problem("", _("Файл не читается как книга Excel (XLSX)."))])
    problems: list[Problem] = []
    header = _header_columns([r for r in head if r[0]], problems)
    if header is None:
        return ParsedPlan(problems=problems)
    header_row, columns = header
    reader = _Reader(columns, AgencyIndex(resolution_date), start_year, end_year)
    for number, values in [*head, *rows]:
        if number > header_row:
            reader.read(number, values)
    return reader.finish()
