"""Import and export of agencies, measures and responsibilities through the admin.

An import is previewed (a dry run), then confirmed; a file with any bad row shows the row and
the reason, offers no confirmation and writes nothing.
"""

import csv
import html
import io

import openpyxl
import pytest
import tablib
from django.contrib.messages import get_messages
from django.urls import reverse

from agencies.models import Agency
from agencies.resources import AgencyResource
from agencies.spreadsheets import SPREADSHEET_FORMATS
from measures.models import Measure, Responsibility
from measures.resources import MeasureResource, ResponsibilityResource
from tests import factories
from tests.conftest import PLAN_CODE

FORMATS = {format().get_extension(): format for format in SPREADSHEET_FORMATS}
RESOURCES = {
    "agencies.agency": AgencyResource,
    "measures.measure": MeasureResource,
    "measures.responsibility": ResponsibilityResource,
}

RESPONSIBILITY_COLUMNS = ["plan", "measure", "agency", "position", "first_year", "last_year"]
MEASURE_COLUMNS = [
    "plan",
    "section",
    "parent",
    "number",
    "position",
    "title",
    "completion_form",
    "deadline_text",
    "first_year",
    "last_year",
]


def responsibility_row(measure, agency, position, first="", last="", plan=PLAN_CODE):
    return [plan, measure, agency, position, first, last]


def measure_row(
    number, position, section="1", parent="", first="2018", last="2020", plan=PLAN_CODE
):
    title = f"Мероприятие {number}"
    return [plan, section, parent, number, position, title, "информация", "ежегодно", first, last]


@pytest.fixture
def admin_client(client, admin_user, plan):
    client.force_login(admin_user)
    return client


def admin_url(model, view):
    return reverse("admin:{}_{}_{}".format(*model.split("."), view))


def csv_file(rows):
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


def xlsx_file(rows):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client, model, content, fmt="csv"):
    """The first step of an import: the file is read and previewed, nothing is written."""
    import_file = io.BytesIO(content)
    import_file.name = f"import.{fmt}"
    return client.post(
        admin_url(model, "import"),
        {
            "resource": "0",
            "format": str(SPREADSHEET_FORMATS.index(FORMATS[fmt])),
            "import_file": import_file,
        },
    )


def confirm(client, model, preview):
    """The second step: the previewed file is imported."""
    return client.post(admin_url(model, "process_import"), preview.context["confirm_form"].initial)


def text(response):
    return html.unescape(response.content.decode())


def export_file(client, model, fmt):
    """The admin's export of the whole table, every column selected."""
    resource = RESOURCES[model]
    selected = {f"{resource.__name__.lower()}_{name}": "on" for name in resource().fields}
    response = client.post(
        admin_url(model, "export"),
        {"resource": "0", "format": str(SPREADSHEET_FORMATS.index(FORMATS[fmt])), **selected},
    )
    assert response.status_code == 200
    return response.content


def export(client, model, fmt):
    """The admin's export read back as a list of dicts."""
    content = export_file(client, model, fmt)
    if fmt == "csv":
        return list(csv.DictReader(io.StringIO(content.decode())))
    rows = openpyxl.load_workbook(io.BytesIO(content)).active.values
    headers = next(rows)
    return [dict(zip(headers, row, strict=True)) for row in rows]


def years(row):
    """An exported row's years, whether the file holds them as text (CSV) or numbers (XLSX)."""
    return str(row["first_year"]), str(row["last_year"])


def table_dump(model):
    """Every row of the table, as the resource exports it."""
    return RESOURCES[model]().export().dict


# The import flow


def test_agency_csv_is_previewed_then_written_on_confirm(admin_client):
    content = csv_file(
        [
            ["code", "abbreviation", "name", "kind", "by_agreement", "parent", "is_active"],
            ["migration-committee", "КМ", "Комитет миграции", "state_body", 0, "mvd", 1],
            ["mf", "МФ", "Министерство финансов (новое)", "ministry", 0, "", 1],
        ]
    )

    preview = upload(admin_client, "agencies.agency", content)

    assert preview.status_code == 200
    assert "confirm_form" in preview.context
    assert [row.import_type for row in preview.context["result"].valid_rows()] == ["new", "update"]
    assert "Подтвердить импорт" in text(preview)
    assert not Agency.objects.filter(code="migration-committee").exists()  # a dry run

    response = confirm(admin_client, "agencies.agency", preview)

    assert response.status_code == 302
    created = Agency.objects.get(code="migration-committee")
    assert (created.kind, created.parent.code, created.by_agreement) == ("state_body", "mvd", False)
    assert Agency.objects.get(code="mf").name.endswith("(новое)")


