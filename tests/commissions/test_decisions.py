"""Decisions of the interdepartmental commission addressed to agencies: each agency marks its
part done with a note; the secretariat sees what is overdue. A due date ends at midnight in
Kazakhstan."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from agencies.models import Agency, AuditEvent
from commissions import selectors, services
from commissions.models import DecisionAssignment, ProtocolDecision
from reporting.exceptions import PermissionRefused, ReportingError
from tests.commissions.conftest import D, national, regional

pytestmark = pytest.mark.django_db
UTC = datetime.UTC
# 31 March 2020 in Almaty (UTC+6): 23:30 is still the due day, 00:30 the next is not.
BEFORE_MIDNIGHT = datetime.datetime(2020, 3, 31, 17, 30, tzinfo=UTC)
AFTER_MIDNIGHT = datetime.datetime(2020, 3, 31, 18, 30, tzinfo=UTC)


@pytest.fixture
def decision(mvd_secretariat, mon):
    meeting = national(mvd_secretariat, D(2020, 1, 15))
    return services.decision_add(
        meeting=meeting,
        user=mvd_secretariat,
        number="2.1",
        text="Провести обучение инспекторов по делам несовершеннолетних.",
        due_date=D(2020, 3, 31),
        agencies=[mon, Agency.objects.get(code="akimat-almaty")],
    )


def part(decision, code):
    return decision.assignments.get(agency__code=code)


def test_a_decision_names_its_agencies_and_due_date(decision):
    assert sorted(decision.assignments.values_list("agency__code", flat=True)) == [
        "akimat-almaty",
        "mon",
    ]
    event = AuditEvent.objects.get(action=AuditEvent.Action.DECISION_RECORDED)
    assert event.details["agencies"] == ["akimat-almaty", "mon"]
    assert event.details["due_date"] == "2020-03-31"


@pytest.mark.parametrize(("now", "overdue"), [(BEFORE_MIDNIGHT, False), (AFTER_MIDNIGHT, True)])
def test_a_part_is_overdue_once_its_due_day_has_ended_in_almaty(decision, now, overdue):
    with time_machine.travel(now, tick=False):
        assert part(decision, "mon").is_overdue is overdue
        rows = selectors.assignment_list(user=decision.created_by, state=selectors.OVERDUE)
    assert len(rows) == (2 if overdue else 0)


def test_done_before_the_end_of_the_due_day_is_on_time(decision, mon_officer):
    with time_machine.travel(BEFORE_MIDNIGHT, tick=False):
        services.assignment_complete(
            assignment=part(decision, "mon"), user=mon_officer, note="Обучено 40 инспекторов."
        )
    done = part(decision, "mon")
    assert done.is_done and not done.was_late and not done.is_overdue
    assert done.completed_by == mon_officer and done.note == "Обучено 40 инспекторов."


def test_done_after_the_due_day_is_late(decision, mon_officer):
    with time_machine.travel(AFTER_MIDNIGHT, tick=False):
        services.assignment_complete(
            assignment=part(decision, "mon"), user=mon_officer, note="Обучено позже."
        )
    assert part(decision, "mon").was_late
    event = AuditEvent.objects.get(action=AuditEvent.Action.ASSIGNMENT_COMPLETED)
    assert event.details == {"decision_id": decision.pk, "agency": "mon", "late": True}


def test_the_secretariat_sees_what_is_overdue(client, decision, mvd_secretariat, mon_officer):
    services.assignment_complete(assignment=part(decision, "mon"), user=mon_officer, note="Да.")
    client.force_login(mvd_secretariat)
    with time_machine.travel(AFTER_MIDNIGHT):
        response = client.get(reverse("assignment_list"), {"state": "overdue"})
    assert [a.agency.code for a in response.context["assignments"]] == ["akimat-almaty"]
    assert response.context["overdue_count"] == 1
    assert "text-danger fw-semibold" in response.content.decode()
    with time_machine.travel(AFTER_MIDNIGHT):
        done = client.get(reverse("assignment_list"), {"state": "done"})
        mon_only = client.get(reverse("assignment_list"), {"agency": "mon"})
    assert [a.agency.code for a in done.context["assignments"]] == ["mon"]
    assert [a.agency.code for a in mon_only.context["assignments"]] == ["mon"]


def test_an_agency_sees_and_answers_its_own_part(client, decision, mon_officer):
    client.force_login(mon_officer)
    page = client.get(reverse("assignment_list"))
    assert [a.agency.code for a in page.context["assignments"]] == ["mon"]
    assert "Отметить исполнение" in page.content.decode()
    assignment = part(decision, "mon")
    response = client.post(
        reverse("assignment_complete", args=[assignment.pk]),
        {"note": "Проведены семинары в 14 областях.", "next": "/commissions/assignments/?state="},
    )
    assert response.status_code == 302 and response.url == "/commissions/assignments/?state="
    assignment.refresh_from_db()
    assert assignment.is_done


def test_a_note_is_required_and_nothing_changes_without_it(client, decision, mon_officer):
    client.force_login(mon_officer)
    assignment = part(decision, "mon")
    response = client.post(
        reverse("assignment_complete", args=[assignment.pk]), {"note": "  "}, follow=True
    )
    assert "Напишите, что сделано по поручению" in response.content.decode()
    assignment.refresh_from_db()
    assert not assignment.is_done
    with pytest.raises(ReportingError, match="Напишите"):
        services.assignment_complete(assignment=assignment, user=mon_officer, note="")


def test_another_agency_cannot_answer(client, decision, akimat_officer, observer, mvd_secretariat):
    assignment = part(decision, "mon")
    for user in (akimat_officer, observer, mvd_secretariat):
        client.force_login(user)
        response = client.post(reverse("assignment_complete", args=[assignment.pk]), {"note": "Я"})
        assert response.status_code == 403
    assignment.refresh_from_db()
    assert not assignment.is_done


def test_a_redirect_never_leaves_the_portal(client, decision, mon_officer):
    client.force_login(mon_officer)
    response = client.post(
        reverse("assignment_complete", args=[part(decision, "mon").pk]),
        {"note": "Сделано.", "next": "https://evil.example.com/"},
    )
    assert response.url == reverse("assignment_list")


def test_the_mark_is_taken_back_by_the_agency_or_the_secretariat(
    client, decision, mon_officer, akimat_officer, mtszn_secretariat
):
    assignment = part(decision, "mon")
    services.assignment_complete(assignment=assignment, user=mon_officer, note="Сделано.")
    with pytest.raises(PermissionRefused):
        services.assignment_reopen(assignment=assignment, user=akimat_officer)
    services.assignment_reopen(assignment=assignment, user=mtszn_secretariat)
    assignment.refresh_from_db()
    assert not assignment.is_done and assignment.note == ""
    with pytest.raises(ReportingError, match="не отмечено"):
        services.assignment_reopen(assignment=assignment, user=mon_officer)
    services.assignment_complete(assignment=assignment, user=mon_officer, note="Сделано снова.")
    with pytest.raises(ReportingError, match="уже отмечено"):
        services.assignment_complete(assignment=assignment, user=mon_officer, note="Ещё раз.")


def test_an_agency_that_answered_stays_on_the_decision(decision, mvd_secretariat, mon_officer, mon):
    services.assignment_complete(assignment=part(decision, "mon"), user=mon_officer, note="Да.")
    with pytest.raises(ReportingError, match="уже отметило исполнение"):
        services.decision_update(
            decision=decision, user=mvd_secretariat, number="2.1", text=decision.text,
            due_date=decision.due_date, agencies=[Agency.objects.get(code="akimat-almaty")],
        )  # fmt: skip
    assert decision.assignments.count() == 2
    # Another agency can be added and one that has not answered removed.
    mid = Agency.objects.get(code="mid")
    services.decision_update(
        decision=decision, user=mvd_secretariat, number="2.1", text="Уточнено.",
        due_date=D(2020, 4, 30), agencies=[mon, mid],
    )  # fmt: skip
    decision.refresh_from_db()
    assert sorted(decision.assignments.values_list("agency__code", flat=True)) == ["mid", "mon"]
    assert part(decision, "mon").is_done  # its answer is kept
    with pytest.raises(ReportingError, match="удалить его нельзя"):
        services.decision_delete(decision=decision, user=mvd_secretariat)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"due_date": None}, "Укажите срок исполнения"),
        ({"due_date": D(2019, 12, 31)}, "раньше даты заседания"),
        ({"number": "2.1"}, "Пункт 2.1 в этом протоколе уже записан"),
        ({"text": " "}, "Укажите текст решения"),
    ],
)
def test_bad_decisions_are_refused(decision, mvd_secretariat, mon, fields, message):
    data = {
        "number": "3",
        "text": "Решение",
        "due_date": D(2020, 5, 1),
        "agencies": [mon],
        **fields,
    }
    with pytest.raises(ReportingError, match=message):
        services.decision_add(meeting=decision.meeting, user=mvd_secretariat, **data)
    assert ProtocolDecision.objects.count() == 1
    assert DecisionAssignment.objects.count() == 2


def test_a_regional_commissions_decisions_address_no_agency(akimat_officer, mon):
    meeting = regional(akimat_officer, D(2019, 4, 2))
    decision = services.decision_add(
        meeting=meeting, user=akimat_officer, number="1", text="Усилить работу мобильных групп."
    )
    assert not decision.assignments.exists()
    with pytest.raises(ReportingError, match="у решения региональной комиссии их нет"):
        services.decision_add(
            meeting=meeting, user=akimat_officer, number="2", text="x",
            due_date=D(2019, 5, 1), agencies=[mon],
        )  # fmt: skip


def test_decisions_are_added_from_the_meeting_page(client, mvd_secretariat):
    meeting = national(mvd_secretariat, D(2020, 1, 15))
    client.force_login(mvd_secretariat)
    page = client.get(meeting.get_absolute_url())
    assert "Добавить решение" in page.content.decode()
    mon = Agency.objects.get(code="mon")
    response = client.post(
        reverse("decision_add", args=[meeting.pk]),
        {
            "number": "1",
            "text": "Подготовить доклад.",
            "due_date": "2020-02-28",
            "agencies": [mon.pk],
        },
    )
    assert response.status_code == 302
    assert meeting.decisions.get().assignments.get().agency == mon
    bad = client.post(
        reverse("decision_add", args=[meeting.pk]),
        {"number": "2", "text": "Без срока.", "agencies": [mon.pk]},
    )
    assert bad.status_code == 400 and "Укажите срок исполнения" in bad.content.decode()
    assert meeting.decisions.count() == 1


def test_the_home_page_tells_an_agency_of_its_open_parts(client, decision, mon_officer):
    client.force_login(mon_officer)
    with time_machine.travel(AFTER_MIDNIGHT):
        content = client.get(reverse("home")).content.decode()
    assert "не исполнено: 1, из них просрочено: 1" in content
