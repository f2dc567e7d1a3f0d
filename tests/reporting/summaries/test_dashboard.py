import datetime
import json
import re
from collections import Counter
from html.parser import HTMLParser

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from agencies.models import Agency
from measures.models import Measure
from reporting import services
from reporting.models import AnnualReport, ReportEntry
from reporting.summaries.dashboard import agency_label
from tests.factories import (
    AgencyFactory,
    MeasureFactory,
    ReportingCycleFactory,
    ResponsibilityFactory,
    UserFactory,
)
from tests.reporting.conftest import fill

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
# The 2019 deadline is 20 January 2020, to the end of the day in Almaty (UTC+6 then).
ON_TIME = datetime.datetime(2020, 1, 20, 17, 59, 59, tzinfo=UTC)  # 23:59:59 in Almaty
LATE = datetime.datetime(2020, 1, 20, 18, 0, tzinfo=UTC)  # 00:00 on 21 January in Almaty
EXPECTED_2019 = 35  # every executor named for 2019: 18 central bodies and 17 akimats


def dashboard_url(cycle, query=""):
    return reverse("cycle_dashboard", args=[cycle.pk]) + query


def officer_of(code):
    return UserFactory(username=f"{code}.officer", agency=Agency.objects.get(code=code))


@pytest.fixture
def every_state(cycle_2019, mon_report, mon_officer, akimat_officer, mvd_secretariat):
    """2019 with a report in each state: МОН accepted (on time), the Almaty akimat submitted
    late, МЗ returned (submitted on time), МИД a draft with nothing filled in; the 31 other
    expected agencies have not started."""
    mz_officer = officer_of("mz")
    mz_report = services.report_open(cycle=cycle_2019, agency=mz_officer.agency)
    almaty_report = services.report_open(cycle=cycle_2019, agency=akimat_officer.agency)
    fill(mon_report, mon_officer)
    fill(almaty_report, akimat_officer, status=ReportEntry.Status.IN_PROGRESS)
    fill(mz_report, mz_officer, status=ReportEntry.Status.PARTIAL)
    with time_machine.travel(ON_TIME, tick=False):
        services.report_submit(report=mon_report, user=mon_officer)
        services.report_submit(report=mz_report, user=mz_officer)
    with time_machine.travel(LATE, tick=False):
        services.report_submit(report=almaty_report, user=akimat_officer)
    services.report_accept(report=mon_report, user=mvd_secretariat)
    services.report_return(report=mz_report, user=mvd_secretariat, comment="Уточните цифры.")
    services.report_open(cycle=cycle_2019, agency=Agency.objects.get(code="mid"))
    return cycle_2019


def shares(response, name):
    return {s.key: (s.count, s.percent) for s in getattr(response.context["board"], name)}


class MatrixParser(HTMLParser):
    """The measures × agencies matrix as {(measure number, agency's full name): classes}."""

    def __init__(self):
        super().__init__()
        self.agencies, self.cells = [], {}
        self.in_matrix = self.in_number = False
        self.measure, self.column = None, 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if tag == "table" and "dash-matrix" in classes:
            self.in_matrix = True
        if not self.in_matrix:
            return
        if tag == "th" and "dash-agency" in classes:
            self.agencies.append(attrs["title"])
        elif tag == "th" and "dash-measure" in classes:
            self.measure, self.column = None, 0
        elif tag == "a" and self.measure is None:
            self.in_number = True
        elif tag == "td":
            self.cells[self.measure, self.agencies[self.column]] = set(classes)
            self.column += 1

    def handle_endtag(self, tag):
        if tag == "table":
            self.in_matrix = False
        self.in_number = False

    def handle_data(self, data):
        if self.in_number:
            self.measure = data.strip()


def matrix_of(response):
    parser = MatrixParser()
    parser.feed(response.content.decode())
    return parser


