"""Spreadsheets and documents for the Government and for analysts.

Each export takes model objects and returns the file's bytes. The summary's table is built once
as a list of rows (`summary_rows`) and rendered twice, to XLSX and to DOCX, so the two files
always say the same. Every export runs a fixed number of queries, whatever the size of the data.
The summary for the Government speaks Russian, as the Resolution does, whatever the language of
the user's interface; the analysts' table of entries speaks the user's interface language.
"""

import io
import math
import re
from dataclasses import dataclass

from django.db.models import Count
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import _Cell
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.properties import PageSetupProperties

from agencies.spreadsheets import xml_safe
from reporting.models import AnnualReport, Indicator, ReportEntry, ReportingCycle, SummaryItem
from reporting.selectors import cycle_expected_agencies
from reporting.summaries.selectors import summary_items

COLUMNS = (
    "№ п/п",
    "Мероприятие",
    "Форма завершения",
    "Ответственные за исполнение",
    "Срок исполнения",
    "Информация о ходе исполнения",
    "Статус",
    "Показатели (итого по ведомствам)",
)
EXCEL_CELL_LIMIT = 32767  # characters; Excel refuses to open a file with a longer cell


@dataclass(frozen=True)
class Row:
    """A row of the summary's table: a section's title (one cell, merged across), or the eight
    cells of a measure. A heading (measure 3) has no status, no text and no totals."""

    cells: tuple[str, ...]
    is_section: bool = False


@dataclass(frozen=True)
class Line:
    """A line of the title block; `kind` is "title", "text" or "warning"."""

    text: str
    kind: str = "text"


def summary_rows(items) -> list[Row]:
    """The summary's items (in plan order, with measure, section and parent loaded) as the
    Resolution's table: each section's title before its first measure, a heading before its
    first sub-measure. The last cell holds the line's indicator totals, one paragraph each
    (items come with `indicator_totals` loaded)."""
    statuses = _labels(SummaryItem.Status)
    rows, section_id, headings = [], None, set()
    for item in items:
        measure = item.measure
        if measure.section_id != section_id:
            section_id = measure.section_id
            section = measure.section
            rows.append(Row((f"{section.number}. {section.title}",), is_section=True))
        if measure.parent_id and measure.parent_id not in headings:
            headings.add(measure.parent_id)
            rows.append(Row((*_measure_cells(measure.parent), "", "", "")))
        totals = "\n\n".join(t.text for t in item.indicator_totals.all())
        rows.append(Row((*_measure_cells(measure), item.text, statuses[item.status], totals)))
    return rows


def _labels(choices) -> dict[str, str]:
    """The choices' labels in the active language, translated once per export: get_FOO_display()
    translates every label of the field's choices on each call."""
    return {value: str(label) for value, label in choices.choices}


def _measure_cells(measure) -> tuple[str, ...]:
    return (
        measure.number,
        measure.title,
        measure.completion_form,
        measure.responsible_text,
        measure.deadline_text,
    )


def summary_title(summary, cycle) -> list[Line]:
    """What the summary is, for whom, and whether it is still the one that was sent."""
    plan = cycle.plan
    approved = (
        f"(утверждён постановлением Правительства Республики Казахстан "
        f"от {_long_date(plan.resolution_date)} года № {plan.resolution_number})"
    )
    lines = [
        Line(f"Сводная информация о ходе исполнения за {cycle.year} год", "title"),
        Line(plan.title, "title"),
        Line(approved),
        Line(f"Координатор: {cycle.coordinator.name}"),
    ]
    if summary.is_sent:
        sender = summary.sent_by.get_full_name() or summary.sent_by.username
        deadline = date_format(cycle.summary_deadline, "d.m.Y")
        late = f", после срока ({deadline})" if summary.is_late else ""
        lines.append(
            Line(
                f"Направлена в Правительство Республики Казахстан {_when(summary.sent_at)}{late}; "
                f"направил: {sender}."
            )
        )
    else:
        lines.append(
            Line(f"Проект от {_when(summary.generated_at)}: в Правительство не направлялась.")
        )
    if summary.is_outdated:
        lines.append(
            Line(
                "Внимание: после отправки секретариат открыл отчёт ведомства для доработки; "
                "сводная информация может не совпадать с отчётами.",
                "warning",
            )
        )
    return lines


def _summary_data(summary):
    """The cycle with its plan and coordinator, and the table's rows. Three queries (four if the
    summary was sent and its sender is not loaded)."""
    cycle = ReportingCycle.objects.select_related("plan", "coordinator").get(pk=summary.cycle_id)
    rows = summary_rows(summary_items(summary=summary))
    return cycle, summary_title(summary, cycle), rows


def _long_date(day) -> str:
    """«1 октября 2018»: the month's name in the genitive, as dates are written in Russian."""
    return date_format(day, "j E Y")


