"""The register of meetings: the secretariat records the national commission's, each akimat its
regional commission's; bad input is refused with a message and changes nothing."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from agencies.models import AuditEvent
from commissions import services
from commissions.models import CommissionMeeting
from reporting.exceptions import PermissionRefused, ReportingError
from tests.commissions.conftest import D, national, protocol, regional
from tests.reporting.documents import PDF, upload

pytestmark = pytest.mark.django_db


def stored_files(settings):
    root = settings.PRIVATE_MEDIA_ROOT
    return sorted(p.name for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_the_secretariat_records_a_national_meeting_with_its_protocol(
    client, mvd_secretariat, settings
):
    client.force_login(mvd_secretariat)
    response = client.post(
        reverse("meeting_create"),
        {
            "held_on": "2019-03-14",
            "protocol_number": "1",
            "agenda": "О ходе исполнения Плана за 2018 год",
            "document": upload("Протокол №1.pdf", PDF),
        },
    )
    meeting = CommissionMeeting.objects.get()
    assert response.status_code == 302 and response.url == meeting.get_absolute_url()
    assert meeting.agency is None and meeting.held_on == D(2019, 3, 14)
    assert (
        meeting.document.original_name == "Протокол №1.pdf"
        and meeting.document.content_type == "application/pdf"
    )
    assert len(stored_files(settings)) == 1
    event = AuditEvent.objects.get(action=AuditEvent.Action.MEETING_RECORDED)
    assert event.user == mvd_secretariat and event.details["commission"] == "mvk"

    download = client.get(reverse("meeting_document", args=[meeting.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert AuditEvent.objects.filter(action=AuditEvent.Action.DOCUMENT_DOWNLOADED).exists()


def test_an_akimat_records_its_own_regional_commissions_meeting(client, akimat_officer, almaty):
    client.force_login(akimat_officer)
    response = client.post(
        reverse("meeting_create"),
        {"held_on": "2019-04-02", "protocol_number": "3", "agenda": "О работе мобильных групп"},
    )
    assert response.status_code == 302
    meeting = CommissionMeeting.objects.get()
    assert meeting.agency == almaty and not meeting.document


def test_other_officers_record_no_meeting(client, mon_officer):
    client.force_login(mon_officer)
    assert client.get(reverse("meeting_create")).status_code == 403
    data = {"held_on": "2019-04-02", "protocol_number": "3", "agenda": "Повестка"}
    assert client.post(reverse("meeting_create"), data).status_code == 403
    assert not CommissionMeeting.objects.exists()
    with pytest.raises(PermissionRefused):
        services.meeting_record(
            user=mon_officer, agency=None, held_on=D(2019, 1, 5), protocol_number="1", agenda="x"
        )


def test_an_akimat_cannot_record_another_akimats_meeting(akimat_officer):
    from agencies.models import Agency

    with pytest.raises(PermissionRefused):
        services.meeting_record(
            user=akimat_officer,
            agency=Agency.objects.get(code="akimat-astana"),
            held_on=D(2019, 1, 5),
            protocol_number="1",
            agenda="x",
        )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"held_on": "2026-12-02"}, "Дата заседания позже сегодняшней"),
        ({"protocol_number": "   "}, "Обязательное поле"),
        ({"agenda": ""}, "Обязательное поле"),
        ({"agenda": "нуль\x00"}, "запрещённый символ: ноль-байт"),
        ({"held_on": "31.02.2019"}, "Введите правильную дату"),
    ],
)
def test_bad_input_is_named_and_writes_nothing(client, mvd_secretariat, data, message):
    client.force_login(mvd_secretariat)
    form = {"held_on": "2019-03-14", "protocol_number": "1", "agenda": "Повестка", **data}
    with time_machine.travel(datetime.datetime(2026, 12, 1, 12, tzinfo=datetime.UTC)):
        response = client.post(reverse("meeting_create"), form)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not CommissionMeeting.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.MEETING_RECORDED).exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"protocol_number": " "}, "Укажите номер протокола"),
        ({"agenda": "\n"}, "Укажите повестку дня"),
        ({"agenda": "\x00"}, "NUL"),
        ({"held_on": None}, "Укажите дату заседания"),
    ],
)
def test_the_service_refuses_what_a_form_would(mvd_secretariat, fields, message):
    data = {"held_on": D(2019, 3, 14), "protocol_number": "1", "agenda": "Повестка", **fields}
    with pytest.raises(ReportingError, match=message):
        services.meeting_record(user=mvd_secretariat, agency=None, **data)
    assert not CommissionMeeting.objects.exists()


def test_a_meeting_recorded_twice_is_refused(client, mvd_secretariat):
    national(mvd_secretariat, D(2019, 3, 14), "1")
    client.force_login(mvd_secretariat)
    response = client.post(
        reverse("meeting_create"),
        {"held_on": "2019-03-14", "protocol_number": "1", "agenda": "Та же повестка"},
    )
    assert response.status_code == 400
    assert "Заседание с протоколом № 1 от 14.03.2019 уже записано" in response.content.decode()
    assert CommissionMeeting.objects.count() == 1


def test_the_same_protocol_number_in_two_commissions_is_fine(mvd_secretariat, akimat_officer):
    national(mvd_secretariat, D(2019, 3, 14), "1")
    regional(akimat_officer, D(2019, 3, 14), "1")
    assert CommissionMeeting.objects.count() == 2


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("protocol.exe", b"MZ\x90\x00", "такой тип не принимается"),
        ("protocol.pdf", b"not a pdf at all", "содержимое не соответствует расширению"),
    ],
)
def test_a_wrong_document_is_refused_and_nothing_is_stored(
    client, mvd_secretariat, settings, name, content, message
):
    client.force_login(mvd_secretariat)
    response = client.post(
        reverse("meeting_create"),
        {
            "held_on": "2019-03-14",
            "protocol_number": "1",
            "agenda": "Повестка",
            "document": upload(name, content),
        },
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not CommissionMeeting.objects.exists()
    assert stored_files(settings) == []


def test_an_oversized_protocol_leaves_the_meeting_as_it_was(client, mvd_secretariat, settings):
    meeting = national(mvd_secretariat, D(2019, 3, 14), "1", document=protocol())
    settings.ATTACHMENT_MAX_SIZE = 100
    client.force_login(mvd_secretariat)
    response = client.post(
        reverse("meeting_edit", args=[meeting.pk]),
        {
            "held_on": "2019-03-15",
            "protocol_number": "2",
            "agenda": "Новая повестка",
            "document": upload("big.pdf", PDF + b"0" * 200),
        },
    )
    assert response.status_code == 400
    assert "больше" in response.content.decode()
    meeting.refresh_from_db()
    assert (meeting.held_on, meeting.protocol_number) == (D(2019, 3, 14), "1")
    assert meeting.document.original_name == "protocol.pdf"
    assert len(stored_files(settings)) == 1


def test_a_new_protocol_replaces_the_old_file_once_saved(
    mvd_secretariat, settings, django_capture_on_commit_callbacks
):
    meeting = national(mvd_secretariat, D(2019, 3, 14), "1", document=protocol("old.pdf"))
    old = meeting.document.file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_update(
            meeting=meeting,
            user=mvd_secretariat,
            held_on=meeting.held_on,
            protocol_number="1",
            agenda="Исправленная повесткa",
            document=protocol("new.pdf"),
        )
    meeting.refresh_from_db()
    assert meeting.document.original_name == "new.pdf"
    assert not meeting.document.file.storage.exists(old)
    assert len(stored_files(settings)) == 1


def test_a_refused_save_removes_the_file_it_wrote(mvd_secretariat, settings):
    national(mvd_secretariat, D(2019, 3, 14), "1")
    with pytest.raises(ReportingError):
        # The duplicate is found by the database at save time (as when two people record the
        # same meeting at once): the protocol written just before must go.
        national(mvd_secretariat, D(2019, 3, 14), "1", agenda="x", document=protocol())
    assert stored_files(settings) == []


def test_the_page_names_who_changed_a_meeting_only_once_it_changed(client, mvd_secretariat):
    meeting = national(mvd_secretariat, D(2019, 3, 14))
    client.force_login(mvd_secretariat)
    assert "изменил" not in client.get(meeting.get_absolute_url()).content.decode()
    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(minutes=5)
    with time_machine.travel(later):
        services.meeting_update(
            meeting=meeting, user=mvd_secretariat, held_on=meeting.held_on,
            protocol_number="1", agenda="Исправленная повестка",
        )  # fmt: skip
    assert "изменил" in client.get(meeting.get_absolute_url()).content.decode()


def test_only_its_recorder_edits_a_meeting(
    client, mvd_secretariat, mtszn_secretariat, akimat_officer
):
    meeting = regional(akimat_officer, D(2019, 4, 2))
    client.force_login(mvd_secretariat)  # reads every meeting, records national ones only
    assert client.get(meeting.get_absolute_url()).status_code == 200
    assert client.get(reverse("meeting_edit", args=[meeting.pk])).status_code == 403
    national_meeting = national(mvd_secretariat, D(2020, 3, 1))
    client.force_login(mtszn_secretariat)  # the commission's secretariat in 2020
    response = client.post(
        reverse("meeting_edit", args=[national_meeting.pk]),
        {"held_on": "2020-03-02", "protocol_number": "1", "agenda": "Исправлено"},
    )
    assert response.status_code == 302
    national_meeting.refresh_from_db()
    assert (
        national_meeting.held_on == D(2020, 3, 2)
        and national_meeting.updated_by == mtszn_secretariat
    )


def test_a_meeting_is_deleted_until_an_agency_reported_on_its_decisions(
    client, mvd_secretariat, mon_officer, mon
):
    meeting = national(mvd_secretariat, D(2019, 3, 14))
    decision = services.decision_add(
        meeting=meeting, user=mvd_secretariat, number="1", text="Представить", due_date=D(2019, 6, 1),
        agencies=[mon],
    )  # fmt: skip
    services.assignment_complete(
        assignment=decision.assignments.get(), user=mon_officer, note="Представлено письмом."
    )
    client.force_login(mvd_secretariat)
    response = client.post(reverse("meeting_delete", args=[meeting.pk]), follow=True)
    assert "удалить его нельзя" in response.content.decode()
    assert CommissionMeeting.objects.filter(pk=meeting.pk).exists()

    other = national(mvd_secretariat, D(2019, 9, 1), "2")
    response = client.post(reverse("meeting_delete", args=[other.pk]))
    assert response.status_code == 302 and response.url == reverse("meeting_list")
    assert not CommissionMeeting.objects.filter(pk=other.pk).exists()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.MEETING_DELETED).count() == 1


def test_the_list_filters_by_commission_and_year(client, observer, mvd_secretariat, akimat_officer):
    national(mvd_secretariat, D(2019, 3, 14))
    national(mvd_secretariat, D(2020, 3, 14))
    regional(akimat_officer, D(2019, 4, 2))
    client.force_login(observer)
    assert len(client.get(reverse("meeting_list")).context["meetings"]) == 3
    filtered = client.get(reverse("meeting_list"), {"commission": "mvk", "year": "2019"})
    assert [m.held_on for m in filtered.context["meetings"]] == [D(2019, 3, 14)]
    by_akimat = client.get(reverse("meeting_list"), {"commission": "akimat-almaty"})
    assert [m.agency.code for m in by_akimat.context["meetings"]] == ["akimat-almaty"]


def test_officers_read_the_national_register_and_their_own_akimats(
    client, mon_officer, akimat_officer, mvd_secretariat
):
    from agencies.models import Agency, User

    national_meeting = national(mvd_secretariat, D(2019, 3, 14))
    almaty_meeting = regional(akimat_officer, D(2019, 4, 2), document=protocol())
    astana = User.objects.create_user(
        username="astana", agency=Agency.objects.get(code="akimat-astana")
    )
    client.force_login(astana)
    assert [m.pk for m in client.get(reverse("meeting_list")).context["meetings"]] == [
        national_meeting.pk
    ]
    assert client.get(almaty_meeting.get_absolute_url()).status_code == 404
    assert client.get(reverse("meeting_document", args=[almaty_meeting.pk])).status_code == 404
    client.force_login(mon_officer)
    assert client.get(national_meeting.get_absolute_url()).status_code == 200


def test_deleting_a_meeting_asks_first_and_names_what_goes(client, mvd_secretariat):
    from django.urls import reverse

    meeting = national(mvd_secretariat, D(2019, 6, 21), "7", document=protocol("Протокол 7.pdf"))
    services.decision_add(
        meeting=meeting, user=mvd_secretariat, number="1", text="Принять к сведению."
    )
    client.force_login(mvd_secretariat)
    url = reverse("meeting_delete", args=[meeting.pk])
    content = client.get(url).content.decode()
    assert "Удалить заседание?" in content and "протокол № 7" in content
    assert "решения: 1" in content and "«Протокол 7.pdf»" in content
    assert CommissionMeeting.objects.filter(pk=meeting.pk).exists()
    client.post(url)
    assert not CommissionMeeting.objects.filter(pk=meeting.pk).exists()


def test_a_meeting_with_answered_decisions_says_why_it_cannot_go(client, mvd_secretariat, mon):
    from django.urls import reverse

    from agencies.models import User

    meeting = national(mvd_secretariat, D(2019, 6, 21))
    decision = services.decision_add(
        meeting=meeting,
        user=mvd_secretariat,
        number="1",
        text="Провести занятия.",
        due_date=D(2019, 9, 1),
        agencies=[mon],
    )
    officer = User.objects.create_user(username="mon_o", agency=mon, role="officer")
    services.assignment_complete(
        assignment=decision.assignments.get(), user=officer, note="Проведены."
    )
    client.force_login(mvd_secretariat)
    content = client.get(reverse("meeting_delete", args=[meeting.pk])).content.decode()
    assert "удалить его нельзя" in content and "Удалить заседание</button>" not in content
    decision_page = client.get(reverse("decision_delete", args=[decision.pk])).content.decode()
    assert "удалить его нельзя" in decision_page
