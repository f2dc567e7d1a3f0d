"""The report's offline round trip: downloaded as a workbook, filled in Excel, uploaded,
checked cell by cell and previewed, then applied all or nothing through the same services."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from reporting import services
from reporting.models import IndicatorValue, ReportEntry
from reporting.workbooks import FIRST_ROW, HEADER_ROW, read_report_workbook, report_workbook
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def load(content):
    return openpyxl.load_workbook(io.BytesIO(content))


def xlsx(book) -> SimpleUploadedFile:
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("отчёт.xlsx", out.getvalue())


def row_of(sheet, number):
    return next(r[0].row for r in sheet.iter_rows(min_row=FIRST_ROW) if r[0].value == number)


def column_of(sheet, title):
    return next(c.column_letter for c in sheet[HEADER_ROW] if c.value == title)


def db_state(report):
    """Everything an upload could write."""
    entries = list(
        ReportEntry.objects.filter(report=report)
        .order_by("pk")
        .values_list("pk", "status", "narrative", "version")
    )
    values = list(
        IndicatorValue.objects.filter(entry__report=report)
        .order_by("pk")
        .values_list("pk", "number", "flag")
    )
    return entries, values, ReportEntry.history.filter(report_id=report.pk).count()


INSPECTIONS = "4: Проведено проверок по усыновлению, проверок"


@pytest.fixture
def filled(mon_report):
    """МОН's workbook, filled in: measure 4 done with 12 inspections, measure 12 in progress."""
    book = load(report_workbook(mon_report))
    sheet = book.worksheets[0]
    four, twelve = row_of(sheet, "4"), row_of(sheet, "12")
    sheet[f"C{four}"] = "Исполнено"
    sheet[f"D{four}"] = "Проведено 12 проверок."
    sheet[f"{column_of(sheet, INSPECTIONS)}{four}"] = 12
    sheet[f"C{twelve}"] = "Исполняется"
    sheet[f"D{twelve}"] = "Работа продолжается."
    return book


def test_the_workbook_has_a_row_per_entry_and_a_column_per_indicator(mon_report):
    sheet = load(report_workbook(mon_report)).worksheets[0]
    numbers = [r[0].value for r in sheet.iter_rows(min_row=FIRST_ROW)]
    assert numbers == [e.measure.number for e in mon_report.entries.order_by("measure__position")]
    headers = [c.value for c in sheet[HEADER_ROW]]
    assert headers[:4] == ["№", "Мероприятие", "Статус", "Информация о ходе исполнения"]
    assert INSPECTIONS in headers and headers[-2:] == ["entry", "version"]
    assert sheet.column_dimensions[column_of(sheet, "entry")].hidden
    assert sheet.protection.sheet
    lists = [v.formula1 for v in sheet.data_validations.dataValidation if v.type == "list"]
    assert '"Исполнено,Исполняется,Частично исполнено,Не исполнено"' in lists
    # A cell of an indicator the row's measure has not is locked.
    four = row_of(sheet, "4")
    assert not sheet[f"{column_of(sheet, INSPECTIONS)}{four}"].protection.locked
    assert sheet[f"{column_of(sheet, INSPECTIONS)}{row_of(sheet, '12')}"].protection.locked


def test_the_status_list_speaks_the_interface_language(mon_report):
    with translation.override("en"):
        sheet = load(report_workbook(mon_report)).worksheets[0]
    lists = [v.formula1 for v in sheet.data_validations.dataValidation if v.type == "list"]
    assert any("Executed" in f for f in lists)


def test_a_valid_upload_is_previewed_then_applied(client, mon_report, mon_officer, filled):
    client.force_login(mon_officer)
    url = reverse("report_upload", args=[mon_report.pk])
    before = db_state(mon_report)
    response = client.post(url, {"file": xlsx(filled)})
    assert response.status_code == 200
    preview = response.content.decode()
    assert "Мероприятие 4: статус: — → Исполнено" in preview
    assert "Проведено проверок по усыновлению: — → 12" in preview
    assert db_state(mon_report) == before  # the preview writes nothing
    response = client.post(url, {"apply": "1"})
    assert response.status_code == 302
    four = mon_report.entries.get(measure__number="4")
    assert (four.status, four.narrative, four.version) == ("done", "Проведено 12 проверок.", 2)
    assert {v.indicator.code: v.value for v in four.indicator_values.all()} == {"inspections": 12}
    assert mon_report.entries.get(measure__number="12").status == "in_progress"
    # Rows left as downloaded are not saved again.
    assert mon_report.entries.get(measure__number="14").version == 1


def test_statuses_in_kazakh_and_english_are_understood(mon_report, filled):
    sheet = filled.worksheets[0]
    with translation.override("kk"):
        kazakh = str(ReportEntry.Status.DONE.label)
    sheet[f"C{row_of(sheet, '4')}"] = kazakh
    with translation.override("en"):
        english = str(ReportEntry.Status.IN_PROGRESS.label)
    sheet[f"C{row_of(sheet, '12')}"] = english
    upload = read_report_workbook(mon_report, xlsx(filled))
    assert upload.errors == []
    assert {r.entry.measure.number: r.status for r in upload.rows} == {
        "4": "done",
        "12": "in_progress",
    }