def test_measure_xlsx_resolves_section_and_parent_within_its_plan(admin_client):
    # Another plan with a section 1 and a measure "3": the file's plan decides which is meant.
    other = factories.MeasureFactory(number="3", section=factories.SectionFactory(number=1))
    content = xlsx_file(
        [MEASURE_COLUMNS, measure_row("3.8", 100, section=1, parent="3", first=2019)]
    )

    preview = upload(admin_client, "measures.measure", content, fmt="xlsx")

    assert "confirm_form" in preview.context, text(preview)
    assert confirm(admin_client, "measures.measure", preview).status_code == 302
    measure = Measure.objects.get(plan__code=PLAN_CODE, number="3.8")
    assert measure.parent == Measure.objects.get(plan__code=PLAN_CODE, number="3")
    assert measure.section.plan.code == PLAN_CODE
    assert measure.section != other.section
    assert (measure.first_year, measure.last_year) == (2019, 2020)


def test_responsibility_xlsx_adds_an_executor(admin_client):
    content = xlsx_file([RESPONSIBILITY_COLUMNS, responsibility_row("28", "mz", 3, None, None)])

    preview = upload(admin_client, "measures.responsibility", content, fmt="xlsx")
    confirm(admin_client, "measures.responsibility", preview)

    executors = Responsibility.objects.filter(measure__plan__code=PLAN_CODE, measure__number="28")
    assert [r.agency.code for r in executors] == ["mvd", "mtszn", "mz"]


# Bad files: the row and the reason are shown, nothing can be confirmed, nothing is written

GOOD_RESPONSIBILITY = responsibility_row("28", "mz", "3")
GOOD_MEASURE = measure_row("3.8", "100", parent="3", first="2019")


def snapshot():
    """The row counts and a sample row of each table an import may write."""
    mvd_on_1 = Responsibility.objects.get(
        measure__plan__code=PLAN_CODE, measure__number="1", agency__code="mvd"
    )
    measure_28 = Measure.objects.get(plan__code=PLAN_CODE, number="28")
    return {
        "counts": (Agency.objects.count(), Measure.objects.count(), Responsibility.objects.count()),
        "mvd on 1": (mvd_on_1.position, mvd_on_1.first_year, mvd_on_1.last_year),
        "28": (measure_28.title, measure_28.first_year, measure_28.last_year),
        "mf": Agency.objects.values_list("name", "by_agreement").get(code="mf"),
    }


@pytest.mark.parametrize(
    ("model", "rows", "reason"),
    [
        pytest.param(
            "measures.responsibility",
            [RESPONSIBILITY_COLUMNS, GOOD_RESPONSIBILITY, responsibility_row("28", "xyz", "4")],
            'Ведомство с кодом "xyz" не найдено.',
            id="unknown agency",
        ),
        pytest.param(
            "measures.responsibility",
            [RESPONSIBILITY_COLUMNS, GOOD_RESPONSIBILITY, responsibility_row("30", "mon", "1")],
            f'Мероприятие "30" не найдено в плане "{PLAN_CODE}".',
            id="unknown measure",
        ),
        pytest.param(
            "measures.responsibility",
            [
                RESPONSIBILITY_COLUMNS,
                GOOD_RESPONSIBILITY,
                responsibility_row("1", "mvd", "1", "2019", "2018.5"),
            ],
            "«2018.5» — не целое число.",
            id="non-integer year",
        ),
        pytest.param(
            "measures.responsibility",
            [
                RESPONSIBILITY_COLUMNS,
                GOOD_RESPONSIBILITY,
                responsibility_row("1", "mvd", "1", "2020", "2018"),
            ],
            "Последний год раньше первого.",
            id="first year after last",
        ),
        pytest.param(
            "measures.measure",
            [
                MEASURE_COLUMNS,
                GOOD_MEASURE,
                measure_row("28", "35", section="6", first="1800", last="2018"),
            ],
            "Год 1800 вне лет плана (2018–2020).",
            id="impossible year",
        ),
        pytest.param(
            "measures.measure",
            [MEASURE_COLUMNS, GOOD_MEASURE, measure_row("28", "35", section="6", last="3000")],
            "Убедитесь, что это значение меньше либо равно 2100.",
            id="year out of range",
        ),
        pytest.param(
            "measures.measure",
            [MEASURE_COLUMNS, GOOD_MEASURE, measure_row("1", "1", plan="no-such-plan")],
            'План с кодом "no-such-plan" не найден.',
            id="unknown plan",
        ),
        pytest.param(
            "measures.measure",
            [MEASURE_COLUMNS, GOOD_MEASURE, measure_row("30", "101", section="9")],
            f'Раздел "9" не найден в плане "{PLAN_CODE}".',
            id="unknown section",
        ),
        pytest.param(
            "agencies.agency",
            [
                ["code", "name", "kind", "by_agreement"],
                ["mf", "Министерство финансов", "ministry", "0"],
                ["gp", "Генеральная прокуратура", "state_body", "да"],
            ],
            "«да» — ожидается 1 или 0.",
            id="not a boolean",
        ),
    ],
)
def test_bad_row_is_shown_with_its_reason_and_nothing_is_written(admin_client, model, rows, reason):
    before = snapshot()

    preview = upload(admin_client, model, csv_file(rows))

    assert preview.status_code == 200
    assert [row.number for row in preview.context["result"].invalid_rows] == [2]
    assert reason in text(preview)
    assert "confirm_form" not in preview.context
    assert "process_import" not in text(preview)
    assert snapshot() == before


