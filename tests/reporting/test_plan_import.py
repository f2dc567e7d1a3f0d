"""Loading a whole new plan from its workbook through the admin (upload, preview, confirm), the
reporting calendar as data, and what successive plans and agencies look like side by side."""

import datetime
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agencies.models import Agency, AgencySuccession, AuditEvent, User
from measures.models import Measure, Plan, Responsibility
from measures.services import PlanFields
from measures.workbook import read_plan_workbook
from reporting import services
from reporting.models import AnnualReport, ReportingCycle
from tests.measures.test_plan_workbook import edited, row_of

pytestmark = pytest.mark.django_db
WORKBOOK = Path(settings.BASE_DIR) / "fixtures" / "source" / "plan_2021_2023_constructed.xlsx"
UPLOAD = reverse("admin:reporting_reportingcycle_load_plan")
PREVIEW = reverse("admin:reporting_reportingcycle_load_plan_preview")
FIELDS = {
    "code": "trafficking-2021-2023",
    "title": "План мероприятий по противодействию торговле людьми на 2021 – 2023 годы",
    "resolution_number": "999",
    "resolution_date": "2020-12-30",
    "start_year": 2021,
    "end_year": 2023,
    "coordinator": "mtszn",
}


def upload(client, source=WORKBOOK, **fields):
    content = source.read_bytes() if isinstance(source, Path) else source.read()
    data = {**FIELDS, **fields, "workbook": SimpleUploadedFile("plan.xlsx", content)}
    return client.post(UPLOAD, data)


def confirmation(mapping=None, calendar=None):
    """The preview's form: the two unknown executors, the three reporting years."""
    mapping = mapping or {
        "map-agency_0": "__new__",
        "map-code_0": "mior",
        "map-name_0": "Министерство информации и общественного развития Республики Казахстан",
        "map-kind_0": "ministry",
        "map-agency_1": "karaganda-academy-mvd",
    }
    data = {"cycle-TOTAL_FORMS": "3", "cycle-INITIAL_FORMS": "3", **mapping}
    for index, year in enumerate((2021, 2022, 2023)):
        data |= {
            f"cycle-{index}-year": year,
            f"cycle-{index}-submission_deadline": f"{year + 1}-01-20",
            f"cycle-{index}-summary_deadline": f"{year + 1}-02-10",
            f"cycle-{index}-coordinator": "mtszn",
        }
    return data | (calendar or {})


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def test_the_constructed_2021_2023_plan_loads_end_to_end(admin_client):
    response = upload(admin_client)
    assert response.status_code == 302 and response["Location"] == PREVIEW
    preview = admin_client.get(PREVIEW)
    page = preview.content.decode()
    assert preview.status_code == 200
    assert "Мероприятия: 14" in page and "МИОР" in page and "не найдено" in page
    assert not Plan.objects.filter(code=FIELDS["code"]).exists()  # nothing written yet

    done = admin_client.post(PREVIEW, confirmation())
    plan = Plan.objects.get(code=FIELDS["code"])
    assert done.status_code == 302 and done["Location"].endswith(f"/plan/{plan.pk}/change/")
    assert (plan.start_year, plan.end_year, plan.resolution_date) == (
        2021,
        2023,
        datetime.date(2020, 12, 30),
    )
    assert plan.sections.count() == 5 and plan.measures.count() == 14
    measures = {m.number: m for m in plan.measures.all()}
    assert measures["3.2"].parent == measures["3"]
    assert not measures["3"].responsibilities.exists()
    first = Responsibility.objects.filter(measure=measures["1"]).order_by("position")
    assert first[0].agency.code == "mtszn" and first.count() == 18
    assert {(r.first_year, r.last_year) for r in first} == {(2021, 2023)}
    gp = Responsibility.objects.get(measure=measures["2"], agency__code="gp")
    assert gp.by_agreement and gp.position == 3
    assert Responsibility.objects.get(measure=measures["5"], agency__code="mvd").is_consolidator
    assert measures["5"].open_to_interested
    assert (measures["6"].first_year, measures["6"].last_year) == (2021, 2022)
    # The new agency, created in the same change, and the mapped academy.
    mior = Agency.objects.get(code="mior")
    assert Responsibility.objects.filter(agency=mior).count() == 2
    academy = Responsibility.objects.filter(measure=measures["10"]).values_list(
        "agency__code", flat=True
    )
    assert sorted(academy) == ["karaganda-academy-mvd", "law-enforcement-academy-gp"]
    # The calendar, as the plan's data.
    cycles = list(ReportingCycle.objects.filter(plan=plan).order_by("year"))
    assert [
        (c.year, c.submission_deadline, c.summary_deadline, c.coordinator.code) for c in cycles
    ] == [
        (2021, datetime.date(2022, 1, 20), datetime.date(2022, 2, 10), "mtszn"),
        (2022, datetime.date(2023, 1, 20), datetime.date(2023, 2, 10), "mtszn"),
        (2023, datetime.date(2024, 1, 20), datetime.date(2024, 2, 10), "mtszn"),
    ]
    assert AuditEvent.objects.filter(action="plan_imported", object_id=plan.pk).exists()
    # Measure pages of the new plan are there.
    assert admin_client.get(measures["1"].get_absolute_url()).status_code == 200


