import datetime
import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import docx
import openpyxl
import pytest
import time_machine
from django.utils import translation
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from openpyxl.utils import get_column_letter

from agencies.models import Agency, User
from reporting import exports, selectors, services
from reporting.models import ReportEntry, SummaryItem
from reporting.summaries import selectors as summary_selectors
from tests.factories import UserFactory
from tests.reporting.conftest import cycle_of, fill
from tests.reporting.documents import PDF, upload

pytestmark = pytest.mark.django_db
UTC = datetime.UTC
HEADER = [
    "№ п/п",
    "Мероприятие",
    "Форма завершения",
    "Ответственные за исполнение",
    "Срок исполнения",
    "Информация о ходе исполнения",
    "Статус",
    "Показатели (итого по ведомствам)",
]
MVD_NAME = "Министерство внутренних дел Республики Казахстан"
# The 2019 reports were due by the end of 20 January 2020 in Astana (UTC+6 then).
ON_TIME = datetime.datetime(2020, 1, 20, 17, 59, tzinfo=UTC)  # 23:59 on 20 January
LATE = datetime.datetime(2020, 1, 20, 18, 0, tzinfo=UTC)  # 00:00 on 21 January


def submit(cycle, code, user, at=ON_TIME, **filling):
    report = services.report_open(cycle=cycle, agency=Agency.objects.get(code=code))
    fill(report, user, **filling)
    with time_machine.travel(at, tick=False):
        return services.report_submit(report=report, user=user)


@pytest.fixture
def summary_2019(cycle_2019, mon_officer, akimat_officer, mvd_secretariat):
    """МОН reported on time (with a voluntary entry and a document) and was accepted; the
    Almaty akimat reported a minute late; МТСЗН has a draft; the others have not started."""
    mon = services.report_open(cycle=cycle_2019, agency=mon_officer.agency)
    voluntary = selectors.open_measures_to_add(report=mon).get(number="9")
    services.entry_add_voluntary(report=mon, measure=voluntary, user=mon_officer)
    first = mon.entries.order_by("measure__position").first()
    services.attachment_add(entry=first, user=mon_officer, file=upload("акт.pdf", PDF))
    services.report_accept(report=submit(cycle_2019, "mon", mon_officer), user=mvd_secretariat)
    submit(
        cycle_2019,
        "akimat-almaty",
        akimat_officer,
        LATE,
        status=ReportEntry.Status.PARTIAL,
        narrative="Проведено 3 рейда.\nВыявлены 2 жертвы.",
    )
    services.report_open(cycle=cycle_2019, agency=Agency.objects.get(code="mtszn"))
    return services.summary_generate(cycle=cycle_2019, user=mvd_secretariat)


def workbook(content):
    return openpyxl.load_workbook(io.BytesIO(content))


def document(content):
    return docx.Document(io.BytesIO(content))


def summary_table(sheet):
    """The header row's number, and the rows under it: ("section", title) for a merged section
    row, or the eight values of a measure's row."""
    header = next(row[0].row for row in sheet.iter_rows() if row[0].value == "№ п/п")
    merged = {r.min_row for r in sheet.merged_cells.ranges}
    rows = [
        ("section", row[0].value) if row[0].row in merged else tuple(c.value for c in row)
        for row in sheet.iter_rows(min_row=header + 1)
    ]
    return header, rows


def docx_rows(table):
    """Like `summary_table`, for the Word table (without its header row)."""
    return [
        ("section", row.cells[0].text)
        if len(row._tr.tc_lst) == 1
        else tuple(cell.text for cell in row.cells)
        for row in table.rows[1:]
    ]


def expected_numbers(summary):
    """The summary's measures in plan order, each heading before its first sub-measure."""
    numbers = []
    for item in summary_selectors.summary_items(summary=summary):
        parent = item.measure.parent
        if parent and parent.number not in numbers:
            numbers.append(parent.number)
        numbers.append(item.measure.number)
    return numbers


def numbers_of(rows):
    return [row[0] for row in rows if row[0] != "section"]


