"""The indicators on the summary's lines: added up across agencies, or not; yes/no counted; the
executors that gave no value named; carried by the summary page, its XLSX and DOCX, and one
column per indicator in the analysts' XLSX."""

import io

import docx
import openpyxl
import pytest
from django.urls import reverse

from agencies.models import Agency
from reporting import services
from reporting.models import Indicator, ReportEntry, SummaryIndicatorTotal
from reporting.summaries import exports
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HELPED = "Помощь кризисных центров получили, человек"


def officer(code):
    return UserFactory(
        username=f"{code}_officer", agency=Agency.objects.get(code=code), role="officer"
    )


def report_with(cycle, code, figures, *, submit=True):
    """The agency's report with every entry filled and `figures` (code → value) on measure 6."""
    user = officer(code)
    report = services.report_open(cycle=cycle, agency=user.agency)
    for entry in report.entries.select_related("measure"):
        indicators = {i.code: i.pk for i in entry.measure.indicators.all()}
        given = figures if entry.measure.number == "6" else {}
        services.entry_update(
            entry=entry,
            user=user,
            status=ReportEntry.Status.DONE,
            narrative=f"{code} сделал.",
            version=entry.version,
            figures={indicators[c]: v for c, v in given.items()},
        )
    if submit:
        services.report_submit(report=report, user=user)
    return report


@pytest.fixture
def summary(cycle_2019, mvd_secretariat):
    """On measure 6 (the 17 akimats): Almaty and Astana submitted their figures, Shymkent has
    figures in a draft (which does not count), the other 14 gave nothing. Funding is marked as
    not to be added up."""
    Indicator.objects.filter(measure__number="6", code="funding").update(aggregation="none")
    report_with(cycle_2019, "akimat-almaty", {"helped": 40, "funding": 1200, "centre": True})
    report_with(cycle_2019, "akimat-astana", {"helped": 25, "centre": False})
    report_with(cycle_2019, "akimat-shymkent", {"helped": 1000, "centre": True}, submit=False)
    return services.summary_generate(cycle=cycle_2019, user=mvd_secretariat)


def totals(summary, number="6"):
    return {
        t.indicator.code: t
        for t in SummaryIndicatorTotal.objects.filter(
            item__summary=summary, item__measure__number=number
        ).select_related("indicator")
    }


def label(code):
    agency = Agency.objects.get(code=code)
    return agency.abbreviation or agency.name


def test_a_sum_adds_up_the_counted_reports_and_names_who_gave_none(summary):
    helped = totals(summary)["helped"]
    assert (helped.total, helped.answered, helped.expected) == (65, 2, 17)
    missing = helped.missing.split(", ")
    assert len(missing) == 15
    assert label("akimat-shymkent") in missing  # a draft does not count
    assert label("akimat-almaty") not in missing
    assert helped.text.startswith(f"{HELPED}: 65 (дали значение 2 из 17; нет значения: ")


def test_a_yes_no_counts_the_yes_of_those_who_answered(summary):
    centre = totals(summary)["centre"]
    assert (centre.total, centre.answered) == (1, 2)
    assert "«да» — 1 из 2" in centre.text


def test_an_indicator_not_added_up_is_listed_by_agency(summary):
    funding = totals(summary)["funding"]
    assert funding.total is None and funding.answered == 1
    assert funding.by_agency == f"{label('akimat-almaty')}: 1\u00a0200"
    assert "не суммируется" in funding.text and "1\u00a0200" in funding.text


def test_a_measure_nobody_gave_figures_for_says_so(summary):
    sites = totals(summary, "3.7")["sites"]
    assert sites.total == 0 and sites.answered == 0
    assert "нет значений" in sites.text


def test_generating_again_replaces_the_totals(summary, cycle_2019, mvd_secretariat):
    before = SummaryIndicatorTotal.objects.filter(item__summary=summary).count()
    services.summary_generate(cycle=cycle_2019, user=mvd_secretariat)
    assert SummaryIndicatorTotal.objects.filter(item__summary=summary).count() == before


def test_the_summary_page_shows_the_totals(client, summary, mvd_secretariat):
    client.force_login(mvd_secretariat)
    content = client.get(reverse("summary_detail", args=[summary.cycle_id])).content.decode()
    assert f"{HELPED}: 65" in content


def test_the_summary_xlsx_and_docx_carry_the_totals(summary):
    sheet = openpyxl.load_workbook(io.BytesIO(exports.summary_xlsx(summary)))["Сводная информация"]
    header = next(row for row in sheet.iter_rows() if row[0].value == "№ п/п")
    assert header[7].value == "Показатели (итого по ведомствам)"
    row = next(r for r in sheet.iter_rows() if r[0].value == "6")
    assert f"{HELPED}: 65" in row[7].value and "«да» — 1 из 2" in row[7].value

    table = docx.Document(io.BytesIO(exports.summary_docx(summary))).tables[0]
    cells = next(r.cells for r in table.rows if r.cells[0].text == "6")
    paragraphs = [p.text for p in cells[7].paragraphs]
    assert any(p.startswith(f"{HELPED}: 65") for p in paragraphs)
    assert len(paragraphs) == 3  # one per indicator of measure 6


def test_the_analysts_xlsx_has_a_column_per_indicator(summary):
    sheet = openpyxl.load_workbook(io.BytesIO(exports.cycle_entries_xlsx(summary.cycle))).active
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    plan_indicators = Indicator.objects.filter(measure__plan=summary.cycle.plan).count()
    assert header.count(f"6: {HELPED}") == 1
    assert len(header) == 14 + plan_indicators
    helped, centre = (
        header.index(f"6: {HELPED}"),
        header.index("6: В регионе работает кризисный центр"),
    )
    rows = {(r[1].value, r[6].value): r for r in sheet.iter_rows(min_row=2) if r[6].value == "6"}
    assert rows[("akimat-almaty", "6")][helped].value == 40
    assert rows[("akimat-almaty", "6")][centre].value == "да"
    assert rows[("akimat-astana", "6")][centre].value == "нет"
    assert rows[("akimat-shymkent", "6")][helped].value == 1000  # every state, as before