def test_missing_column_is_named_and_nothing_is_written(admin_client):
    before = snapshot()
    rows = [["plan", "measure", "position"], [PLAN_CODE, "28", "3"]]

    preview = upload(admin_client, "measures.responsibility", csv_file(rows))

    assert "В файле нет обязательных столбцов: agency." in text(preview)
    assert "confirm_form" not in preview.context
    assert snapshot() == before


def test_confirm_writes_nothing_if_a_row_became_invalid_after_the_preview(admin_client):
    rows = [RESPONSIBILITY_COLUMNS, GOOD_RESPONSIBILITY, responsibility_row("28", "mon", "4")]
    preview = upload(admin_client, "measures.responsibility", csv_file(rows))
    assert "confirm_form" in preview.context
    # Meanwhile someone puts another executor in position 4: the file's second row now clashes.
    Responsibility.objects.create(
        measure=Measure.objects.get(plan__code=PLAN_CODE, number="28"),
        agency=Agency.objects.get(code="mid"),
        position=4,
    )

    response = confirm(admin_client, "measures.responsibility", preview)

    assert not Responsibility.objects.filter(measure__number="28", agency__code="mz").exists()
    assert response.url == admin_url("measures.responsibility", "import")
    (message,) = get_messages(response.wsgi_request)
    assert message.level_tag == "error"
    assert str(message).startswith("Ничего не импортировано")


@pytest.mark.parametrize(
    ("resource_class", "columns", "rows"),
    [
        pytest.param(
            ResponsibilityResource,
            RESPONSIBILITY_COLUMNS,
            [
                GOOD_RESPONSIBILITY,
                responsibility_row("28", "mon", "4", "2018", "2017"),
                responsibility_row("28", "mid", "5"),
            ],
            id="responsibilities",
        ),
        pytest.param(
            MeasureResource,
            MEASURE_COLUMNS,
            [
                GOOD_MEASURE,
                measure_row("30", "101", last="2031"),
                measure_row("31", "102"),
            ],
            id="measures",
        ),
    ],
)
def test_resource_writes_nothing_when_one_row_is_bad(plan, resource_class, columns, rows):
    before = snapshot()

    result = resource_class().import_data(
        tablib.Dataset(*rows, headers=columns), dry_run=False, raise_errors=False
    )

    assert [row.number for row in result.invalid_rows] == [2]
    assert snapshot() == before


# Export, and re-importing an export


@pytest.mark.parametrize(("fmt", "yes", "no"), [("csv", "1", "0"), ("xlsx", True, False)])
def test_responsibility_export(admin_client, fmt, yes, no):
    rows = {
        (row["measure"], row["agency"]): row
        for row in export(admin_client, "measures.responsibility", fmt)
    }

    assert len(rows) == Responsibility.objects.count()
    assert rows["3.4", "akimat-almaty"]["by_agreement"] == no
    assert rows["3.4", "gp"]["by_agreement"] == yes
    assert rows["3.4", "gp"]["plan"] == PLAN_CODE
    assert years(rows["1", "mtszn"]) == ("2020", "2021")
    assert not [number for number, _ in rows if number == "3"]  # a heading has no executors


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_measure_export(admin_client, fmt):
    rows = {row["number"]: row for row in export(admin_client, "measures.measure", fmt)}

    assert len(rows) == 36
    assert (rows["3.4"]["parent"], str(rows["3.4"]["section"])) == ("3", "1")
    assert rows["3"]["parent"] in ("", None)
    assert years(rows["28"]) == ("2018", "2018")
    assert years(rows["29"]) == ("2020", "2020")


@pytest.mark.parametrize(("fmt", "yes"), [("csv", "1"), ("xlsx", True)])
def test_agency_export_lists_parents_first(admin_client, fmt, yes):
    rows = export(admin_client, "agencies.agency", fmt)
    codes = [row["code"] for row in rows]
    by_code = dict(zip(codes, rows, strict=True))

    assert by_code["gp"]["by_agreement"] == yes
    assert by_code["karaganda-academy-mvd"]["parent"] == "mvd"
    assert codes.index("mvd") < codes.index("karaganda-academy-mvd")
    assert codes.index("gp") < codes.index("law-enforcement-academy-gp")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("model", RESOURCES)
def test_reimporting_an_export_changes_nothing(admin_client, model, fmt):
    exported = export_file(admin_client, model, fmt)
    before = table_dump(model)

    preview = upload(admin_client, model, exported, fmt)

    assert "confirm_form" in preview.context, text(preview)
    assert {row.import_type for row in preview.context["result"].valid_rows()} == {"skip"}
    assert confirm(admin_client, model, preview).status_code == 302
    assert table_dump(model) == before