def test_nothing_is_written_until_every_executor_is_resolved(admin_client):
    upload(admin_client)
    counts = (Plan.objects.count(), Agency.objects.count(), ReportingCycle.objects.count())
    response = admin_client.post(
        PREVIEW, confirmation(mapping={"map-agency_1": "karaganda-academy-mvd"})
    )
    assert response.status_code == 400
    assert (Plan.objects.count(), Agency.objects.count(), ReportingCycle.objects.count()) == counts


def test_a_workbook_with_errors_shows_them_and_cannot_be_confirmed(admin_client):
    def twice(sheet):
        sheet.cell(row_of(sheet, "2"), 1).value = "1"

    upload(admin_client, edited(twice))
    page = admin_client.get(PREVIEW).content.decode()
    assert "Номер 1 уже есть в строке 7" in page and "Ничего не записано" in page
    assert "Записать план" not in page
    response = admin_client.post(PREVIEW, confirmation())
    assert response.status_code == 400
    assert not Plan.objects.filter(code=FIELDS["code"]).exists()
    assert not Agency.objects.filter(code="mior").exists()


def test_a_calendar_that_does_not_hold_is_refused_and_nothing_written(admin_client):
    upload(admin_client)
    wrong = {"cycle-1-summary_deadline": "2023-01-10"}  # before the reports' deadline
    response = admin_client.post(PREVIEW, confirmation(calendar=wrong), follow=True)
    assert "2022: срок сводной информации раньше срока отчётов." in response.content.decode()
    assert not Plan.objects.filter(code=FIELDS["code"]).exists()
    assert not Agency.objects.filter(code="mior").exists()


def test_a_plan_code_taken_already_is_refused(admin_client):
    upload(admin_client, code="trafficking-2018-2020", start_year=2021)
    response = admin_client.post(PREVIEW, confirmation(), follow=True)
    assert "План с кодом «trafficking-2018-2020» уже загружен." in response.content.decode()
    assert not Agency.objects.filter(code="mior").exists()


