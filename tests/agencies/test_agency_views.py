import pytest
from django.urls import reverse

from agencies.models import Agency
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", [reverse("agency_list"), reverse("agency_detail", args=["mvd"])])
def test_it_sends_anonymous_users_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_agency_list_groups_by_kind(client, mon_officer):
    client.force_login(mon_officer)
    response = client.get(reverse("agency_list"))
    assert response.status_code == 200
    groups = dict(response.context["groups"])
    assert len(groups["Акимат"]) == 17
    assert len(groups["Министерство"]) == 9
    content = response.content.decode()
    assert "Уполномоченный по правам ребенка в Республике Казахстан" in content


def test_agency_list_query_count_does_not_grow(client, mon_officer, django_assert_num_queries):
    client.force_login(mon_officer)
    AgencyFactory.create_batch(5)
    # session, user, agencies with their measure counts and parents
    with django_assert_num_queries(3):
        client.get(reverse("agency_list"))


def years_of(response):
    (_, years), *_ = response.context["plans"]
    return {y.year: [r.measure.number for r in y.responsibilities] for y in years}, {
        y.year: [m.number for m in y.open_measures] for y in years
    }


def test_agency_page_lists_measures_year_by_year(client, mon_officer):
    client.force_login(mon_officer)
    response = client.get(reverse("agency_detail", args=["mtszn"]))
    assert response.status_code == 200
    assigned, open_measures = years_of(response)
    assert "1" not in assigned[2018] and "1" not in assigned[2019] and "1" in assigned[2020]
    assert "28" in assigned[2018] and "28" not in assigned[2019]
    assert "29" in assigned[2020] and "29" not in assigned[2019]
    # Measures open to interested bodies where МТСЗН is not named already.
    assert open_measures[2019] == ["9", "17", "23"]


def test_agency_page_of_mvd(client, mon_officer):
    client.force_login(mon_officer)
    assigned, _ = years_of(client.get(reverse("agency_detail", args=["mvd"])))
    assert "1" in assigned[2019] and "1" not in assigned[2020]
    assert "3" not in assigned[2019]  # a heading is nobody's to report on
    assert "3.1" in assigned[2019]


def test_agency_without_measures(client, mon_officer):
    client.force_login(mon_officer)
    agency = AgencyFactory(kind=Agency.Kind.STATE_BODY)
    response = client.get(reverse("agency_detail", args=[agency.code]))
    assert response.status_code == 200
    # It may still report on the measures open to interested bodies.
    assigned, open_measures = years_of(response)
    assert assigned[2019] == [] and open_measures[2020] == ["9", "10", "17", "22", "29"]


def test_unknown_agency_is_404(client, mon_officer):
    client.force_login(mon_officer)
    assert client.get(reverse("agency_detail", args=["nobody"])).status_code == 404