def test_summary_xlsx_title_and_header(summary_2019):
    sheet = workbook(exports.summary_xlsx(summary_2019))["Сводная информация"]
    header, _rows = summary_table(sheet)
    title = " ".join(
        str(row[0].value) for row in sheet.iter_rows(max_row=header - 1) if row[0].value
    )
    assert "Сводная информация о ходе исполнения за 2019 год" in title
    assert "постановлением Правительства Республики Казахстан от 1 октября 2018 года № 609" in title
    assert "по профилактике, предотвращению и борьбе с преступлениями" in title
    assert f"Координатор: {MVD_NAME}" in title
    assert "в Правительство не направлялась" in title
    assert [c.value for c in sheet[header]] == HEADER
    assert all(c.font.b for c in sheet[header])


def test_summary_xlsx_rows_are_the_measures_of_2019_in_plan_order(summary_2019, cycle_2019):
    sheet = workbook(exports.summary_xlsx(summary_2019))["Сводная информация"]
    _header, rows = summary_table(sheet)
    numbers = numbers_of(rows)
    assert numbers == expected_numbers(summary_2019)
    reportable = {m.number for m in summary_selectors.cycle_reportable_measures(cycle=cycle_2019)}
    assert set(numbers) == reportable | {"3"}
    assert numbers[:5] == ["1", "2", "3", "3.1", "3.2"] and numbers[-1] == "27"
    assert "28" not in numbers and "29" not in numbers  # 2018 only, 2020 only
    # The sections that have measures that year (7 has only 29), each before its first one.
    sections = [row[1] for row in rows if row[0] == "section"]
    assert (
        sections[0]
        == "1. Организационно-практические мероприятия по противодействию торговле людьми"
    )
    assert [s.split(".")[0] for s in sections] == ["1", "2", "3", "4", "5", "6"]
    assert rows[0][0] == "section"
    section_row = next(row for row in sheet.iter_rows() if row[0].value == sections[1])
    assert section_row[0].font.b and section_row[0].fill.fgColor.rgb.endswith("D9D9D9")
    # Merged across the eight columns and framed all round, as Excel draws a bordered range.
    number = section_row[0].row
    assert f"A{number}:H{number}" in {str(r) for r in sheet.merged_cells.ranges}
    assert all(c.border.top.style == c.border.bottom.style == "thin" for c in section_row[:8])
    assert section_row[7].border.right.style == "thin"


def test_summary_xlsx_heading_has_no_status_and_items_show_theirs(summary_2019):
    _header, rows = summary_table(
        workbook(exports.summary_xlsx(summary_2019))["Сводная информация"]
    )
    by_number = {row[0]: row for row in rows if row[0] != "section"}
    heading = by_number["3"]
    assert heading[1].startswith("Проведение комплексных совместных")
    assert heading[2] == "информация в рабочий орган МВК, Протокол МВК"
    assert heading[4] == "ежегодно"
    assert heading[5] is None and heading[6] is None
    assert not SummaryItem.objects.filter(summary=summary_2019, measure__number="3").exists()
    for item in summary_selectors.summary_items(summary=summary_2019):
        assert by_number[item.measure.number][6] == item.get_status_display()
    # МОН did measure 17 and Almaty did it in part, the other executors gave nothing; МОН
    # reported on 9 of its own accord.
    assert by_number["17"][6] == "Информации недостаточно"
    assert "МОН: Проведено 12 проверок." in by_number["17"][5]
    assert "Акимат города Алматы: Проведено 3 рейда.\nВыявлены 2 жертвы." in by_number["17"][5]
    assert "МОН (по собственной инициативе): Проведено 12 проверок." in by_number["9"][5]
    assert by_number["2"][6] == "Нет информации"


def test_an_edited_item_shows_in_both_files(summary_2019, mvd_secretariat):
    item = summary_2019.items.get(measure__number="4")
    text = "МВД: проверено 40 объектов, «Ёлка».\n\nМОН: проведено 12 проверок."
    services.summary_item_update(
        item=item, user=mvd_secretariat, status="in_progress", text=text, version=item.version
    )
    _header, rows = summary_table(
        workbook(exports.summary_xlsx(summary_2019))["Сводная информация"]
    )
    row = next(row for row in rows if row[0] == "4")
    assert (row[5], row[6]) == (text, "Исполняется")

    table = document(exports.summary_docx(summary_2019)).tables[0]
    cells = next(r.cells for r in table.rows if r.cells[0].text == "4")
    assert [p.text for p in cells[5].paragraphs] == [
        "МВД: проверено 40 объектов, «Ёлка».",
        "МОН: проведено 12 проверок.",
    ]
    assert cells[6].text == "Исполняется"