def chart_data(response):
    match = re.search(
        r'<script id="dashboard-chart-data" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    return json.loads(match[1])


# Who may see it


def test_it_checks_who_may_read(
    client,
    cycle_2019,
    mon_officer,
    akimat_officer,
    observer,
    mvd_secretariat,
    mtszn_secretariat,
    admin_user,
):
    for officer in (mon_officer, akimat_officer):
        client.force_login(officer)
        assert client.get(dashboard_url(cycle_2019)).status_code == 403
    for reader in (observer, mvd_secretariat, mtszn_secretariat, admin_user):
        client.force_login(reader)
        assert client.get(dashboard_url(cycle_2019)).status_code == 200


def test_anonymous_users_are_sent_to_log_in(client, cycle_2019):
    response = client.get(dashboard_url(cycle_2019))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")


def test_an_unknown_cycle_is_a_404(client, observer):
    client.force_login(observer)
    assert client.get(reverse("cycle_dashboard", args=[987654])).status_code == 404


# Completeness and timeliness


def test_completeness_counts_every_expected_agency_by_its_reports_state(
    client, observer, every_state
):
    client.force_login(observer)
    response = client.get(dashboard_url(every_state))
    board = response.context["board"]
    assert board.expected_count == EXPECTED_2019
    assert shares(response, "completeness") == {
        "accepted": (1, 3),
        "submitted": (1, 3),
        "returned": (1, 3),
        "draft": (1, 3),
        "not_started": (31, 89),
    }
    # "Представлено" is submitted or accepted: a returned report is back with its agency.
    assert (board.presented.count, board.presented.percent) == (2, 6)
    content = response.content.decode()
    assert re.search(r'data-share="presented">.*?<span[^>]*>2</span>.*?из 35', content, re.S)
    assert re.search(r'data-share="not_started">.*?>31</td>.*?89&nbsp;%', content, re.S)


def test_timeliness_counts_a_submission_at_local_midnight_as_late(client, observer, every_state):
    client.force_login(observer)
    response = client.get(dashboard_url(every_state))
    # МОН and МЗ at 23:59:59 in Almaty (МЗ's report was returned since: it is counted apart);
    # the Almaty akimat at 00:00 the next day; 32 agencies have never submitted.
    assert shares(response, "timeliness") == {
        "on_time": (1, 3),
        "late": (1, 3),
        "returned": (1, 3),
        "missing": (32, 91),
    }
    # The two cards agree: what is presented is on time or late; the rest is the same whole.
    board = response.context["board"]
    on_time, late, returned, missing = (s.count for s in board.timeliness)
    assert on_time + late == board.presented.count
    completeness = {s.key: s.count for s in board.completeness}
    assert returned == completeness["returned"]
    assert missing == completeness["draft"] + completeness["not_started"]
    rows = {row.agency.code: row for row in response.context["rows"]}
    assert rows["akimat-almaty"].is_late and not rows["mon"].is_late and not rows["mz"].is_late
    assert rows["mid"].state == "draft" and not rows["mid"].has_submitted


@pytest.mark.parametrize(
    ("moment", "submission", "summary"),
    [
        # 10 January, 18:00 in Almaty.
        (datetime.datetime(2020, 1, 10, 12, tzinfo=UTC), "дней до срока: 10", "дней до срока: 31"),
        # 20 January, 23:59 in Almaty: still the deadline day.
        (datetime.datetime(2020, 1, 20, 17, 59, tzinfo=UTC), "срок — сегодня", "дней до срока: 21"),
        # 00:00 on 21 January in Almaty, while it is still the 20th in UTC.
        (LATE, "просрочено, дней: 1", "дней до срока: 20"),
        (
            datetime.datetime(2020, 2, 15, 6, tzinfo=UTC),
            "просрочено, дней: 26",
            "просрочено, дней: 5",
        ),
    ],
)
def test_days_left_count_calendar_days_in_almaty(
    client, observer, cycle_2019, moment, submission, summary
):
    client.force_login(observer)
    with time_machine.travel(moment, tick=False):
        content = client.get(dashboard_url(cycle_2019)).content.decode()
    assert re.search(
        rf'data-deadline="submission">.*?dash-days[^>]*>\s*{submission}[^<]*</p>', content, re.S
    )
    assert re.search(
        rf'data-deadline="summary">.*?dash-days[^>]*>\s*{summary}[^<]*</p>', content, re.S
    )


def test_a_deadline_met_by_everyone_is_not_overdue(client, observer):
    """A cycle whose only expected agency submitted: past the deadline nothing is overdue."""
    cycle = ReportingCycleFactory(year=2019)
    measure = MeasureFactory(plan=cycle.plan, section__plan=cycle.plan)
    agency = ResponsibilityFactory(measure=measure).agency
    officer = UserFactory(agency=agency)
    report = fill(services.report_open(cycle=cycle, agency=agency), officer)
    with time_machine.travel(ON_TIME, tick=False):
        services.report_submit(report=report, user=officer)
    client.force_login(observer)
    with time_machine.travel(datetime.datetime(2020, 1, 25, 6, tzinfo=UTC), tick=False):
        content = client.get(dashboard_url(cycle)).content.decode()
    assert "срок прошёл, дней назад: 5" in content
    assert "просрочено, дней: 16" not in content
    assert "дней до срока: 16" in content  # the summary is due on 10 February


# The agencies' table


@pytest.mark.parametrize(
    ("query", "codes"),
    [
        ("?state=accepted", {"mon"}),
        ("?state=returned", {"mz"}),
        ("?state=draft", {"mid"}),
        ("?late=on", {"akimat-almaty"}),
        ("?state=submitted&kind=akimat", {"akimat-almaty"}),
        ("?state=submitted&kind=ministry", set()),
        ("?kind=ministry&state=accepted", {"mon"}),
    ],
)
def test_the_table_filters_by_state_kind_and_lateness(client, observer, every_state, query, codes):
    client.force_login(observer)
    response = client.get(dashboard_url(every_state, query))
    assert {row.agency.code for row in response.context["rows"]} == codes
    rendered = set(re.findall(r'<tr data-agency="([^"]+)"', response.content.decode()))
    assert rendered == codes
    # The counts above the table are the whole cycle's, whatever the filter.
    assert response.context["board"].presented.count == 2


def test_a_report_resubmitted_after_the_deadline_stays_on_time(client, observer, every_state):
    """Timeliness is that of the first submission; the table shows both times."""
    mz_report = AnnualReport.objects.get(cycle=every_state, agency__code="mz")
    with time_machine.travel(datetime.datetime(2020, 1, 27, 4, 30, tzinfo=UTC), tick=False):
        services.report_submit(report=mz_report, user=mz_report.agency.users.get())
    client.force_login(observer)
    response = client.get(dashboard_url(every_state))
    assert shares(response, "timeliness")["on_time"] == (2, 6)  # МЗ presented again
    mz_row = re.search(r'<tr data-agency="mz">(.*?)</tr>', response.content.decode(), re.S)[1]
    assert "27 января 2020 10:30" in mz_row and "впервые 20 января 2020 23:59" in mz_row
    assert "в срок" in mz_row and "с опозданием" not in mz_row


def test_not_started_is_a_state_to_filter_by(client, observer, every_state):
    client.force_login(observer)
    response = client.get(dashboard_url(every_state, "?state=not_started&kind=akimat"))
    rows = response.context["rows"]
    assert len(rows) == 16  # the 17 akimats but Almaty's
    assert all(row.report is None for row in rows)
    assert "Показано ведомств: 16 из 35" in response.content.decode()


def test_an_unknown_filter_value_shows_everything_and_says_why(client, observer, every_state):
    client.force_login(observer)
    response = client.get(dashboard_url(every_state, "?state=lost"))
    assert len(response.context["rows"]) == EXPECTED_2019
    assert response.context["form"].errors["state"]


def test_the_table_links_each_report_and_shows_its_last_activity(
    client, observer, every_state, mon_officer
):
    mon_report = AnnualReport.objects.get(cycle=every_state, agency__code="mon")
    mid_report = AnnualReport.objects.get(cycle=every_state, agency__code="mid")
    mid_officer = officer_of("mid")
    later = (timezone.now() + datetime.timedelta(days=3)).replace(second=0, microsecond=0)
    with time_machine.travel(later, tick=False):
        entry = mid_report.entries.order_by("measure__position").first()
        services.entry_update(
            entry=entry, user=mid_officer, status="done", narrative="Сделано.", version=1
        )
    client.force_login(observer)
    response = client.get(dashboard_url(every_state))
    rows = {row.agency.code: row for row in response.context["rows"]}
    # The latest of the report's own change and its entries' changes.
    assert rows["mid"].last_activity == later
    mon_report.refresh_from_db()
    assert rows["mon"].last_activity == mon_report.updated_at
    content = response.content.decode()
    assert f'href="{reverse("report_detail", args=[mon_report.pk])}"' in content
    assert f'href="{reverse("report_detail", args=[mid_report.pk])}"' in content
    assert date_format(timezone.localtime(later), "j E Y H:i") in content  # in Almaty time
    assert rows["mvd"].report is None
    mvd_row = re.search(r'<tr data-agency="mvd">(.*?)</tr>', content, re.S)[1]
    assert "href" not in mvd_row and "Не начат" in mvd_row


def test_reports_of_agencies_not_expected_are_shown_apart(client, observer, cycle_2019):
    stranger = AgencyFactory(name="Ведомство без мероприятий")
    report = services.report_open(cycle=cycle_2019, agency=stranger)
    client.force_login(observer)
    response = client.get(dashboard_url(cycle_2019))
    board = response.context["board"]
    assert board.other_reports == [report]
    assert stranger not in [row.agency for row in board.rows]
    assert board.expected_count == EXPECTED_2019
    assert reverse("report_detail", args=[report.pk]) in response.content.decode()


# The measures × agencies matrix


def test_matrix_cells_show_each_entrys_status(client, observer, every_state):
    client.force_login(observer)
    matrix = matrix_of(client.get(dashboard_url(every_state)))
    name = {a.code: a.name for a in Agency.objects.all()}
    cell = matrix.cells
    assert "dash-done" in cell["4", name["mon"]]
    assert "dash-not_responsible" in cell["1", name["mon"]]  # МВД and the akimats answer for 1
    assert "dash-in_progress" in cell["1", name["akimat-almaty"]]
    assert "dash-partial" in cell["17", name["mz"]]  # returned: its entries still show
    assert "dash-empty" in cell["4", name["mid"]]  # a draft with nothing filled in
    assert "dash-no_report" in cell["1", name["mvd"]]
    # A row for each measure reportable in 2019, a column for each expected agency.
    assert len(matrix.agencies) == EXPECTED_2019
    assert len({measure for measure, _agency in cell}) == 33
    assert "3" not in {measure for measure, _agency in cell}  # a heading: nobody reports on it


def test_a_voluntary_entry_shows_where_the_agency_is_not_named(
    client, observer, mon_report, mon_officer
):
    measure = Measure.objects.get(plan=mon_report.cycle.plan, number="9")
    entry = services.entry_add_voluntary(report=mon_report, measure=measure, user=mon_officer)
    services.entry_update(
        entry=entry, user=mon_officer, status="not_done", narrative="Не успели.", version=1
    )
    client.force_login(observer)
    matrix = matrix_of(client.get(dashboard_url(mon_report.cycle)))
    mon = Agency.objects.get(code="mon").name
    assert {"dash-not_done", "dash-voluntary"} <= matrix.cells["9", mon]
    assert "dash-not_responsible" in matrix.cells["10", mon]


def test_column_labels_are_short_and_name_the_agency(cycle_2019):
    agencies = {a.code: a for a in Agency.objects.all()}
    assert agency_label(agencies["mon"]) == "МОН"
    assert agency_label(agencies["akimat-astana"]) == "г. Астаны"
    assert agency_label(agencies["akimat-akmola"]) == "Акмолинской обл."
    assert agency_label(agencies["akimat-east-kazakhstan"]) == "ВКО"
    assert agency_label(agencies["akimat-north-kazakhstan"]) == "СКО"
    labels = [agency_label(a) for a in agencies.values()]
    assert len(set(labels)) == len(labels)
    assert max(len(label) for label in labels) <= 19


# The chart of statuses by section


def test_the_charts_data_are_the_entries_counts_by_section(client, observer, every_state):
    client.force_login(observer)
    response = client.get(dashboard_url(every_state))
    data = chart_data(response)
    assert data["labels"] == [f"Раздел {n}" for n in range(1, 7)]  # section 7 starts in 2020
    assert [d["key"] for d in data["datasets"]] == [
        "done",
        "in_progress",
        "partial",
        "not_done",
        "empty",
    ]
    expected = Counter(
        (section, status or "empty")
        for section, status in ReportEntry.objects.filter(report__cycle=every_state).values_list(
            "measure__section__number", "status"
        )
    )
    charted = Counter()
    for dataset in data["datasets"]:
        for index, count in enumerate(dataset["data"]):
            charted[index + 1, dataset["key"]] += count
    assert +charted == +expected
    # МОН's six entries are all done: 3.4 and 4 in section 1, 12 in 3, 14, 17 and 18 in 4.
    done = data["datasets"][0]["data"]
    assert (done[0], done[2], done[3]) == (2, 1, 3)
    # The same numbers in a table, for those who do not see the chart.
    table = re.search(
        r'<table class="table table-sm mt-2 dash-chart-table">(.*?)</table>',
        response.content.decode(),
        re.S,
    )[1]
    first_row = re.search(r"<tbody>\s*<tr>(.*?)</tr>", table, re.S)[1]
    numbers = [int(n) for n in re.findall(r'<td class="text-end[^"]*">(\d+)</td>', first_row)]
    assert numbers[:-1] == [d["data"][0] for d in data["datasets"]]
    assert numbers[-1] == sum(numbers[:-1])


def test_the_page_has_no_inline_script_or_style(client, observer, every_state):
    """A Content-Security-Policy without 'unsafe-inline' must not break the page."""
    client.force_login(observer)
    content = client.get(dashboard_url(every_state)).content.decode()
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", content, re.S)
    for attributes, body in scripts:
        assert 'src="' in attributes or 'type="application/json"' in attributes
        assert 'src="' not in attributes or not body.strip()
    assert 'src="/static/vendor/chartjs/chart.umd.min.js"' in content
    assert 'src="/static/js/dashboard.js"' in content
    dashboard = content[content.index('<div class="dashboard">') :]
    assert " style=" not in dashboard


def test_the_dashboard_links_to_the_cycles_other_pages(client, observer, cycle_2019):
    client.force_login(observer)
    content = client.get(dashboard_url(cycle_2019)).content.decode()
    assert f'href="{reverse("report_list")}?cycle={cycle_2019.pk}"' in content
    assert f'href="{reverse("summary_detail", args=[cycle_2019.pk])}"' in content
    assert f'href="{reverse("cycle_entries_xlsx", args=[cycle_2019.pk])}"' in content


# Queries


def test_the_query_count_does_not_grow_with_agencies_reports_and_entries(
    client, observer, every_state, django_assert_num_queries
):
    client.force_login(observer)
    # 1 session, 2 user, 3 the cycle with its plan, coordinator and summary, 4 the expected
    # agencies, 5 the cycle's reports with their last activity, 6 the cycle's entries (values),
    # 7 the (agency, measure) pairs of the responsibilities in force that year, 8 the measures
    # reported on that year, 9 the plan's sections, 10 the plan's indicators, 11 their totals
    # by year.
    with django_assert_num_queries(11):
        client.get(dashboard_url(every_state))

    measure = Measure.objects.get(plan=every_state.plan, number="4")
    for index in range(5):
        agency = AgencyFactory()
        ResponsibilityFactory(measure=measure, agency=agency, position=100 + index)
        ResponsibilityFactory(
            measure=Measure.objects.get(plan=every_state.plan, number="12"),
            agency=agency,
            position=100 + index,
        )
        officer = UserFactory(agency=agency)
        report = fill(services.report_open(cycle=every_state, agency=agency), officer)
        services.report_submit(report=report, user=officer)

    with django_assert_num_queries(11):
        response = client.get(dashboard_url(every_state, "?kind=ministry&late=on"))
    assert response.context["board"].expected_count == EXPECTED_2019 + 5
    assert response.context["board"].presented.count == 2 + 5
