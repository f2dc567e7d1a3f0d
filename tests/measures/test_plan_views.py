import pytest
from django.urls import reverse

from tests.conftest import PLAN_CODE
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db

PLAN_URL = reverse("plan_detail", args=[PLAN_CODE])


def measure_url(number):
    return reverse("measure_detail", args=[PLAN_CODE, number])


def shown_numbers(response):
    return [m.number for row in response.context["sections"] for m in row.measures]


@pytest.mark.parametrize(
    "url",
    ["/", reverse("plan_list"), PLAN_URL, measure_url("3.4")],
)
def test_it_sends_anonymous_users_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")


def test_plan_list_shows_the_reporting_cycles(client, mon_officer):
    client.force_login(mon_officer)
    response = client.get(reverse("plan_list"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "на 2018 – 2020 годы" in content
    assert "20 января 2019" in content and "10 февраля 2021" in content


def test_plan_page_is_the_resolutions_table(client, observer):
    client.force_login(observer)
    response = client.get(PLAN_URL)
    assert response.status_code == 200
    assert len(response.context["sections"]) == 7
    assert len(shown_numbers(response)) == 36
    assert response.context["measure_count"] == 35  # measure 3 is a heading
    content = response.content.decode()
    for header in ("№ п/п", "Мероприятие", "Форма завершения", "Ответственные за исполнение"):
        assert header in content
    assert "7. Организационно-правовые мероприятия" in content


def test_plan_page_filters_by_year(client, mon_officer):
    client.force_login(mon_officer)
    numbers_2018 = shown_numbers(client.get(PLAN_URL, {"year": 2018}))
    numbers_2020 = shown_numbers(client.get(PLAN_URL, {"year": 2020}))
    assert "28" in numbers_2018 and "29" not in numbers_2018
    assert "29" in numbers_2020 and "28" not in numbers_2020 and "23" not in numbers_2020
    assert len(numbers_2020) == 34


def test_plan_page_filters_by_agency(client, mon_officer):
    client.force_login(mon_officer)
    response = client.get(PLAN_URL, {"agency": "mon"})
    # МОН answers for 3.4 (so its heading 3 is shown too), 4, 12, 14, 17, 18.
    assert shown_numbers(response) == ["3", "3.4", "4", "12", "14", "17", "18"]


def test_plan_page_filters_by_agency_and_year(client, mon_officer):
    client.force_login(mon_officer)
    mvd_2020 = shown_numbers(client.get(PLAN_URL, {"agency": "mvd", "year": 2020}))
    mvd_2019 = shown_numbers(client.get(PLAN_URL, {"agency": "mvd", "year": 2019}))
    # МВД answers measure 1 for 2018–2019 only; МТСЗН takes it over in 2020.
    assert "1" in mvd_2019 and "1" not in mvd_2020
    assert "23" in mvd_2019 and "23" not in mvd_2020
    mtszn_2020 = shown_numbers(client.get(PLAN_URL, {"agency": "mtszn", "year": 2020}))
    assert "1" in mtszn_2020 and "29" in mtszn_2020 and "28" not in mtszn_2020


def test_plan_page_explains_an_unknown_filter(client, mon_officer):
    client.force_login(mon_officer)
    response = client.get(PLAN_URL, {"agency": "no-such-body", "year": 1999})
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"agency", "year"}
    assert len(shown_numbers(response)) == 36


def test_plan_page_queries_do_not_grow_with_filters(client, mon_officer, django_assert_num_queries):
    client.force_login(mon_officer)
    # session, user, plan, the filter's agency, measures, the agency's responsibilities in the
    # plan, sections, the agency choices (the plan's executors)
    with django_assert_num_queries(8):
        client.get(PLAN_URL, {"agency": "mon"})
    # the same without the agency's lookup and responsibilities
    with django_assert_num_queries(6):
        client.get(PLAN_URL)


def test_the_agency_filter_offers_the_plans_executors_only(client, mon_officer):
    other = AgencyFactory(name="Ведомство другого плана")
    client.force_login(mon_officer)
    choices = [
        code for code, _label in client.get(PLAN_URL).context["form"].fields["agency"].choices
    ]
    assert "mon" in [str(c) for c in choices]
    assert other.code not in [str(c) for c in choices]
    assert len(choices) == 1 + 35  # "all executors" and the Plan's 35 bodies


def test_unknown_plan_is_404(client, mon_officer):
    client.force_login(mon_officer)
    assert client.get(reverse("plan_detail", args=["no-such-plan"])).status_code == 404


def test_measure_page(client, akimat_officer):
    client.force_login(akimat_officer)
    response = client.get(measure_url("3.4"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "по предотвращению принудительного труда" in content
    # The heading's words lead the sub-measure's title.
    assert "Проведение комплексных совместных" in content
    assert "Акимат Туркестанской области" in content
    executors = list(response.context["measure"].responsibilities.all())
    assert [r.agency.code for r in executors][:2] == ["mvd", "akimat-astana"]
    assert len(executors) == 21


def test_heading_page_lists_sub_measures(client, akimat_officer):
    client.force_login(akimat_officer)
    response = client.get(measure_url("3"))
    assert response.status_code == 200
    assert [c.number for c in response.context["measure"].children.all()] == [
        f"3.{i}" for i in range(1, 8)
    ]


def test_measure_one_shows_who_answers_in_which_years(client, observer):
    client.force_login(observer)
    content = client.get(measure_url("1")).content.decode()
    assert "2018–2019" in content and "2020–2020" not in content


def test_unknown_measure_is_404(client, mon_officer):
    client.force_login(mon_officer)
    assert client.get(measure_url("30")).status_code == 404


def test_measure_page_query_count(client, mon_officer, django_assert_num_queries):
    client.force_login(mon_officer)
    # session, user, plan, measure (with the one it continues), its executors with agencies,
    # its sub-measures, the measures continuing it in later plans, its lines in each year's
    # summary, its indicators (across plans) and their totals by year (reporting.summaries:
    # the indicators are reporting's, so the measure's own query cannot prefetch them)
    with django_assert_num_queries(10):
        client.get(measure_url("12"))
