"""Every text a person types has a maximum length: shown in its form (the browser stops typing
there, the help text names it), refused by the form and by the service for any other caller,
with a message naming the field and the limit, and nothing changed. Texts stored before the
limits stay as they are (the limits are no database constraint)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from agencies.models import Agency, User
from commissions import services as commission_services
from commissions.models import CommissionMeeting, DecisionAssignment, ProtocolDecision, RegionalPlan
from core.exceptions import ActionRefused
from measures.models import Measure, Plan, Section
from reporting import services
from reporting.models import ReportEntry, ReviewComment, SummaryItem
from tests.conftest import PLAN_CODE
from tests.reporting.conftest import cycle_of, fill

D = datetime.date
MILLION = 1_000_000

LIMITS = [
    (ReportEntry, "narrative", 30_000),
    (ReviewComment, "text", 5_000),
    (SummaryItem, "text", 100_000),
    (CommissionMeeting, "agenda", 10_000),
    (CommissionMeeting, "protocol_number", 50),
    (ProtocolDecision, "text", 10_000),
    (ProtocolDecision, "number", 20),
    (DecisionAssignment, "note", 10_000),
    (RegionalPlan, "act", 300),
    (RegionalPlan, "act_number", 50),
    (Plan, "title", 1_000),
    (Section, "title", 1_000),
    (Measure, "title", 5_000),
    (Measure, "completion_form", 1_000),
    (Measure, "responsible_text", 2_000),
]


@pytest.mark.parametrize(("model", "name", "limit"), LIMITS)
def test_the_model_refuses_a_text_over_its_limit(model, name, limit):
    field = model._meta.get_field(name)
    assert field.max_length == limit
    field.run_validators("x" * limit)
    with pytest.raises(ValidationError):
        field.run_validators("x" * (limit + 1))


# The services, for callers that bypass the forms


def unchanged(obj, *fields):
    fresh = type(obj).objects.get(pk=obj.pk)
    return all(getattr(fresh, f) == getattr(obj, f) for f in fields)


@pytest.fixture
def mon_entry(mon_officer):
    report = services.report_open(cycle=cycle_of(2019), agency=mon_officer.agency)
    return report.entries.order_by("measure__position").first()


def test_a_narrative_of_a_million_characters_is_refused(mon_entry, mon_officer):
    with pytest.raises(ActionRefused) as refusal:
        services.entry_update(
            entry=mon_entry,
            user=mon_officer,
            status="done",
            narrative="а" * MILLION,
            version=mon_entry.version,
        )
    assert str(refusal.value) == (
        "«Информация о ходе исполнения»: текст слишком длинный (знаков: 1\xa0000\xa0000; "
        "допустимо не больше 30\xa0000)."
    )
    assert unchanged(mon_entry, "status", "narrative", "version")


def test_a_narrative_at_the_limit_is_saved(mon_entry, mon_officer):
    services.entry_update(
        entry=mon_entry,
        user=mon_officer,
        status="done",
        narrative="а" * 30_000,
        version=mon_entry.version,
    )
    mon_entry.refresh_from_db()
    assert len(mon_entry.narrative) == 30_000


def test_a_review_comment_over_its_limit(mon_officer, mvd_secretariat):
    report = services.report_open(cycle=cycle_of(2019), agency=mon_officer.agency)
    services.report_submit(report=fill(report, mon_officer), user=mon_officer)
    with pytest.raises(ActionRefused, match="«Комментарий»: текст слишком длинный"):
        services.report_return(report=report, user=mvd_secretariat, comment="x" * 5_001)
    report.refresh_from_db()
    assert report.state == "submitted" and not report.comments.exists()


def test_a_summary_line_over_its_limit(mon_officer, mvd_secretariat):
    report = services.report_open(cycle=cycle_of(2019), agency=mon_officer.agency)
    services.report_submit(report=fill(report, mon_officer), user=mon_officer)
    item = services.summary_generate(cycle=report.cycle, user=mvd_secretariat).items.first()
    with pytest.raises(ActionRefused, match="допустимо не больше 100\xa0000"):
        services.summary_item_update(
            item=item, user=mvd_secretariat, status="done", text="x" * 100_001, version=1
        )
    assert unchanged(item, "text", "version", "is_edited")


@pytest.fixture
def meeting(mvd_secretariat):
    return commission_services.meeting_record(
        user=mvd_secretariat,
        agency=None,
        held_on=D(2020, 1, 15),
        protocol_number="1",
        agenda="Повестка",
    )


def test_an_agenda_over_its_limit(mvd_secretariat, meeting):
    with pytest.raises(ActionRefused, match="«Повестка дня»: текст слишком длинный"):
        commission_services.meeting_update(
            meeting=meeting,
            user=mvd_secretariat,
            held_on=meeting.held_on,
            protocol_number="1",
            agenda="x" * 10_001,
        )
    assert unchanged(meeting, "agenda")


def test_a_decision_over_its_limit(mvd_secretariat, meeting):
    with pytest.raises(ActionRefused, match="«Решение»: текст слишком длинный"):
        commission_services.decision_add(
            meeting=meeting, user=mvd_secretariat, number="1", text="x" * 10_001
        )
    assert not ProtocolDecision.objects.exists()


@pytest.fixture
def assignment(mvd_secretariat, meeting, mon_officer):
    """МОН's part of a decision of the meeting."""
    decision = commission_services.decision_add(
        meeting=meeting,
        user=mvd_secretariat,
        number="1",
        text="Решение",
        due_date=D(2020, 6, 1),
        agencies=[mon_officer.agency],
    )
    return decision.assignments.get()