def test_bad_cells_are_named_and_nothing_is_written(client, mon_report, mon_officer, filled):
    sheet = filled.worksheets[0]
    four, twelve = row_of(sheet, "4"), row_of(sheet, "12")
    column = column_of(sheet, INSPECTIONS)
    sheet[f"C{twelve}"] = "Почти готово"
    sheet[f"{column}{four}"] = -3
    violations = column_of(sheet, "4: Выявлено нарушений, нарушений")
    sheet[f"{violations}{four}"] = "много"
    sheet[f"A{FIRST_ROW + 20}"] = "3.9"
    client.force_login(mon_officer)
    before = db_state(mon_report)
    response = client.post(reverse("report_upload", args=[mon_report.pk]), {"file": xlsx(filled)})
    assert response.status_code == 400
    errors = response.context["upload"].errors
    assert any(e.startswith(f"C{twelve}: «Почти готово» — не статус") for e in errors)
    assert any(e.startswith(f"{column}{four}: «-3» — нужно целое неотрицательное") for e in errors)
    assert any(e.startswith(f"{violations}{four}: «много» — не число") for e in errors)
    assert any(e.startswith(f"A{FIRST_ROW + 20}: мероприятия «3.9» нет") for e in errors)
    assert db_state(mon_report) == before
    # Nothing waits to be applied either.
    client.post(reverse("report_upload", args=[mon_report.pk]), {"apply": "1"})
    assert db_state(mon_report) == before


def test_an_entry_changed_since_the_download_refuses_the_whole_upload(
    client, mon_report, mon_officer, filled
):
    client.force_login(mon_officer)
    url = reverse("report_upload", args=[mon_report.pk])
    client.post(url, {"file": xlsx(filled)})  # previewed
    colleague = UserFactory(username="mon_2", agency=mon_officer.agency, role="officer")
    four = mon_report.entries.get(measure__number="4")
    services.entry_update(
        entry=four, user=colleague, status="partial", narrative="Коллега.", version=four.version
    )
    before = db_state(mon_report)
    response = client.post(url, {"apply": "1"}, follow=True)
    assert "Мероприятие 4 изменено в портале после скачивания файла" in response.content.decode()
    assert db_state(mon_report) == before  # measure 12, unchanged in the portal, not written


def test_a_file_of_another_report_or_not_a_workbook_is_refused(mon_report, cycle_2019):
    other = services.report_open(
        cycle=cycle_2019, agency=mon_report.agency.__class__.objects.get(code="mid")
    )
    upload = read_report_workbook(mon_report, xlsx(load(report_workbook(other))))
    assert "другого отчёта" in upload.errors[0]
    assert read_report_workbook(mon_report, SimpleUploadedFile("a.xlsx", b"not a zip")).errors


def test_an_oversized_or_bomb_upload_is_refused_before_reading(
    client, mon_report, mon_officer, settings
):
    settings.IMPORT_MAX_SIZE = 1000
    client.force_login(mon_officer)
    big = SimpleUploadedFile("big.xlsx", b"x" * 2000)
    response = client.post(reverse("report_upload", args=[mon_report.pk]), {"file": big})
    assert response.status_code == 400
    assert "больше" in response.content.decode()


def test_only_the_agency_uploads_to_its_editable_report(client, mon_submitted, mon_officer):
    client.force_login(mon_officer)
    response = client.get(reverse("report_upload", args=[mon_submitted.pk]))
    assert response.status_code == 302  # submitted: not editable, back to the report
    assert client.get(reverse("report_workbook", args=[mon_submitted.pk])).status_code == 200


def test_another_agency_cannot_download_or_upload(client, mon_report, akimat_officer):
    client.force_login(akimat_officer)
    assert client.get(reverse("report_workbook", args=[mon_report.pk])).status_code == 404
    assert client.get(reverse("report_upload", args=[mon_report.pk])).status_code == 404


def test_a_narrative_pasted_from_word_downloads_with_its_line_break(mon_report, mon_officer):
    """A vertical tab (Word's line break) and other control characters the portal accepts in a
    narrative cannot be written to a workbook as they are: the download keeps the text, the tab
    becomes a line break, the rest is dropped."""
    entry = mon_report.entries.order_by("measure__position").first()
    services.entry_update(
        entry=entry,
        user=mon_officer,
        status="done",
        narrative="Первая строка\x0bвторая\x01",
        version=entry.version,
    )
    sheet = load(report_workbook(mon_report)).worksheets[0]
    narratives = [cell.value for row in sheet.iter_rows() for cell in row]
    assert "Первая строка\nвторая" in narratives
