"""The Django admin: every page renders, search works, changelists run a fixed number of queries."""

import pytest
from django.urls import reverse

from agencies.models import Agency, User
from measures.models import Measure
from tests import factories

MODELS = [
    "agencies.agency",
    "agencies.user",
    "measures.plan",
    "measures.section",
    "measures.measure",
    "measures.responsibility",
    "reporting.reportingcycle",
]


def admin_url(model, view):
    app_label, model_name = model.split(".")
    return reverse(f"admin:{app_label}_{model_name}_{view}")


@pytest.fixture
def more_rows(plan):
    """A few rows beyond the plan fixture in every table, parents and foreign keys included."""
    factories.AgencyFactory.create_batch(3, parent=factories.AgencyFactory())
    factories.UserFactory.create_batch(3)
    factories.ReportingCycleFactory.create_batch(3)
    factories.ResponsibilityFactory.create_batch(3)


@pytest.mark.parametrize("model", MODELS)
def test_changelist_and_add_page_render(client, admin_user, plan, model):
    client.force_login(admin_user)

    assert client.get(admin_url(model, "changelist")).status_code == 200
    assert client.get(admin_url(model, "add")).status_code == 200


@pytest.mark.parametrize(
    ("model", "queries"),
    [
        # session, user, count of the filtered rows, count of all rows, the page of agencies
        # with their parents
        ("agencies.agency", 5),
        # session, user, two counts, the page of users with their agencies
        ("agencies.user", 5),
        # session, user, two counts, the page, the distinct start and end years for the filters
        ("measures.plan", 7),
        # session, user, the plans for the filter, two counts, the page with the plans
        ("measures.section", 6),
        # session, user, the plans and the sections for the filters, two counts, the page with
        # the sections, the distinct first and last years for the filters
        ("measures.measure", 9),
        # session, user, the plans for the filter, two counts, the page with measures and
        # agencies
        ("measures.responsibility", 6),
        # session, user, the plans and the coordinators for the filters, two counts, the page
        # with plans and coordinators
        ("reporting.reportingcycle", 7),
    ],
)
def test_changelist_queries_do_not_grow_with_rows(
    client, admin_user, more_rows, django_assert_num_queries, model, queries
):
    client.force_login(admin_user)

    with django_assert_num_queries(queries):
        response = client.get(admin_url(model, "changelist"))

    # Enough rows on the page that a query per row would show.
    assert len(response.context["cl"].result_list) > 3


def changelist_results(client, model, query):
    response = client.get(admin_url(model, "changelist"), {"q": query})
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


def test_agency_search_by_abbreviation(client, admin_user, plan):
    client.force_login(admin_user)

    codes = {agency.code for agency in changelist_results(client, "agencies.agency", "МВД")}

    assert "mvd" in codes
    assert "mon" not in codes


def test_agency_search_by_code(client, admin_user, plan):
    client.force_login(admin_user)

    results = changelist_results(client, "agencies.agency", "akimat-almaty-region")

    assert [agency.code for agency in results] == ["akimat-almaty-region"]


def test_measure_search_by_title(client, admin_user, plan):
    client.force_login(admin_user)

    results = changelist_results(client, "measures.measure", "хлопковых полях")

    assert [measure.number for measure in results] == ["3.4"]


def test_measure_page_lists_its_executors_in_column_order(client, admin_user, plan):
    client.force_login(admin_user)
    measure = Measure.objects.get(plan=plan, number="3.4")

    response = client.get(reverse("admin:measures_measure_change", args=[measure.pk]))

    assert response.status_code == 200
    (inline,) = response.context["inline_admin_formsets"]
    executors = [form.instance for form in inline.formset.initial_forms]
    assert [r.position for r in executors] == list(range(1, 22))
    assert (executors[0].agency.code, executors[-1].agency.code) == ("mvd", "gp")


def test_admin_creates_a_user_with_agency_and_role(client, admin_user, plan):
    client.force_login(admin_user)
    mon = Agency.objects.get(code="mon")

    response = client.post(
        admin_url("agencies.user", "add"),
        {
            "username": "new_officer",
            "usable_password": "true",
            "password1": "correct-horse-battery",
            "password2": "correct-horse-battery",
            "agency": mon.pk,
            "role": User.Role.OFFICER,
        },
    )

    assert response.status_code == 302
    user = User.objects.get(username="new_officer")
    assert (user.agency, user.role) == (mon, User.Role.OFFICER)