def test_a_note_over_its_limit(assignment, mon_officer):
    with pytest.raises(ActionRefused, match="«Что сделано»: текст слишком длинный"):
        commission_services.assignment_complete(
            assignment=assignment, user=mon_officer, note="x" * 10_001
        )
    assert not DecisionAssignment.objects.get(pk=assignment.pk).is_done


def test_a_regional_plans_act_over_its_limit(plan):
    user = User.objects.create_user(
        username="almaty.plan", agency=Agency.objects.get(code="akimat-almaty")
    )
    with pytest.raises(ActionRefused, match="«Акт об утверждении»: текст слишком длинный"):
        commission_services.regional_plan_record(
            plan=plan,
            agency=user.agency,
            user=user,
            act="x" * 301,
            act_number="1",
            approved_on=D(2018, 10, 20),
        )
    assert not RegionalPlan.objects.exists()


# The forms


def test_the_entry_form_shows_the_limit_and_refuses_more(client, mon_entry, mon_officer):
    client.force_login(mon_officer)
    url = reverse("entry_edit", args=[mon_entry.report_id, mon_entry.pk])

    page = client.get(url).content.decode()
    assert 'maxlength="30000"' in page
    assert "Наибольшая длина, знаков: 30\xa0000." in page

    response = client.post(
        url, {"status": "done", "narrative": "а" * MILLION, "version": mon_entry.version}
    )
    assert response.status_code == 200
    assert "не более 30000 символов" in response.content.decode()
    assert unchanged(mon_entry, "status", "narrative", "version")


def test_the_limit_is_written_in_the_pages_language(client, mon_entry, mon_officer):
    client.force_login(mon_officer)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("entry_edit", args=[mon_entry.report_id, mon_entry.pk]))
    assert "Maximum length, characters: 30,000." in page.content.decode()


def test_the_meeting_and_decision_forms_show_their_limits(client, mvd_secretariat, meeting):
    client.force_login(mvd_secretariat)
    form = client.get(reverse("meeting_edit", args=[meeting.pk])).content.decode()
    assert 'maxlength="10000"' in form and "Наибольшая длина, знаков: 10\xa0000." in form
    detail = client.get(meeting.get_absolute_url()).content.decode()
    assert 'maxlength="10000"' in detail  # the decision's text


def test_the_note_shows_its_limit(client, assignment, mon_officer):
    client.force_login(mon_officer)
    page = client.get(reverse("assignment_list")).content.decode()
    assert 'name="note" rows="2" maxlength="10000"' in page
    assert "Наибольшая длина, знаков: 10\xa0000." in page


# The migrations that set the limits


@pytest.mark.django_db(transaction=True)
def test_texts_stored_longer_than_the_new_limits_survive_the_migration():
    call_command("loaddata", "plan_2018_2020", verbosity=0)
    user = User.objects.create_user(username="sec", agency=Agency.objects.get(code="mvd"))
    entry = services.report_open(cycle=cycle_of(2019), agency=user.agency).entries.first()
    meeting = CommissionMeeting.objects.create(
        held_on=D(2020, 1, 15), protocol_number="1", agenda="", created_by=user, updated_by=user
    )
    measure = Measure.objects.get(plan__code=PLAN_CODE, number="1")
    call_command("migrate", "reporting", "0005", verbosity=0)
    call_command("migrate", "commissions", "0003", verbosity=0)
    call_command("migrate", "measures", "0003", verbosity=0)
    try:
        # Written as an older version of the portal could: no limit checked. In SQL, as the
        # models of today know columns the old tables lack.
        with connection.cursor() as cursor:
            for table, column, pk, text in [
                ("reporting_reportentry", "narrative", entry.pk, "н" * 40_000),
                ("commissions_commissionmeeting", "agenda", meeting.pk, "п" * 20_000),
                ("measures_measure", "title", measure.pk, "т" * 6_000),
            ]:
                cursor.execute(f"UPDATE {table} SET {column} = %s WHERE id = %s", [text, pk])  # noqa: S608
    finally:
        call_command("migrate", verbosity=0)

    assert len(ReportEntry.objects.get(pk=entry.pk).narrative) == 40_000
    assert len(CommissionMeeting.objects.get(pk=meeting.pk).agenda) == 20_000
    assert len(Measure.objects.get(plan__code=PLAN_CODE, number="1").title) == 6_000