def test_summary_xlsx_prints_on_a4_landscape_with_the_header_on_every_page(summary_2019):
    sheet = workbook(exports.summary_xlsx(summary_2019))["Сводная информация"]
    header, _rows = summary_table(sheet)
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == 9  # A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet.print_title_rows == f"${header}:${header}"
    assert sheet.freeze_panes == f"A{header + 1}"
    measure_row = sheet[header + 2]
    assert measure_row[1].alignment.wrap_text and measure_row[1].alignment.vertical == "top"
    assert measure_row[1].border.left.style == "thin"
    assert 30 <= sheet.column_dimensions["B"].width <= 60
    assert sheet.column_dimensions["F"].width >= sheet.column_dimensions["B"].width


def test_summary_xlsx_lists_the_expected_agencies_and_their_reports(summary_2019, cycle_2019):
    sheet = workbook(exports.summary_xlsx(summary_2019))["Ведомства"]
    header, *rows = [tuple(c.value for c in row) for row in sheet.iter_rows()]
    # Then a column per indicator of the plan (tests/reporting/indicators).
    assert header[:14] == (
        "Ведомство",
        "Аббревиатура",
        "Состояние отчёта",
        "Впервые представлен",
        "Срок",
    )
    expected = selectors.cycle_expected_agencies(cycle=cycle_2019)
    assert [row[0] for row in rows] == [a.name for a in expected]
    by_code = {a.code: row for a, row in zip(expected, rows, strict=True)}
    assert by_code["mon"][1:] == (
        "МОН",
        "Принят",
        datetime.datetime(2020, 1, 20, 23, 59),  # Astana time
        "в срок",
    )
    assert by_code["akimat-almaty"][2:] == (
        "Представлен",
        datetime.datetime(2020, 1, 21, 0, 0),
        "с опозданием",
    )
    assert by_code["mtszn"][2:] == ("Черновик", None, "не представлен")
    assert by_code["mvd"][2:] == ("не начат", None, "не представлен")
    mon_row = 2 + [a.code for a in expected].index("mon")
    assert sheet.cell(mon_row, 4).number_format == "DD.MM.YYYY HH:MM"


def test_summary_for_2020_has_measure_29_and_its_coordinator(mtszn_secretariat):
    cycle = cycle_of(2020)
    summary = services.summary_generate(cycle=cycle, user=mtszn_secretariat)
    sheet = workbook(exports.summary_xlsx(summary))["Сводная информация"]
    _header, rows = summary_table(sheet)
    numbers = numbers_of(rows)
    assert numbers == expected_numbers(summary)
    assert "29" in numbers and "28" not in numbers and "23" not in numbers  # 23: 2018–2019
    title = [row[0].value for row in sheet.iter_rows(max_row=6)]
    assert (
        "Координатор: Министерство труда и социальной защиты населения Республики Казахстан"
        in title
    )
    paragraphs = [p.text for p in document(exports.summary_docx(summary)).paragraphs]
    assert "Сводная информация о ходе исполнения за 2020 год" in paragraphs


def test_summary_docx_for_the_government(summary_2019):
    content = document(exports.summary_docx(summary_2019))
    title = "\n".join(p.text for p in content.paragraphs)
    assert "от 1 октября 2018 года № 609" in title
    assert "за 2019 год" in title
    assert MVD_NAME in title
    assert content.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER
    section = content.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert section.page_width > section.page_height
    assert content.styles["Normal"].font.size == Pt(10)

    (table,) = content.tables
    assert [c.text for c in table.rows[0].cells] == HEADER
    assert table.rows[0]._tr.xpath("./w:trPr/w:tblHeader")  # repeated on every page
    number, *_middle, information, status, _totals = table.rows[0].cells
    assert information.width > 5 * number.width and information.width > 2 * status.width
    assert not table.rows[1]._tr.xpath("./w:trPr/w:tblHeader")
    rows = docx_rows(table)
    assert numbers_of(rows) == expected_numbers(summary_2019)
    sections = [row for row in rows if row[0] == "section"]
    assert len(sections) == 6  # section 7 has only measure 29, reported on in 2020
    assert table._tbl.xpath(".//w:gridSpan/@w:val") == ["8"] * 6
    # The same rows as the spreadsheet, cell by cell (a cell's paragraphs joined by "\n").
    _header, xlsx_rows = summary_table(
        workbook(exports.summary_xlsx(summary_2019))["Сводная информация"]
    )
    assert rows == [tuple((v or "").replace("\n\n", "\n") for v in row) for row in xlsx_rows]


