"""An annual report as a workbook to fill in offline, as agencies work today, and the filled
workbook read back.

The workbook has one row per entry: the measure's number and title, the status (a list of the
statuses in the interface language), the narrative and one column per indicator of the report's
measures (a cell where the row's measure has not that indicator is greyed and locked). Two hidden
columns hold the entry's id and the version it was downloaded at; a hidden sheet names the
report. Reading it back checks it cell by cell and names every faulty cell ("D7"); it writes
nothing: `services.report_workbook_apply` does, all or nothing.
"""

import io
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import openpyxl
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from agencies.spreadsheets import TextCellsXLSX, check_import_file, is_formula, xml_safe
from reporting.models import Indicator, ReportEntry, display_value
from reporting.selectors import FIGURES_PREFETCH

META_SHEET = "portal"
FORMAT = "plan-portal-report/1"
HEADER_ROW = 3
FIRST_ROW = HEADER_ROW + 1
NUMBER, TITLE, STATUS, NARRATIVE = 1, 2, 3, 4  # columns A–D; indicators from E
LANGUAGES = ("ru", "kk", "en")
NARRATIVE_LIMIT: int = ReportEntry._meta.get_field("narrative").max_length or 30_000
GREY = PatternFill("solid", fgColor="D9D9D9")
HEADER_FILL = PatternFill("solid", fgColor="F2F2F2")
WRAP = Alignment(wrap_text=True, vertical="top")


def _entries(report) -> list[ReportEntry]:
    return list(
        report.entries.select_related("measure")
        .prefetch_related(*FIGURES_PREFETCH)
        .order_by("measure__position")
    )


def _indicators(entries) -> list[Indicator]:
    """The indicators of the report's measures, in plan order: the workbook's columns."""
    return [i for entry in entries for i in entry.measure.indicators.all()]


def report_workbook(report) -> bytes:
    """The report as a workbook to fill in (see the module's docstring). Three queries."""
    entries = _entries(report)
    indicators = _indicators(entries)
    statuses = [str(label) for _value, label in ReportEntry.Status.choices]
    yes, no = _("да"), _("нет")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = _("Отчёт")[:31]
    sheet.cell(
        1, 1, f"{report.agency.name}: " + _("отчёт за %(year)s год") % {"year": report.cycle.year}
    ).font = Font(bold=True, sz=12)
    sheet.cell(
        2,
        1,
        _(
            "Заполните статус, информацию и показатели (целые неотрицательные числа или «%(yes)s»/"
            "«%(no)s»), сохраните файл и загрузите его на странице отчёта. Не меняйте номера "
            "мероприятий и скрытые столбцы."
        )
        % {"yes": yes, "no": no},
    )
    headers = [_("№"), _("Мероприятие"), _("Статус"), _("Информация о ходе исполнения")]
    headers += [f"{i.measure.number}: {i.label}" for i in indicators]
    id_column = len(headers) + 1
    headers += ["entry", "version"]
    for column, title in enumerate(headers, start=1):
        cell = sheet.cell(HEADER_ROW, column, title)
        cell.font, cell.fill, cell.alignment = Font(bold=True), HEADER_FILL, WRAP
    widths = [8, 50, 20, 80] + [18] * len(indicators)
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    for column in (id_column, id_column + 1):
        sheet.column_dimensions[get_column_letter(column)].hidden = True

    labels = dict(ReportEntry.Status.choices)
    last = FIRST_ROW + max(len(entries), 1) - 1
    for row, entry in enumerate(entries, start=FIRST_ROW):
        values = {v.indicator_id: v.value for v in entry.indicator_values.all()}
        own = {i.pk for i in entry.measure.indicators.all()}
        sheet.cell(row, NUMBER, entry.measure.number)
        sheet.cell(row, TITLE, entry.measure.title).alignment = WRAP
        _text(sheet.cell(row, STATUS), str(labels.get(entry.status, "")) if entry.status else "")
        _text(sheet.cell(row, NARRATIVE), entry.narrative).alignment = WRAP
        for column, indicator in enumerate(indicators, start=NARRATIVE + 1):
            cell = sheet.cell(row, column)
            if indicator.pk not in own:
                cell.fill = GREY
                continue
            value = values.get(indicator.pk)
            cell.value = (yes if value else no) if isinstance(value, bool) else value
            cell.protection = Protection(locked=False)
        for column in (STATUS, NARRATIVE):
            sheet.cell(row, column).protection = Protection(locked=False)
        sheet.cell(row, id_column, entry.pk)
        sheet.cell(row, id_column + 1, entry.version)

    status_list = DataValidation(
        type="list", formula1='"' + ",".join(statuses) + '"', allow_blank=True
    )
    status_list.error = _("Выберите статус из списка.")
    status_list.add(f"C{FIRST_ROW}:C{last}")
    sheet.add_data_validation(status_list)
    for column, indicator in enumerate(indicators, start=NARRATIVE + 1):
        letter = get_column_letter(column)
        if indicator.is_yes_no:
            check = DataValidation(type="list", formula1=f'"{yes},{no}"', allow_blank=True)
        else:
            check = DataValidation(
                type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True
            )
            check.error = _("Целое неотрицательное число.")
        check.add(f"{letter}{FIRST_ROW}:{letter}{last}")
        sheet.add_data_validation(check)
    sheet.freeze_panes = sheet.cell(FIRST_ROW, STATUS)
    # Locked cells (numbers, titles, ids) stay as they are; no password: this guards against
    # slips, the upload checks everything anyway.
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False

    meta = book.create_sheet(META_SHEET)
    meta["A1"], meta["B1"] = "format", FORMAT
    meta["A2"], meta["B2"] = "report", report.pk
    meta.sheet_state = "hidden"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _text(cell, value: str):
    cell.value = xml_safe(value)
    if cell.data_type == "f":  # a narrative typed as "=…" stays text
        cell.data_type = "s"
    return cell