def test_the_upload_form_refuses_what_is_not_a_plan(admin_client):
    response = admin_client.post(
        UPLOAD, {**FIELDS, "end_year": 2020, "workbook": SimpleUploadedFile("plan.pdf", b"%PDF")}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Последний год раньше первого." in page and "Нужна книга Excel в формате XLSX." in page


def test_only_admins_load_plans(client, mvd_secretariat):
    mvd_secretariat.is_staff = True
    mvd_secretariat.save()
    client.force_login(mvd_secretariat)
    assert client.get(UPLOAD).status_code == 403


# Two plans side by side


def load(mapping=None):
    parsed = read_plan_workbook(
        WORKBOOK, resolution_date=datetime.date(2020, 12, 30), start_year=2021, end_year=2023
    )
    fields = PlanFields(
        code=FIELDS["code"],
        title=FIELDS["title"],
        resolution_number=FIELDS["resolution_number"],
        resolution_date=datetime.date(2020, 12, 30),
        start_year=2021,
        end_year=2023,
    )
    academy = Agency.objects.get(code="karaganda-academy-mvd")
    mior = Agency.objects.create(
        code="mior",
        name="Министерство информации и общественного развития",
        kind="ministry",
        abbreviation="МИОР",
    )
    return services.plan_import(
        parsed=parsed,
        fields=fields,
        agencies=mapping
        or {"МИОР": mior, "Карагандинская академия МВД имени Б. Бейсенова": academy},
        calendar=services.default_calendar(
            start_year=2021, end_year=2023, coordinator=Agency.objects.get(code="mtszn")
        ),
        user=User.objects.filter(is_superuser=True).first(),
    )


def test_an_agency_reports_on_two_plans_in_the_same_january(client, mon_officer, admin_user):
    new = load()
    # A second plan whose 2021 cycle falls in the same January: a thematic plan of 2021.
    other = Plan.objects.create(
        code="children-2021",
        title="План по защите детей на 2021 год",
        resolution_number="1",
        resolution_date=datetime.date(2021, 1, 5),
        start_year=2021,
        end_year=2021,
    )
    section = other.sections.create(number=1, title="Раздел")
    measure = Measure.objects.create(
        plan=other,
        section=section,
        number="1",
        position=1,
        title="Занятия в школах",
        completion_form="информация",
        deadline_text="2021 год",
        first_year=2021,
        last_year=2021,
    )
    Responsibility.objects.create(measure=measure, agency=mon_officer.agency, position=1)
    ReportingCycle.objects.create(
        plan=other,
        year=2021,
        submission_deadline=datetime.date(2022, 1, 20),
        summary_deadline=datetime.date(2022, 2, 10),
        coordinator=mon_officer.agency,
    )
    client.force_login(mon_officer)
    with time_machine.travel(datetime.datetime(2022, 1, 10, 12, tzinfo=datetime.UTC)):
        response = client.get(reverse("home"))
        cycles = [
            (item.cycle.plan.code, item.cycle.year, item.days_left)
            for item in response.context["cycles"]
        ]
    assert ("children-2021", 2021, 10) in cycles and (new.code, 2021, 10) in cycles
    page = response.content.decode()
    assert new.title in page and other.title in page  # each plan named above its cycles
    for cycle in ReportingCycle.objects.filter(year=2021):
        client.post(reverse("report_start", args=[cycle.pk]))
    assert AnnualReport.objects.filter(agency=mon_officer.agency, cycle__year=2021).count() == 2


def test_lineage_is_shown_on_old_reports_and_the_agency_pages(client, mon_officer, mvd_secretariat):
    mon = mon_officer.agency
    report = services.report_open(
        cycle=ReportingCycle.objects.get(plan__code="trafficking-2018-2020", year=2020), agency=mon
    )
    education = Agency.objects.create(
        code="mp",
        abbreviation="МП",
        name="Министерство просвещения Республики Казахстан",
        kind="ministry",
        active_from=datetime.date(2022, 6, 11),
    )
    science = Agency.objects.create(
        code="mnvo",
        abbreviation="МНВО",
        name="Министерство науки и высшего образования Республики Казахстан",
        kind="ministry",
        active_from=datetime.date(2022, 6, 11),
    )
    Agency.objects.filter(pk=mon.pk).update(active_until=datetime.date(2022, 6, 10))
    for successor in (education, science):
        AgencySuccession.objects.create(
            predecessor=mon, successor=successor, on=datetime.date(2022, 6, 11)
        )

    client.force_login(mvd_secretariat)
    page = client.get(report.get_absolute_url()).content.decode()
    assert "Министерство образования и науки Республики Казахстан" in page  # the name of its time
    assert "Ведомство с тех пор преобразовано" in page
    assert "Министерство просвещения Республики Казахстан" in page and "11 июня 2022" in page
    old = client.get(mon.get_absolute_url()).content.decode()
    assert "Работу продолжают" in old and "Министерство науки и высшего образования" in old
    new = client.get(education.get_absolute_url()).content.decode()
    assert "Продолжает работу" in new and "Министерство образования и науки" in new

    # The successor's officers read the predecessor's report; they do not act on it.
    officer = User.objects.create_user(username="mp_officer", agency=education, role="officer")
    client.force_login(officer)
    assert client.get(report.get_absolute_url()).status_code == 200
    entry = report.entries.first()
    assert client.get(reverse("entry_edit", args=[report.pk, entry.pk])).status_code == 403


def test_renaming_a_body_that_has_reported_is_refused_in_the_admin(admin_client, mon_officer):
    mon = mon_officer.agency
    services.report_open(
        cycle=ReportingCycle.objects.get(plan__code="trafficking-2018-2020", year=2019), agency=mon
    )
    url = reverse("admin:agencies_agency_change", args=[mon.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data |= {
        "name": "Министерство просвещения",
        "kind": "ministry",
        "succeeded-TOTAL_FORMS": "0",
        "succeeded-INITIAL_FORMS": "0",
        "successions-TOTAL_FORMS": "0",
        "successions-INITIAL_FORMS": "0",
    }
    response = admin_client.post(url, data)
    assert "должны сохранить наименование своего времени" in response.content.decode()
    mon.refresh_from_db()
    assert mon.name == "Министерство образования и науки Республики Казахстан"


def test_a_measure_continued_in_the_next_plan_shows_its_years_across_plans(
    client, observer, mvd_secretariat, mon_officer
):
    new = load()
    old_measure = Measure.objects.get(plan__code="trafficking-2018-2020", number="14")
    continued = new.measures.get(number="8")
    continued.predecessor = old_measure
    continued.full_clean()
    continued.save()
    client.force_login(observer)
    page = client.get(continued.get_absolute_url()).content.decode()
    assert "Продолжает" in page and old_measure.get_absolute_url() in page
    page = client.get(old_measure.get_absolute_url()).content.decode()
    assert "Продолжено" in page and continued.get_absolute_url() in page


def test_a_measure_cannot_continue_one_of_its_own_plan(plan):
    from django.core.exceptions import ValidationError

    measure = plan.measures.get(number="2")
    measure.predecessor = plan.measures.get(number="4")
    with pytest.raises(ValidationError, match="предыдущего плана"):
        measure.full_clean()