def test_summary_docx_says_when_it_was_sent_and_when_it_went_out_of_date(
    summary_2019, mvd_secretariat
):
    with time_machine.travel(datetime.datetime(2020, 2, 5, 4, 30, tzinfo=UTC), tick=False):
        services.summary_send(summary=summary_2019, user=mvd_secretariat)
    with summary_2019.sent_docx.open("rb") as stored:
        sent = "\n".join(p.text for p in document(stored.read()).paragraphs)
    assert "Направлена в Правительство Республики Казахстан 05.02.2020 10:30" in sent
    assert "mvd_secretariat" in sent and "Проект" not in sent and "Внимание" not in sent
    with summary_2019.sent_xlsx.open("rb") as stored:
        sheet = workbook(stored.read())["Сводная информация"]
    assert any(str(c.value).startswith("Направлена") for c in sheet["A"][:6])

    mon = summary_2019.cycle.reports.get(agency__code="mon")
    services.report_reopen(report=mon, user=mvd_secretariat, comment="Уточните п. 4.")
    summary_2019.refresh_from_db()
    content = document(exports.summary_docx(summary_2019))
    warning = next(p for p in content.paragraphs if p.text.startswith("Внимание"))
    assert "открыл отчёт ведомства для доработки" in warning.text
    assert warning.runs[0].bold and warning.runs[0].font.color.rgb is not None


def test_cycle_entries_xlsx_has_a_row_for_every_entry_of_every_report(summary_2019, cycle_2019):
    sheet = workbook(exports.cycle_entries_xlsx(cycle_2019)).active
    header, *rows = [tuple(c.value for c in row) for row in sheet.iter_rows()]
    # Then a column per indicator of the plan (tests/reporting/indicators).
    assert header[:14] == (
        "Год",
        "Код ведомства",
        "Ведомство",
        "Состояние отчёта",
        "Представлен",
        "С опозданием",
        "№ мероприятия",
        "Раздел",
        "Мероприятие",
        "Статус",
        "По собственной инициативе",
        "Информация о ходе исполнения",
        "Документов",
        "Изменена",
    )
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{get_column_letter(len(header))}{len(rows) + 1}"
    assert len(rows) == ReportEntry.objects.filter(report__cycle=cycle_2019).count()
    # By agency name (Акимат… before Министерство…), then in plan order.
    agencies = [row[2] for row in rows]
    assert agencies == sorted(agencies)
    assert {row[1] for row in rows} == {"akimat-almaty", "mon", "mtszn"}
    mon = [row for row in rows if row[1] == "mon"]
    assert [row[6] for row in mon] == ["3.4", "4", "9", "12", "14", "17", "18"]
    first = mon[0]
    assert first[0] == 2019 and first[3:6] == (
        "Принят",
        datetime.datetime(2020, 1, 20, 23, 59),
        "нет",
    )
    assert first[7] == 1 and first[8].startswith("по предотвращению принудительного труда")
    assert first[9:13] == ("Исполнено", "нет", "Проведено 12 проверок.", 1)
    assert isinstance(first[13], datetime.datetime)
    assert next(row for row in mon if row[6] == "9")[10] == "да"
    almaty = next(row for row in rows if row[1] == "akimat-almaty")
    assert almaty[2] == "Акимат города Алматы"
    assert (almaty[5], almaty[9]) == ("да", "Частично исполнено")
    assert almaty[11] == "Проведено 3 рейда.\nВыявлены 2 жертвы."
    draft = next(row for row in rows if row[1] == "mtszn")
    assert draft[3:6] == ("Черновик", None, "нет")
    assert draft[9] is None and draft[11] is None  # no status, no text yet