# Reading back


@dataclass
class UploadRow:
    """A row of the workbook that changes its entry: what it will be and what changes."""

    entry: ReportEntry
    version: int
    status: str
    narrative: str
    figures: dict[int, int | bool | None]
    changes: list[str] = field(default_factory=list)

    def as_data(self) -> dict:
        """For the session between the preview and the confirmation (JSON)."""
        return {
            "entry": self.entry.pk,
            "version": self.version,
            "status": self.status,
            "narrative": self.narrative,
            "figures": {str(k): v for k, v in self.figures.items()},
        }


@dataclass
class Upload:
    rows: list[UploadRow]  # only those that change something
    errors: list[str]
    unchanged: int = 0


def _status_words() -> dict[str, str]:
    """Every status by its label in Russian, Kazakh and English, and by its code."""
    words = {s.value: s.value for s in ReportEntry.Status}
    for language in LANGUAGES:
        with translation.override(language):
            words.update({str(s.label).strip().lower(): s.value for s in ReportEntry.Status})
    return words


def _yes_no_words() -> dict[str, bool]:
    words = {"yes": True, "no": False, "1": True, "0": False}
    for language in LANGUAGES:
        with translation.override(language):
            words[_("да").lower()] = True
            words[_("нет").lower()] = False
    return words


def check_upload_file(file) -> None:
    """The limits of any spreadsheet upload (agencies.spreadsheets.check_import_file): its size,
    unpacked too, its parts and its rows. ValidationError otherwise."""
    check_import_file(file, TextCellsXLSX())


def read_report_workbook(report, file) -> Upload:
    """The filled workbook checked against the report, cell by cell: each fault named by its
    cell. Nothing is written. Three queries."""
    try:
        book = openpyxl.load_workbook(file, data_only=False)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        return Upload([], [_("Это не файл Excel (XLSX), скачанный со страницы отчёта.")])
    meta = book[META_SHEET] if META_SHEET in book.sheetnames else None
    if meta is None or meta["B1"].value != FORMAT:
        return Upload(
            [], [_("Это не файл отчёта, скачанный из портала: нет его служебного листа.")]
        )
    if meta["B2"].value != report.pk:
        return Upload(
            [], [_("Файл скачан для другого отчёта: загрузите его на странице того отчёта.")]
        )
    sheet = book.worksheets[0]
    entries = _entries(report)
    by_id = {e.pk: e for e in entries}
    by_number = {e.measure.number: e for e in entries}
    indicators = _indicators(entries)
    headers = [c.value for c in sheet[HEADER_ROW]]
    id_column = NARRATIVE + len(indicators) + 1
    if len(headers) < id_column + 1 or headers[id_column - 1] != "entry":
        return Upload([], [_("Столбцы файла изменены: скачайте файл заново и заполните его.")])
    statuses, yes_no = _status_words(), _yes_no_words()
    upload = Upload([], [])
    seen: set[int] = set()
    for row in sheet.iter_rows(min_row=FIRST_ROW):
        number = row[NUMBER - 1].value
        entry_id = row[id_column - 1].value if len(row) >= id_column else None
        if number in (None, "") and entry_id in (None, ""):
            continue  # an empty row
        entry = by_id.get(entry_id) if isinstance(entry_id, int) else None
        if entry is None or str(number).strip() != entry.measure.number:
            entry = by_number.get(str(number).strip()) if entry is None else None
        if entry is None:
            upload.errors.append(
                _("%(cell)s: мероприятия «%(number)s» нет в этом отчёте.")
                % {"cell": row[NUMBER - 1].coordinate, "number": number}
            )
            continue
        if entry.pk in seen:
            upload.errors.append(
                _("%(cell)s: мероприятие %(number)s в файле дважды.")
                % {"cell": row[NUMBER - 1].coordinate, "number": entry.measure.number}
            )
            continue
        seen.add(entry.pk)
        errors_before = len(upload.errors)
        status = _read_status(row[STATUS - 1], statuses, upload.errors)
        narrative = _read_text(row[NARRATIVE - 1], upload.errors)
        own = {i.pk for i in entry.measure.indicators.all()}
        figures = {}
        for column, indicator in enumerate(indicators, start=NARRATIVE + 1):
            cell = row[column - 1] if len(row) >= column else None
            if indicator.pk not in own:
                if cell is not None and cell.value not in (None, ""):
                    upload.errors.append(
                        _("%(cell)s: у мероприятия %(number)s нет этого показателя.")
                        % {"cell": cell.coordinate, "number": entry.measure.number}
                    )
                continue
            figures[indicator.pk] = _read_figure(cell, indicator, yes_no, upload.errors)
        version = row[id_column].value if len(row) > id_column else None
        if not isinstance(version, int):
            upload.errors.append(
                _("%(cell)s: служебный столбец изменён; скачайте файл заново.")
                % {"cell": f"{get_column_letter(id_column + 1)}{row[0].row}"}
            )
        if len(upload.errors) > errors_before:
            continue
        changes = _changes(entry, status, narrative, figures)
        if changes and isinstance(version, int):
            upload.rows.append(UploadRow(entry, version, status, narrative, figures, changes))
        else:
            upload.unchanged += 1
    book.close()
    return upload


