"""The admin's spreadsheets against a hostile file or name: an export never writes a cell a
spreadsheet would run as a formula; an import refuses such a cell, and a file too large or too
long before it is parsed. Every refusal names what is wrong and writes nothing."""

import csv
import io
import tracemalloc
import zipfile

import openpyxl
import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import TemporaryUploadedFile
from import_export.admin import ExportMixin, ImportMixin

from agencies.models import Agency
from agencies.spreadsheets import SPREADSHEET_FORMATS, check_import_file
from measures.models import Measure, Responsibility
from tests.measures.test_admin_import import (
    admin_client,  # noqa: F401 (a fixture)
    csv_file,
    export_file,
    snapshot,
    text,
    upload,
    xlsx_file,
)

pytestmark = pytest.mark.django_db

FORMULAS = [
    '=HYPERLINK("http://evil.example","x")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
    " \n=1+1",
]
AGENCY_COLUMNS = ["code", "abbreviation", "name", "kind", "by_agreement", "parent", "is_active"]


# Exports


@pytest.fixture
def hostile(plan):
    """Names an admin typed (the admin's form accepts them) that a spreadsheet would run."""
    for n, name in enumerate(FORMULAS):
        Agency.objects.create(code=f"evil-{n}", name=name, kind=Agency.Kind.ORGANIZATION)
    Measure.objects.filter(number="28").update(title=FORMULAS[0])


def test_the_xlsx_export_writes_formulas_as_text(admin_client, hostile):  # noqa: F811
    book = openpyxl.load_workbook(io.BytesIO(export_file(admin_client, "agencies.agency", "xlsx")))
    cells = {row[0].value: row[2] for row in book.active.iter_rows(min_row=2)}

    for n, name in enumerate(FORMULAS):
        cell = cells[f"evil-{n}"]
        assert (cell.value, cell.data_type, cell.quotePrefix) == (name, "s", True)
    # Nothing else changed: numbers and booleans stay as they are.
    assert cells["mvd"].data_type == "s" and not cells["mvd"].quotePrefix
    assert book.active.cell(2, 5).value in (True, False)


def test_the_csv_export_writes_formulas_as_text(admin_client, hostile):  # noqa: F811
    content = export_file(admin_client, "agencies.agency", "csv").decode()
    names = {row["code"]: row["name"] for row in csv.DictReader(io.StringIO(content))}

    for n, name in enumerate(FORMULAS):
        assert names[f"evil-{n}"] == f"'{name}"
    assert names["mvd"] == Agency.objects.get(code="mvd").name


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_every_export_of_the_plan_writes_formulas_as_text(admin_client, hostile, fmt):  # noqa: F811
    content = export_file(admin_client, "measures.measure", fmt)
    if fmt == "csv":
        titles = [row["title"] for row in csv.DictReader(io.StringIO(content.decode()))]
        assert f"'{FORMULAS[0]}" in titles
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        assert not [cell for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]


def test_every_admin_exports_and_imports_only_the_safe_formats():
    """An admin added later with an export gets the same protection, or this fails."""
    spreadsheet_admins = [
        model_admin
        for model_admin in admin.site._registry.values()
        if isinstance(model_admin, ExportMixin | ImportMixin)
    ]
    assert len(spreadsheet_admins) >= 3  # agencies, measures, responsibilities
    for model_admin in spreadsheet_admins:
        assert list(model_admin.get_export_formats()) == SPREADSHEET_FORMATS, model_admin
        assert list(model_admin.get_import_formats()) == SPREADSHEET_FORMATS, model_admin


# Imports


def text_xlsx(rows):
    """An XLSX whose cells are all text, as a spreadsheet saves what was typed as text (a real
    formula is read by its computed value, which the file may not even hold)."""
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    for line in book.active.iter_rows():
        for cell in line:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("name", FORMULAS)