def test_text_that_looks_like_a_formula_or_holds_control_characters(
    cycle_2019, mon_officer, mvd_secretariat
):
    narrative = "=СУММ(1;2)\x0bвторая строка\x07"
    submit(cycle_2019, "mon", mon_officer, narrative=narrative)
    summary = services.summary_generate(cycle=cycle_2019, user=mvd_secretariat)

    entries = workbook(exports.cycle_entries_xlsx(cycle_2019)).active
    cell = entries["L2"]
    assert (cell.value, cell.data_type) == ("=СУММ(1;2)\nвторая строка", "s")
    _header, rows = summary_table(workbook(exports.summary_xlsx(summary))["Сводная информация"])
    text = next(row for row in rows if row[0] == "4")[5]
    assert text.startswith("МОН: =СУММ(1;2)\nвторая строка\n\n")
    table = document(exports.summary_docx(summary)).tables[0]
    assert "вторая строка" in next(r.cells[5].text for r in table.rows if r.cells[0].text == "4")


def test_text_longer_than_an_excel_cell_is_cut_in_xlsx_only(summary_2019, mvd_secretariat):
    item = summary_2019.items.get(measure__number="1")
    text = "Акимат: проведён рейд. " * 2000  # 46 000 characters; an Excel cell holds 32 767
    services.summary_item_update(
        item=item, user=mvd_secretariat, status="partial", text=text, version=item.version
    )
    _header, rows = summary_table(
        workbook(exports.summary_xlsx(summary_2019))["Сводная информация"]
    )
    cut = next(row for row in rows if row[0] == "1")[5]
    assert len(cut) == 32767 and cut.endswith("не больше 32 767 знаков)")
    table = document(exports.summary_docx(summary_2019)).tables[0]
    assert next(r.cells[5].text for r in table.rows if r.cells[0].text == "1") == text.strip()


def test_files_are_in_russian_whatever_the_interface_language(
    summary_2019, cycle_2019, monkeypatch
):
    # The Government reads Russian; the labels would follow the user's language otherwise.
    # A stand-in English catalog, marking every string it is asked for outside Russian:
    russian = translation._trans.gettext
    monkeypatch.setattr(
        translation._trans,
        "gettext",
        lambda text: russian(text) if translation.get_language() == "ru" else f"[en] {text}",
    )
    with translation.override("en"):
        assert str(SummaryItem.Status.DONE.label) == "[en] Исполнено"
        summary = workbook(exports.summary_xlsx(summary_2019))
        entries = workbook(exports.cycle_entries_xlsx(cycle_2019)).active
        word = document(exports.summary_docx(summary_2019))
    _header, rows = summary_table(summary["Сводная информация"])
    assert next(row for row in rows if row[0] == "2")[6] == "Нет информации"
    assert "Принят" in [c.value for c in summary["Ведомства"]["C"]]
    # The analysts' table of entries follows the interface language instead.
    assert "[en] Исполнено" in [c.value for c in entries["J"]]
    assert entries["A1"].value == "[en] Год"
    assert any(r.cells[6].text == "Нет информации" for r in word.tables[0].rows)


# What each export reads, whatever the number of agencies, reports and entries:
EXPORTS = [
    # the cycle with its plan and coordinator; the items with measures, sections and
    # parents; their indicator totals; the cycle's reports; the expected agencies
    pytest.param(lambda summary, cycle: exports.summary_xlsx(summary), 5, id="summary_xlsx"),
    # the cycle with its plan and coordinator; the items; their indicator totals
    pytest.param(lambda summary, cycle: exports.summary_docx(summary), 3, id="summary_docx"),
    # the plan's indicators; the entries with their reports, agencies, measures, sections and
    # document counts; the entries' figures
    pytest.param(lambda summary, cycle: exports.cycle_entries_xlsx(cycle), 3, id="entries_xlsx"),
]


@pytest.mark.parametrize(("export", "queries"), EXPORTS)
def test_queries_do_not_grow_with_the_data(
    export, queries, cycle_2019, mon_officer, mvd_secretariat, django_assert_num_queries
):
    submit(cycle_2019, "mon", mon_officer)
    summary = services.summary_generate(cycle=cycle_2019, user=mvd_secretariat)
    with django_assert_num_queries(queries):
        few = export(summary, cycle_2019)

    for code in ("mid", "mz", "mtszn", "akimat-astana", "akimat-almaty", "akimat-shymkent"):
        officer = UserFactory(agency=Agency.objects.get(code=code), role=User.Role.OFFICER)
        report = submit(cycle_2019, code, officer, LATE)
        entry = report.entries.first()
        services.report_return(report=report, user=mvd_secretariat, comment="Приложите акт.")
        services.attachment_add(entry=entry, user=officer, file=upload("акт.pdf", PDF))
        services.report_submit(report=report, user=officer)
    summary = services.summary_generate(cycle=cycle_2019, user=mvd_secretariat)
    with django_assert_num_queries(queries):
        more = export(summary, cycle_2019)
    assert len(more) > len(few)  # the same queries fetched more