def _read_status(cell, statuses, errors) -> str:
    value = cell.value
    if value in (None, ""):
        return ""
    found = statuses.get(str(value).strip().lower())
    if found is None:
        errors.append(
            _("%(cell)s: «%(value)s» — не статус; выберите из списка: %(choices)s.")
            % {
                "cell": cell.coordinate,
                "value": value,
                "choices": ", ".join(str(label) for _v, label in ReportEntry.Status.choices),
            }
        )
        return ""
    return found


def _read_text(cell, errors) -> str:
    value = cell.value
    if value is None:
        return ""
    if cell.data_type == "f" or (isinstance(value, str) and is_formula(value)):
        errors.append(
            _("%(cell)s: формула вместо текста; уберите знак «=», «+», «-» или «@» в начале.")
            % {"cell": cell.coordinate}
        )
        return ""
    text = str(value).replace("\r\n", "\n")
    if "\x00" in text:
        errors.append(_("%(cell)s: недопустимый символ NUL.") % {"cell": cell.coordinate})
    if len(text) > NARRATIVE_LIMIT:
        errors.append(
            _("%(cell)s: текст длиннее %(limit)s знаков.")
            % {"cell": cell.coordinate, "limit": NARRATIVE_LIMIT}
        )
    return text.strip()


def _read_figure(cell, indicator, yes_no, errors):
    value = None if cell is None else cell.value
    if value in (None, ""):
        return None
    if indicator.is_yes_no:
        if isinstance(value, bool):
            return value
        found = yes_no.get(str(value).strip().lower())
        if found is None:
            errors.append(
                _("%(cell)s: «%(value)s» — ответьте «да» или «нет».")
                % {"cell": cell.coordinate, "value": value}
            )
        return found
    try:
        number = Decimal(str(value).strip().replace("\u00a0", "").replace(" ", ""))
    except InvalidOperation:
        number = None
    if isinstance(value, bool) or number is None or not number.is_finite():
        errors.append(
            _("%(cell)s: «%(value)s» — не число.") % {"cell": cell.coordinate, "value": value}
        )
        return None
    if number != number.to_integral_value() or number < 0:
        errors.append(
            _("%(cell)s: «%(value)s» — нужно целое неотрицательное число.")
            % {"cell": cell.coordinate, "value": value}
        )
        return None
    return int(number)


def _changes(entry, status, narrative, figures) -> list[str]:
    """What the row changes in the entry, in words (the preview)."""
    labels = dict(ReportEntry.Status.choices)
    changes = []
    if status != entry.status:
        changes.append(
            _("статус: %(before)s → %(after)s")
            % {"before": labels.get(entry.status, "—"), "after": labels.get(status, "—")}
        )
    if narrative != entry.narrative.strip():
        changes.append(_("информация о ходе исполнения изменена"))
    stored = {v.indicator_id: v.value for v in entry.indicator_values.all()}
    for indicator in entry.measure.indicators.all():
        before, after = stored.get(indicator.pk), figures.get(indicator.pk)
        if before != after or type(before) is not type(after):
            changes.append(f"{indicator.name}: {display_value(before)} → {display_value(after)}")
    return changes


def upload_errors_or_none(file) -> list[str]:
    """The limits' refusal of the file as a list of one message, or an empty list."""
    try:
        check_upload_file(file)
    except ValidationError as error:
        return list(error.messages)
    return []