def test_an_import_refuses_a_name_that_begins_a_formula(admin_client, name, fmt):  # noqa: F811
    before = snapshot()
    rows = [
        AGENCY_COLUMNS,
        ["mf", "МФ", "Министерство финансов", "ministry", 0, "", 1],
        ["evil", "", name, "organization", 0, "", 1],
    ]
    content = csv_file(rows) if fmt == "csv" else text_xlsx(rows)

    preview = upload(admin_client, "agencies.agency", content, fmt)

    assert [row.number for row in preview.context["result"].invalid_rows] == [2]
    assert "текст начинается со знака, с которого начинается формула" in text(preview)
    assert "confirm_form" not in preview.context
    assert snapshot() == before and not Agency.objects.filter(code="evil").exists()


def test_the_form_names_the_limits(admin_client):  # noqa: F811
    from tests.measures.test_admin_import import admin_url

    page = text(admin_client.get(admin_url("agencies.agency", "import")))
    assert "CSV или XLSX: не больше 5,0\xa0МБ и 5\xa0000 строк с данными." in page


def refused(preview, message):
    assert preview.status_code == 200
    assert message in text(preview), text(preview)
    assert "confirm_form" not in preview.context and "result" not in preview.context


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(admin_client):  # noqa: F811
    before = snapshot()
    row = ["mf", "МФ", "Министерство финансов", "ministry", "0", "", "1"]
    content = csv_file([AGENCY_COLUMNS, *[row] * 120_000])  # about 7 MB
    assert len(content) > 5 * 1024 * 1024

    refused(
        upload(admin_client, "agencies.agency", content),
        "Файл «import.csv» больше 5,0\xa0МБ",
    )
    assert snapshot() == before


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_file_over_the_row_limit_is_refused(admin_client, settings, fmt):  # noqa: F811
    settings.IMPORT_MAX_ROWS = 2
    before = snapshot()
    rows = [
        ["plan", "measure", "agency", "position"],
        *[["trafficking-2018-2020", "28", code, str(n)] for n, code in enumerate("abc", 3)],
    ]
    content = csv_file(rows) if fmt == "csv" else xlsx_file(rows)

    refused(
        upload(admin_client, "measures.responsibility", content, fmt),
        f"Файл «import.{fmt}»: слишком много строк (за один импорт — не больше 2).",
    )
    assert snapshot() == before

    settings.IMPORT_MAX_ROWS = 3  # the limit itself passes on to the preview
    assert "result" in upload(admin_client, "measures.responsibility", content, fmt).context


def test_an_xlsx_that_unpacks_beyond_the_size_limit_is_refused(admin_client):  # noqa: F811
    buffer = io.BytesIO(xlsx_file([["code", "name"], ["mf", "Министерство финансов"]]))
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/padding.xml", bytes(6 * 1024 * 1024))
    content = buffer.getvalue()
    assert len(content) < 1024 * 1024

    refused(
        upload(admin_client, "agencies.agency", content, "xlsx"),
        "Файл «import.xlsx» в распакованном виде больше 5,0\xa0МБ",
    )


def test_rows_are_counted_without_reading_the_file_into_memory(settings):
    """Three million rows, as in the attack: counting stops past the limit, in a fixed memory.
    (An upload that large is a temporary file, read in chunks.)"""
    settings.IMPORT_MAX_SIZE = 100 * 1024 * 1024  # the row limit's turn, not the size's
    upload_file = TemporaryUploadedFile("big.csv", "text/csv", 0, "utf-8")
    upload_file.write(b"code,name\n")
    for _ in range(300):
        upload_file.write(b"x,y\n" * 10_000)
    upload_file.size = upload_file.tell()

    tracemalloc.start()
    try:
        with pytest.raises(ValidationError, match="слишком много строк"):
            check_import_file(upload_file, SPREADSHEET_FORMATS[0]())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        upload_file.close()
    assert peak < 2 * 1024 * 1024, peak  # the file is 12 MB; parsing it whole takes hundreds


def test_nothing_is_written_after_a_refused_file(admin_client, settings):  # noqa: F811
    settings.IMPORT_MAX_ROWS = 1
    rows = [
        ["plan", "measure", "agency", "position"],
        ["trafficking-2018-2020", "28", "mz", "3"],
        ["trafficking-2018-2020", "28", "mon", "4"],
    ]
    upload(admin_client, "measures.responsibility", csv_file(rows))
    assert not Responsibility.objects.filter(measure__number="28", agency__code="mz").exists()