def _when(moment) -> str:
    return date_format(timezone.localtime(moment), "d.m.Y H:i")


def _local(moment):
    """Local time without tzinfo, which Excel cannot store; None stays None."""
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


# XLSX

THIN = Side(style="thin")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
GREY = PatternFill("solid", fgColor="D9D9D9")
LIGHT = PatternFill("solid", fgColor="F2F2F2")
TOP = Alignment(wrap_text=True, vertical="top")
CENTRE = Alignment(wrap_text=True, vertical="center", horizontal="center")
DATETIME = "DD.MM.YYYY HH:MM"
SUMMARY_WIDTHS = (7, 45, 22, 26, 16, 70, 16, 40)
# The cells' looks, registered once in each workbook as named styles and applied by name.
# Setting font, fill, border and alignment one by one hashes each style object on every cell,
# which was two thirds of a small summary's export time (benchmarks/README.md).
HEADER, CELL, CELL_CENTRE, CELL_DATETIME = "Шапка", "Ячейка", "Ячейка по центру", "Дата и время"
SECTION, FRAME = "Раздел", "Рамка"
TITLE_STYLES = {"title": "Заголовок", "text": "Подзаголовок", "warning": "Предупреждение"}
NAMED_STYLES = {
    HEADER: {"font": Font(bold=True), "fill": LIGHT, "border": BORDER, "alignment": CENTRE},
    CELL: {"border": BORDER, "alignment": TOP},
    CELL_CENTRE: {"border": BORDER, "alignment": CENTRE},
    CELL_DATETIME: {"border": BORDER, "alignment": TOP, "number_format": DATETIME},
    SECTION: {"font": Font(bold=True), "fill": GREY, "border": BORDER, "alignment": TOP},
    FRAME: {"border": BORDER},
    "Заголовок": {"font": Font(bold=True, sz=12), "alignment": CENTRE},
    "Подзаголовок": {"font": Font(sz=11), "alignment": CENTRE},
    "Предупреждение": {"font": Font(bold=True, color="C00000", sz=11), "alignment": CENTRE},
}


def _workbook() -> Workbook:
    book = Workbook()
    for name, looks in NAMED_STYLES.items():
        book.add_named_style(NamedStyle(name=name, **looks))
    return book


@translation.override("ru")
def summary_xlsx(summary) -> bytes:
    """The summary as a workbook: the Resolution's table with the consolidated information
    (A4 landscape, fitted to width, the header row on every page), and a sheet of the agencies
    expected to report with the state of their reports. Five queries (see `_summary_data`)."""
    cycle, title, rows = _summary_data(summary)
    book = _workbook()
    sheet = book.active
    sheet.title = "Сводная информация"
    _widths(sheet, SUMMARY_WIDTHS)
    for number, line in enumerate(title, start=1):
        _merged(sheet, number, line.text, TITLE_STYLES[line.kind])
    header = len(title) + 2
    _header(sheet, header, COLUMNS)
    _fit_height(sheet, header, COLUMNS, SUMMARY_WIDTHS, bold=True)
    # Row numbers are counted here: openpyxl's sheet.max_row scans every cell, which made the
    # export quadratic (5 s for 3,300 items; benchmarks/README.md).
    for number, row in enumerate(rows, start=header + 1):
        if row.is_section:
            _merged(sheet, number, row.cells[0], SECTION)
        else:
            _append(sheet, number, row.cells)
            _fit_height(sheet, number, row.cells, SUMMARY_WIDTHS)
            sheet.cell(number, 1).style = CELL_CENTRE
    sheet.freeze_panes = sheet.cell(header + 1, 1)
    sheet.print_title_rows = f"{header}:{header}"
    _print_setup(sheet)

    _agencies_sheet(book.create_sheet("Ведомства"), cycle)
    return _save(book)


def _agencies_sheet(sheet, cycle) -> None:
    """One row per agency expected to report. Two queries."""
    reports = {r.agency_id: r for r in AnnualReport.objects.filter(cycle=cycle)}
    states = _labels(AnnualReport.State)
    _widths(sheet, (60, 16, 26, 18, 18))
    _header(
        sheet, 1, ("Ведомство", "Аббревиатура", "Состояние отчёта", "Впервые представлен", "Срок")
    )
    for number, agency in enumerate(cycle_expected_agencies(cycle=cycle), start=2):
        report = reports.get(agency.pk)
        if report is None or report.first_submitted_at is None:
            timeliness = "не представлен"
        else:
            timeliness = "с опозданием" if report.is_late else "в срок"
        state = states[report.state] if report else "не начат"
        # Timeliness is judged by the first submission, so that is the time shown beside it.
        submitted_at = _local(report.first_submitted_at) if report else None
        _append(sheet, number, (agency.name, agency.abbreviation, state, submitted_at, timeliness))
    _table_finish(sheet)


