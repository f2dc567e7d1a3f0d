import datetime

import pytest
import time_machine
from django.urls import reverse

from reporting import services
from tests.reporting.conftest import fill

pytestmark = pytest.mark.django_db


def cycles_by_year(response):
    return {item.cycle.year: item for item in response.context["cycles"]}


def test_the_officers_home_shows_each_cycle(client, mon_officer, mon_report):
    client.force_login(mon_officer)
    with time_machine.travel(datetime.datetime(2020, 1, 10, 12, tzinfo=datetime.UTC)):
        response = client.get(reverse("home"))
        cycles = cycles_by_year(response)
        assert set(cycles) == {2018, 2019, 2020}
        assert cycles[2019].report == mon_report and cycles[2018].report is None
        assert cycles[2019].expected_count == 6
        assert cycles[2019].days_left == 10
        assert cycles[2018].days_overdue == 355
        content = response.content.decode()
    assert "дней до срока: 10" in content
    assert "срок прошёл, дней назад: 355" in content
    assert "Начать отчёт" in content and mon_report.get_absolute_url() in content


def test_days_left_turn_on_local_midnight(client, mon_officer):
    client.force_login(mon_officer)
    # 20 January 2020, 17:59 UTC is 23:59 in Almaty (UTC+6): the deadline day itself.
    with time_machine.travel(datetime.datetime(2020, 1, 20, 17, 59, tzinfo=datetime.UTC)):
        assert cycles_by_year(client.get(reverse("home")))[2019].days_left == 0
    with time_machine.travel(datetime.datetime(2020, 1, 20, 18, 1, tzinfo=datetime.UTC)):
        assert cycles_by_year(client.get(reverse("home")))[2019].days_overdue == 1


def test_a_submitted_report_shows_when(client, mon_officer, mon_report):
    fill(mon_report, mon_officer)
    services.report_submit(report=mon_report, user=mon_officer)
    client.force_login(mon_officer)
    content = client.get(reverse("home")).content.decode()
    assert "Представлен" in content and "Открыть отчёт" in content


def test_home_query_count(client, mon_officer, mon_report, django_assert_num_queries):
    client.force_login(mon_officer)
    # session, user with agency, cycles, reports, responsibilities, the commission's decisions
    # addressed to the agency and not done
    with django_assert_num_queries(6):
        client.get(reverse("home"))


def test_the_secretariat_and_observers_see_the_way_to_all_reports(
    client, observer, mvd_secretariat
):
    for user in (observer, mvd_secretariat):
        client.force_login(user)
        assert reverse("report_list") in client.get(reverse("home")).content.decode()
