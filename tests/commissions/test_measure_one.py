"""Measure 1 (the commissions' work): its entry in an annual report shows that year's meetings of
the agency's commission and offers them as the start of the narrative."""

import pytest

from agencies.models import Agency, User
from reporting import services as reporting_services
from reporting.models import ReportEntry
from tests.commissions.conftest import D, national, regional
from tests.reporting.conftest import cycle_of

pytestmark = pytest.mark.django_db


def measure_one_entry(agency_code, year):
    report = reporting_services.report_open(
        cycle=cycle_of(year), agency=Agency.objects.get(code=agency_code)
    )
    return report.entries.get(measure__number="1")


@pytest.fixture
def mvd_officer(db):
    return User.objects.create_user(username="mvd.officer", agency=Agency.objects.get(code="mvd"))


def test_an_akimats_entry_shows_its_commissions_meetings_of_that_year(
    client, akimat_officer, mvd_secretariat
):
    regional(akimat_officer, D(2019, 3, 5), "1", agenda="О работе с пострадавшими")
    regional(akimat_officer, D(2019, 10, 8), "2", agenda="Об итогах операции «Стоп, трафик»")
    regional(akimat_officer, D(2020, 2, 1), "1")  # another year
    national(mvd_secretariat, D(2019, 4, 1))  # another commission
    entry = measure_one_entry("akimat-almaty", 2019)
    client.force_login(akimat_officer)
    response = client.get(entry.get_absolute_url())
    assert [m.held_on for m in response.context["meetings"]] == [D(2019, 3, 5), D(2019, 10, 8)]
    content = response.content.decode()
    assert "Заседания региональной комиссии в 2019 году" in content
    assert "Начать текст со сведений о заседаниях" in content


def test_the_coordinators_entry_shows_the_national_commission(client, mvd_officer, mvd_secretariat):
    national(mvd_secretariat, D(2019, 5, 20), "3")
    entry = measure_one_entry("mvd", 2019)
    client.force_login(mvd_officer)
    response = client.get(entry.get_absolute_url())
    assert [m.protocol_number for m in response.context["meetings"]] == ["3"]
    assert "Заседания Межведомственной комиссии в 2019 году" in response.content.decode()


def test_the_meetings_start_the_narrative_and_nothing_is_saved(client, akimat_officer):
    regional(akimat_officer, D(2019, 3, 5), "1", agenda="О работе\nс пострадавшими")
    regional(akimat_officer, D(2019, 10, 8), "2", agenda="Об итогах года")
    entry = measure_one_entry("akimat-almaty", 2019)
    client.force_login(akimat_officer)
    response = client.post(
        entry.get_absolute_url(),
        {
            "status": "done",
            "narrative": "Кроме того, проведено 5 выездных проверок.",
            "version": entry.version,
            "insert_meetings": "1",
        },
    )
    assert response.status_code == 200
    narrative = response.context["form"]["narrative"].value()
    assert narrative == (
        "В 2019 году проведены заседания региональной комиссии (Акимат города Алматы) "
        "(всего: 2):\n"
        "— 05.03.2019, протокол № 1: О работе с пострадавшими\n"
        "— 08.10.2019, протокол № 2: Об итогах года\n\n"
        "Кроме того, проведено 5 выездных проверок."
    )
    assert "Проверьте его и сохраните" in response.content.decode()
    entry.refresh_from_db()
    assert (entry.status, entry.narrative, entry.version) == ("", "", 1)

    saved = client.post(
        entry.get_absolute_url(), {"status": "done", "narrative": narrative, "version": 1}
    )
    assert saved.status_code == 302
    entry.refresh_from_db()
    assert entry.narrative.startswith("В 2019 году проведены заседания")


def test_a_year_without_meetings_says_so(client, akimat_officer):
    entry = measure_one_entry("akimat-almaty", 2020)
    client.force_login(akimat_officer)
    content = client.get(entry.get_absolute_url()).content.decode()
    assert "В реестре нет заседаний за этот год." in content
    assert "Начать текст со сведений о заседаниях" not in content


def test_other_measures_show_no_meetings(client, mon_officer, mvd_secretariat):
    national(mvd_secretariat, D(2019, 5, 20))
    report = reporting_services.report_open(
        cycle=cycle_of(2019), agency=Agency.objects.get(code="mon")
    )
    entry = report.entries.first()
    assert not entry.measure.reports_commission_meetings
    client.force_login(mon_officer)
    response = client.get(entry.get_absolute_url())
    assert not response.context.get("meetings_panel")
    assert "Заседания Межведомственной комиссии" not in response.content.decode()
    assert ReportEntry.objects.filter(measure__reports_commission_meetings=True).count() == 0


def test_only_measure_1_reports_on_meetings(the_plan):
    flagged = the_plan.measures.filter(reports_commission_meetings=True)
    assert list(flagged.values_list("number", flat=True)) == ["1"]


def test_asking_for_the_meetings_never_saves_the_entry(client, akimat_officer):
    """Even when there is nothing to insert (no meeting that year, or the page was stale)."""
    entry = measure_one_entry("akimat-almaty", 2020)
    client.force_login(akimat_officer)
    response = client.post(
        entry.get_absolute_url(),
        {"status": "done", "narrative": "Текст.", "version": 1, "insert_meetings": "1"},
    )
    assert response.status_code == 200
    assert response.context["form"]["narrative"].value() == "Текст."
    entry.refresh_from_db()
    assert (entry.status, entry.narrative, entry.version) == ("", "", 1)


def test_the_meetings_cost_one_query_however_many(client, akimat_officer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    entry = measure_one_entry("akimat-almaty", 2019)
    client.force_login(akimat_officer)

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(entry.get_absolute_url())
        return len(queries), len(response.context["meetings"])

    regional(akimat_officer, D(2019, 2, 1), "1")
    few = count()
    for number in range(2, 8):
        regional(akimat_officer, D(2019, 2, number), str(number))
    many = count()
    assert (few[1], many[1]) == (1, 7)
    assert many[0] == few[0]