def cycle_entries_xlsx(cycle) -> bytes:
    """Every entry of every report of the cycle (any state), one row each, for analysis: by
    agency name, then in plan order, with one column for each indicator of the plan (headed
    «3.7: name, unit»; empty where the entry's measure has not that indicator or no value was
    given). Headers and labels in the user's interface language; the plan's and the reports'
    text as written. Three queries: the indicators, the entries, their figures."""
    indicators = list(
        Indicator.objects.filter(measure__plan_id=cycle.plan_id)
        .select_related("measure")
        .order_by("measure__position", "position", "code")
    )
    entries = (
        ReportEntry.objects.filter(report__cycle=cycle)
        .select_related("report__agency", "measure__section")
        .prefetch_related("indicator_values")
        .annotate(documents=Count("attachments"))
        .order_by("report__agency__name", "report__agency__code", "measure__position")
    )
    states, statuses = _labels(AnnualReport.State), _labels(ReportEntry.Status)
    book = _workbook()
    sheet = book.active
    # Translated, yet a valid sheet name for Excel: at most 31 characters, none of [ ] : * ? / \
    sheet.title = re.sub(r"[][:*?/\\]", "", _("Отчёты %(year)s") % {"year": cycle.year})[:31]
    columns = {
        _("Год"): 7,
        _("Код ведомства"): 18,
        _("Ведомство"): 45,
        _("Состояние отчёта"): 20,
        _("Представлен"): 17,
        _("С опозданием"): 10,
        _("№ мероприятия"): 10,
        _("Раздел"): 8,
        _("Мероприятие"): 50,
        _("Статус"): 18,
        _("По собственной инициативе"): 12,
        _("Информация о ходе исполнения"): 80,
        _("Документов"): 11,
        _("Изменена"): 17,
        **{f"{i.measure.number}: {i.label}": 16 for i in indicators},
    }
    _widths(sheet, columns.values())
    _header(sheet, 1, columns)
    for number, entry in enumerate(entries, start=2):
        report, measure = entry.report, entry.measure
        _append(
            sheet,
            number,
            (
                cycle.year,
                report.agency.code,
                report.agency.name,
                states[report.state],
                _local(report.submitted_at),
                _yes_no(report.is_late),
                measure.number,
                measure.section.number,
                measure.title,
                statuses.get(entry.status, ""),
                _yes_no(entry.is_voluntary),
                entry.narrative,
                entry.documents,
                _local(entry.updated_at),
                *_figures(entry, indicators),
            ),
        )
    _table_finish(sheet)
    return _save(book)


def _figures(entry, indicators) -> list:
    values = {v.indicator_id: v.value for v in entry.indicator_values.all()}
    found = (values.get(i.pk) for i in indicators)
    return [_yes_no(v) if isinstance(v, bool) else v for v in found]


def _yes_no(value: bool) -> str:
    return _("да") if value else _("нет")


def _widths(sheet, widths) -> None:
    for number, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = width


def _header(sheet, row: int, titles) -> None:
    for column, title in enumerate(titles, start=1):
        sheet.cell(row, column, title).style = HEADER


def _append(sheet, row: int, values) -> None:
    """The values in row `row` (below everything written so far, as sheet.append would put them;
    the caller counts rows: sheet.max_row scans every cell)."""
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row, column, _xlsx_value(value))
        cell.style = CELL_DATETIME if cell.is_date else CELL
        if cell.data_type == "f":  # text typed as "=…" is text here, never a formula
            cell.data_type = "s"


def _xlsx_value(value):
    if not isinstance(value, str):
        return value
    value = xml_safe(value)
    if len(value) > EXCEL_CELL_LIMIT:
        # In the summary's language (Russian), or in the user's for the analysts' table.
        ending = _("… (сокращено: в ячейке Excel помещается не больше 32 767 знаков)")
        value = value[: EXCEL_CELL_LIMIT - len(ending)] + ending
    return value


def _merged(sheet, row: int, text: str, style: str):
    """A cell merged across the table: a title line, or a section's title (bordered, shaded).
    Excel does not grow a row of merged cells to fit its text, so the height is estimated."""
    columns = len(SUMMARY_WIDTHS)
    sheet.cell(row, 1, _xlsx_value(text)).style = style
    # Added to the merged ranges directly: merge_cells() recomputes the border of every cell of
    # the range from the first one's, which was a third of a small summary's export time.
    sheet.merged_cells.add(MergedCellRange(sheet, f"A{row}:{get_column_letter(columns)}{row}"))
    if style == SECTION:  # the other cells carry the frame, as Excel saves a bordered range
        for column in range(2, columns + 1):
            sheet.cell(row, column).style = FRAME
    size = NAMED_STYLES[style]["font"].sz or 11
    lines = math.ceil(max(len(text), 1) / (sum(SUMMARY_WIDTHS) * 11 / size))
    sheet.row_dimensions[row].height = 1.3 * size * lines + 4


