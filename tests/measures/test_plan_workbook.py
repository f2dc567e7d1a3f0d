"""Reading a plan from a workbook in the Resolution's table shape: the constructed 2021–2023
Plan (fixtures/source/plan_2021_2023_constructed.xlsx) and every malformed case, each named by
its cell."""

import datetime
import io
from pathlib import Path

import pytest
from django.conf import settings
from openpyxl import Workbook, load_workbook

from measures.workbook import read_plan_workbook, reporting_years

pytestmark = pytest.mark.django_db
WORKBOOK = Path(settings.BASE_DIR) / "fixtures" / "source" / "plan_2021_2023_constructed.xlsx"
RESOLUTION = datetime.date(2020, 12, 30)


def read(source=WORKBOOK):
    return read_plan_workbook(source, resolution_date=RESOLUTION, start_year=2021, end_year=2023)


def edited(change):
    """The constructed workbook with `change(sheet)` applied, as a file."""
    book = load_workbook(WORKBOOK)
    change(book.active)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def row_of(sheet, number):
    return next(row[0].row for row in sheet.iter_rows() if str(row[0].value) == number)


def test_the_constructed_plan_reads_whole():
    plan = read()
    assert plan.problems == []
    assert [number for number, _title in plan.sections] == [1, 2, 3, 4, 5]
    assert [m.number for m in plan.measures] == [
        "1", "2", "3", "3.1", "3.2", "3.3", "4", "5", "6", "7", "8", "9", "10", "11",
    ]  # fmt: skip
    by_number = {m.number: m for m in plan.measures}
    # Measure 1: МТСЗН and the 17 akimats (Нур-Султан's included), each for 2021–2023.
    first = by_number["1"]
    assert first.executors[0].agency_code == "mtszn"
    assert [e.agency_code for e in first.executors[1:4]] == [
        "akimat-astana", "akimat-almaty", "akimat-shymkent",
    ]  # fmt: skip
    assert len(first.executors) == 18
    assert {(e.first_year, e.last_year) for e in first.executors} == {(2021, 2023)}
    # A heading: no executors; its sub-measures take its form and deadline.
    assert by_number["3"].executors == []
    assert (
        by_number["3.1"].parent == "3" and by_number["3.1"].completion_form == "информация в МТСЗН"
    )
    assert (by_number["3.1"].first_year, by_number["3.1"].last_year) == (2021, 2023)
    # By agreement, the consolidator, bodies open to interested ones.
    assert [(e.agency_code, e.by_agreement) for e in by_number["2"].executors] == [
        ("mf", False), ("mvd", False), ("gp", True),
    ]  # fmt: skip
    assert by_number["5"].executors[0].is_consolidator
    assert by_number["5"].open_to_interested and not by_number["4"].open_to_interested
    # The years of each deadline.
    assert (by_number["6"].first_year, by_number["6"].last_year) == (2021, 2022)
    assert (by_number["10"].first_year, by_number["11"].first_year) == (2022, 2023)
    # What the portal does not know, for the admin to map or create.
    assert plan.unknown_executors == ["МИОР", "Карагандинская академия МВД имени Б. Бейсенова"]
    assert [e.agency_code for e in by_number["10"].executors] == ["", "law-enforcement-academy-gp"]


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("ежегодно", (2021, 2023)),
        ("2021 – 2022 годы", (2021, 2022)),
        ("2022-2023 гг.", (2022, 2023)),
        ("2023 год", (2023, 2023)),
        ("IV квартал 2022 года", (2022, 2022)),
        ("декабрь 2021 года, далее ежегодно", (2021, 2021)),
        ("постоянно", (2021, 2023)),
        ("по мере необходимости", None),
    ],
)
def test_the_years_of_a_deadline(text, years):
    assert reporting_years(text, 2021, 2023) == years


def problems(source):
    return [str(problem) for problem in read(source).problems]


def test_a_missing_column_is_named():
    def drop_deadline(sheet):
        sheet.delete_cols(5)

    assert problems(edited(drop_deadline)) == [
        "4: В строке заголовков нет столбца: «Срок исполнения»."
    ]


def test_no_header_at_all():
    book = Workbook()
    book.active.append(["Просто", "таблица"])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    assert "Не найдена строка заголовков" in problems(buffer)[0]


def test_a_measure_before_any_section():
    def move_first_section_away(sheet):
        sheet.unmerge_cells("A6:E6")
        sheet["A6"] = None

    found = problems(edited(move_first_section_away))
    assert found[0] == "A7: Мероприятие 1 стоит до первого раздела: раздел неизвестен."


def test_a_number_twice():
    def renumber(sheet):
        sheet.cell(row_of(sheet, "2"), 1).value = "1"

    found = problems(edited(renumber))
    assert any(p.endswith("Номер 1 уже есть в строке 7.") for p in found)


def test_a_section_twice():
    def repeat_section(sheet):
        row = next(r[0].row for r in sheet.iter_rows() if str(r[0].value).startswith("2. "))
        sheet.cell(row, 1).value = "1. Ещё раз первый раздел"

    assert any("Раздел 1 уже есть (строка 6)." in p for p in problems(edited(repeat_section)))


def test_a_sub_measure_without_its_heading():
    def orphan(sheet):
        sheet.cell(row_of(sheet, "6"), 1).value = "6.1"

    assert any(
        "Подмероприятие 6.1 без общего мероприятия 6." in p for p in problems(edited(orphan))
    )


def test_a_deadline_without_years_or_outside_the_plan():
    def bad_deadlines(sheet):
        sheet.cell(row_of(sheet, "6"), 5).value = "по мере необходимости"
        sheet.cell(row_of(sheet, "8"), 5).value = "2026 год"

    found = problems(edited(bad_deadlines))
    assert any(
        p.startswith("E") and "«по мере необходимости» не называет ни года" in p for p in found
    )
    assert any("«2026 год» вне лет плана (2021–2023)" in p for p in found)


def test_a_measure_without_executors_and_a_heading_with_them():
    def executors(sheet):
        sheet.cell(row_of(sheet, "9"), 4).value = None
        sheet.cell(row_of(sheet, "3"), 4).value = "МВД"

    found = problems(edited(executors))
    assert any("У мероприятия 9 нет исполнителей." in p for p in found)
    assert any("У мероприятия 3 есть подмероприятия" in p for p in found)


def test_not_a_workbook():
    assert problems(io.BytesIO(b"%PDF-1.4 not a workbook")) == [
        "Файл не читается как книга Excel (XLSX)."
    ]


def test_an_unknown_executor_is_listed_with_its_cell_not_refused():
    def unknown(sheet):
        sheet.cell(row_of(sheet, "8"), 4).value = "МОН, Министерство чудес"

    plan = read(edited(unknown))
    assert plan.problems == []
    assert "Министерство чудес" in plan.unknown_executors
    executor = next(e for m in plan.measures for e in m.executors if e.text == "Министерство чудес")
    assert executor.cell.startswith("D")


def test_akimats_are_those_existing_on_the_resolutions_day(plan):
    from agencies.models import Agency

    Agency.objects.filter(code="akimat-turkestan").update(active_until=datetime.date(2020, 1, 1))
    first = next(m for m in read().measures if m.number == "1")
    assert "akimat-turkestan" not in [e.agency_code for e in first.executors]
    assert len(first.executors) == 17
