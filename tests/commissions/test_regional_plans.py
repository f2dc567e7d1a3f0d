"""Clause 2: each akimat approves a regional plan within a month of the Resolution, by
1 November 2018 inclusive. The secretariat sees the 17 akimats: on time, late or missing."""

import pytest
from django.urls import reverse

from agencies.models import Agency, AuditEvent, User
from commissions import selectors, services
from commissions.compliance import regional_plans_due
from commissions.models import RegionalPlan
from reporting.exceptions import PermissionRefused, ReportingError
from tests.commissions.conftest import D, protocol
from tests.reporting.documents import PDF, upload

pytestmark = pytest.mark.django_db


def record(user, approved_on, plan, **extra):
    data = {
        "act": "Постановление акимата города Алматы",
        "act_number": "12",
        "approved_on": approved_on,
        "document": protocol("plan.pdf"),
        **extra,
    }
    return services.regional_plan_record(plan=plan, agency=user.agency, user=user, **data)


def officer_of(code):
    return User.objects.create_user(
        username=f"{code}.officer", agency=Agency.objects.get(code=code)
    )


def test_the_deadline_is_1_november_2018(the_plan):
    assert regional_plans_due(the_plan) == D(2018, 11, 1)


@pytest.mark.parametrize(
    ("approved_on", "state", "days_late"),
    [
        (D(2018, 10, 25), selectors.ON_TIME, 0),
        (D(2018, 11, 1), selectors.ON_TIME, 0),  # the last day of the month counts
        (D(2018, 11, 2), selectors.LATE, 1),
        (D(2019, 2, 1), selectors.LATE, 92),
    ],
)
def test_timeliness_by_the_day_of_approval(
    the_plan, akimat_officer, observer, approved_on, state, days_late
):
    record(akimat_officer, approved_on, the_plan)
    rows = {r.agency.code: r for r in selectors.regional_plan_rows(plan=the_plan, user=observer)}
    assert rows["akimat-almaty"].state == state
    assert rows["akimat-almaty"].days_late == days_late
    assert rows["akimat-astana"].state == selectors.MISSING


def test_the_secretariat_sees_all_17_akimats(client, the_plan, mvd_secretariat, akimat_officer):
    record(akimat_officer, D(2018, 10, 30), the_plan)
    record(
        officer_of("akimat-astana"),
        D(2018, 12, 3),
        the_plan,
        act="Постановление акимата города Астаны",
    )
    client.force_login(mvd_secretariat)
    response = client.get(reverse("regional_plan_list"))
    assert len(response.context["rows"]) == 17
    assert response.context["counts"] == {"on_time": 1, "late": 1, "missing": 15}
    content = response.content.decode()
    assert "В срок: 1 · с опозданием: 1 · не представлено: 15" in content
    assert "Срок — 1 ноября 2018 включительно" in content


def test_an_akimat_records_and_corrects_its_own_plan(client, the_plan, akimat_officer, settings):
    client.force_login(akimat_officer)
    url = reverse("regional_plan_edit", args=[the_plan.code])
    response = client.post(
        url,
        {
            "act": "Постановление акимата города Алматы",
            "act_number": "1/2",
            "approved_on": "2018-10-29",
            "document": upload("План.pdf", PDF),
        },
    )
    assert response.status_code == 302
    regional_plan = RegionalPlan.objects.get()
    assert (regional_plan.agency.code, regional_plan.document.original_name) == (
        "akimat-almaty",
        "План.pdf",
    )
    # Corrected without a new file: the stored document stays.
    response = client.post(
        url,
        {
            "act": "Постановление акимата города Алматы",
            "act_number": "1/3",
            "approved_on": "2018-10-30",
        },
    )
    assert response.status_code == 302
    regional_plan.refresh_from_db()
    assert regional_plan.act_number == "1/3" and regional_plan.document.original_name == "План.pdf"
    assert list(AuditEvent.objects.filter(action__startswith="regional_plan").values_list("action", flat=True).order_by("pk")) == [
        "regional_plan_recorded", "regional_plan_changed"
    ]  # fmt: skip
    # The akimat sees its own row only, with its document.
    listing = client.get(reverse("regional_plan_list"))
    assert [r.agency.code for r in listing.context["rows"]] == ["akimat-almaty"]
    assert client.get(reverse("regional_plan_document", args=[regional_plan.pk])).status_code == 200


def test_a_new_regional_plan_needs_its_document(client, the_plan, akimat_officer):
    client.force_login(akimat_officer)
    response = client.post(
        reverse("regional_plan_edit", args=[the_plan.code]),
        {"act": "Постановление", "act_number": "1", "approved_on": "2018-10-29"},
    )
    assert response.status_code == 400
    assert "Обязательное поле" in response.content.decode()
    with pytest.raises(ReportingError, match="Приложите документ"):
        record(akimat_officer, D(2018, 10, 29), the_plan, document=None)
    assert not RegionalPlan.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"approved_on": D(2030, 1, 1)}, "Дата утверждения позже сегодняшней"),
        ({"act": ""}, "Укажите акт"),
        ({"act_number": " "}, "Укажите номер акта"),
        ({"document": upload("plan.pdf", b"fake")}, "содержимое не соответствует"),
    ],
)
def test_bad_input_changes_nothing(the_plan, akimat_officer, fields, message, settings):
    with pytest.raises(ReportingError, match=message):
        record(akimat_officer, fields.pop("approved_on", D(2018, 10, 29)), the_plan, **fields)
    assert not RegionalPlan.objects.exists()
    root = settings.PRIVATE_MEDIA_ROOT
    assert not root.exists() or not any(p.is_file() for p in root.rglob("*"))


def test_only_an_akimat_of_the_plan_records_a_regional_plan(
    client, the_plan, mon_officer, observer, mvd_secretariat, akimat_officer
):
    for user in (mon_officer, observer, mvd_secretariat):
        client.force_login(user)
        assert client.get(reverse("regional_plan_edit", args=[the_plan.code])).status_code == 403
    with pytest.raises(PermissionRefused):
        services.regional_plan_record(
            plan=the_plan, agency=Agency.objects.get(code="akimat-astana"), user=akimat_officer,
            act="Постановление", act_number="1", approved_on=D(2018, 10, 1), document=protocol(),
        )  # fmt: skip
    stranger = User.objects.create_user(
        username="new.akimat",
        agency=Agency.objects.create(code="akimat-new", name="Акимат новой области", kind="akimat"),
    )
    with pytest.raises(ReportingError, match="не исполняет этот план"):
        record(stranger, D(2018, 10, 1), the_plan)
    assert not RegionalPlan.objects.exists()


def test_another_akimats_document_is_private(
    client, the_plan, akimat_officer, mon_officer, observer
):
    regional_plan = record(akimat_officer, D(2018, 10, 29), the_plan)
    url = reverse("regional_plan_document", args=[regional_plan.pk])
    client.force_login(officer_of("akimat-astana"))
    assert client.get(url).status_code == 404
    client.force_login(mon_officer)
    assert client.get(url).status_code == 404
    assert client.get(reverse("regional_plan_list")).context["rows"] == []
    client.force_login(observer)
    assert client.get(url).status_code == 200