# Excel and LibreOffice keep a row at the height the file gives (15 points when it gives none),
# whatever its wrapped text needs: LibreOffice then draws the text over the rows below. So the
# height is estimated by wrapping the text as they do, word by word, at about one character per
# unit of column width (0.9 in bold), each line 15 points high; 409 points is the most a row
# may have (a longer text is read in the DOCX). tests/reporting/summaries/test_exports.py checks
# the estimate against LibreOffice's rendering.
LINE_HEIGHT, MAX_ROW_HEIGHT = 15, 409


def _text_lines(value, width: float, *, bold: bool = False) -> int:
    capacity = max(1, int(width * (0.9 if bold else 1.0)) - 1)
    lines = 0
    for paragraph in ("" if value is None else str(value)).split("\n"):
        lines += 1
        used = 0
        for word in paragraph.split():
            if used and used + 1 + len(word) > capacity:
                lines += 1
                used = 0
            used += (1 if used else 0) + len(word)
            while used > capacity:  # a word longer than the line breaks inside it
                lines += 1
                used -= capacity
    return lines


def _fit_height(sheet, row: int, values, widths, *, bold: bool = False) -> None:
    lines = max(_text_lines(v, w, bold=bold) for v, w in zip(values, widths, strict=False))
    if lines > 1:
        sheet.row_dimensions[row].height = min(LINE_HEIGHT * lines + 3, MAX_ROW_HEIGHT)


def _print_setup(sheet) -> None:
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as the text needs
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.oddFooter.center.text = "&P / &N"


def _table_finish(sheet) -> None:
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    _print_setup(sheet)
    sheet.print_title_rows = "1:1"


def _save(book) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# DOCX

DOCX_WIDTHS_MM = (12, 50, 26, 30, 20, 68, 22, 34)  # 262 mm: A4 landscape less the margins


@translation.override("ru")
def summary_docx(summary) -> bytes:
    """The summary as a Word document for the Government: the title, then the Resolution's
    table (A4 landscape, the header row repeated on every page). Three queries."""
    _cycle, title, rows = _summary_data(summary)
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.left_margin, section.right_margin = Mm(20), Mm(15)
    section.top_margin, section.bottom_margin = Mm(15), Mm(15)
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = "Times New Roman", Pt(10)
    normal.paragraph_format.space_after = Pt(0)

    for line in title:
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(xml_safe(line.text))
        if line.kind != "text":
            run.bold = True
        run.font.size = Pt(12) if line.kind == "title" else Pt(11)
        if line.kind == "warning":
            run.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
    document.add_paragraph()

    table = document.add_table(rows=1, cols=len(COLUMNS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, DOCX_WIDTHS_MM, strict=True):
        column.width = Mm(width)
    header = table.rows[0]
    header._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))  # repeat on every page
    for cell, text in zip(_sized(header.cells), COLUMNS, strict=True):
        _docx_cell(cell, text, bold=True, centre=True)
        _shade(cell, "F2F2F2")
    for row in rows:
        new_row = table.add_row()
        if row.is_section:
            merged = _span_row(new_row)
            _docx_cell(merged, row.cells[0], bold=True)
            _shade(merged, "D9D9D9")
        else:
            cells = _sized(new_row.cells)
            for number, (cell, text) in enumerate(zip(cells, row.cells, strict=True)):
                _docx_cell(cell, text, centre=number == 0)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _span_row(row):
    """The new row's cells as one cell across the table, as cell.merge() makes it (the first
    cell spans the grid, the others are removed). merge() looks for the row's index among all
    the table's rows, which made the export quadratic (benchmarks/README.md)."""
    tr = row._tr
    first, *others = tr.tc_lst
    for tc in others:
        tr.remove(tc)
    first.grid_span = len(DOCX_WIDTHS_MM)
    first.width = Mm(sum(DOCX_WIDTHS_MM))
    return _Cell(first, row.table)


def _sized(cells):
    for cell, width in zip(cells, DOCX_WIDTHS_MM, strict=True):
        cell.width = Mm(width)  # Word reads the cells' widths, LibreOffice the grid's
    return cells


def _docx_cell(cell, text: str, *, bold=False, centre=False) -> None:
    """The text in the cell, one paragraph for each block separated by a blank line (the
    summary's text has one per agency)."""
    blocks = [b.strip() for b in re.split(r"\n\s*\n", xml_safe(text))]
    for number, block in enumerate(blocks):
        paragraph = cell.paragraphs[0] if number == 0 else cell.add_paragraph()
        if number:
            paragraph.paragraph_format.space_before = Pt(4)
        if centre:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(block)  # a single "\n" in it becomes a line break
        if bold:
            run.bold = True


def _shade(cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)