def test_a_report_returned_and_resubmitted_late_keeps_its_first_submission(
    mon_filled, mon_officer, mvd_secretariat
):
    first = datetime.datetime(2020, 1, 15, 4, 0, tzinfo=datetime.UTC)
    with time_machine.travel(first, tick=False):
        services.report_submit(report=mon_filled, user=mon_officer)
    services.report_return(report=mon_filled, user=mvd_secretariat, comment="Доработайте.")
    with time_machine.travel(datetime.datetime(2020, 1, 25, tzinfo=datetime.UTC), tick=False):
        services.report_submit(report=mon_filled, user=mon_officer)
    summary = services.summary_generate(cycle=mon_filled.cycle, user=mvd_secretariat)
    sheet = workbook(exports.summary_xlsx(summary))["Ведомства"]
    mon = next(row for row in sheet.iter_rows(values_only=True) if row[1] == "МОН")
    assert mon[3:] == (datetime.datetime(2020, 1, 15, 10, 0), "в срок")


# The summary's XLSX as LibreOffice lays it out: every row as high as its wrapped text, so that
# no text is drawn over the row below. Rendered to PDF by LibreOffice, read back by pdftotext.

SOFFICE, PDFTOTEXT = shutil.which("soffice"), shutil.which("pdftotext")


def _word_boxes(pdf: Path) -> dict[str, list[tuple[int, float, float]]]:
    """Each word of the PDF: (page, top, bottom) of each of its occurrences."""
    html = subprocess.run(  # noqa: S603 (poppler's pdftotext on our own file)
        [PDFTOTEXT, "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    boxes: dict[str, list[tuple[int, float, float]]] = {}
    for page, content in enumerate(html.split("<page ")[1:], start=1):
        for y_min, y_max, word in re.findall(
            r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>',
            content,
        ):
            boxes.setdefault(word, []).append((page, float(y_min), float(y_max)))
    return boxes


@pytest.mark.skipif(not (SOFFICE and PDFTOTEXT), reason="LibreOffice or poppler-utils missing")
def test_libreoffice_prints_each_row_as_high_as_its_text(summary_2019, tmp_path):
    first, second = summary_selectors.summary_items(summary=summary_2019)[:2]
    SummaryItem.objects.filter(pk=first.pk).update(
        text="Проведены проверки в двенадцати организациях образования и здравоохранения. " * 9
        + "КОНЕЦПЕРВОЙ"
    )
    SummaryItem.objects.filter(pk=second.pk).update(text="НАЧАЛОВТОРОЙ Сделано.")
    (tmp_path / "summary.xlsx").write_bytes(exports.summary_xlsx(summary_2019))
    subprocess.run(  # noqa: S603 (LibreOffice on our own file)
        [SOFFICE, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
         str(tmp_path / "summary.xlsx")],
        capture_output=True, check=True, timeout=180,
        env={**os.environ, "HOME": str(tmp_path)},  # a profile of its own, whoever else runs it
    )  # fmt: skip
    boxes = _word_boxes(tmp_path / "summary.pdf")
    # The whole text is printed, and above the next row's.
    [(page, _top, end)] = boxes["КОНЕЦПЕРВОЙ"]
    [(next_page, start, _bottom)] = boxes["НАЧАЛОВТОРОЙ"]
    assert (page, end) < (next_page, start)
    # The header's wrapped titles ("Ответственные за | исполнение") stay in the header row,
    # above the first section's row; the measures' titles in theirs.
    _page, header_top, _b = boxes["Ответственные"][0]  # the header of the first page
    header_bottom = min(b for p, t, b in boxes["исполнение"] if p == 1 and t >= header_top - 1)
    section_top = boxes["Организационно-практические"][0][1]
    assert header_bottom < section_top
    title_end = next(b for p, _t, b in boxes["акиматах"] if p == 1)  # measure 1's last word
    assert title_end < boxes["Участие"][0][1]  # measure 2's first
