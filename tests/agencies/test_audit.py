"""The audit trail: every audited action writes one event naming who, when, from where and what;
refused or rolled-back actions write none; the search page and the admin only read it."""

import datetime

import pytest
import time_machine
from django.db import transaction
from django.urls import reverse

from agencies.audit import audit_record
from agencies.models import AuditEvent
from reporting import services
from reporting.exceptions import IncompleteReport, ReportingError, StateRefused
from reporting.models import AnnualReport, Attachment, Summary
from tests.conftest import PASSWORD
from tests.reporting import conftest as reporting_fixtures
from tests.reporting.documents import PDF, upload

# The report fixtures of tests/reporting, used here by the same names.
cycle_2019 = reporting_fixtures.cycle_2019
mon_report = reporting_fixtures.mon_report
mon_filled = reporting_fixtures.mon_filled
mon_submitted = reporting_fixtures.mon_submitted

pytestmark = pytest.mark.django_db
Action = AuditEvent.Action
ADDRESS = "203.0.113.7"
SIGN_INS = (Action.SIGN_IN, Action.SIGN_IN_FAILED, Action.SIGN_OUT)


def events(action=None):
    """The events written so far, oldest first; force_login's sign-ins are left out."""
    qs = AuditEvent.objects.order_by("pk")
    return list(qs.filter(action=action) if action else qs.exclude(action__in=SIGN_INS))


def the_event(action):
    [event] = events(action)
    return event


def assert_event(event, *, user, obj, address=ADDRESS):
    assert event.user == user
    assert event.username == (user.username if user else "")
    assert event.ip_address == address
    assert (event.object_type, event.object_id) == (obj._meta.label_lower, obj.pk)


# Sign-in, failed sign-in, sign-out


def test_sign_in_is_recorded_with_the_address(client, mon_officer):
    response = client.post(
        reverse("login"),
        {"username": "mon_officer", "password": PASSWORD},
        REMOTE_ADDR=ADDRESS,
    )
    assert response.status_code == 302
    assert_event(the_event(Action.SIGN_IN), user=mon_officer, obj=mon_officer)


@pytest.mark.parametrize("username", ["mon_officer", "nobody_here"])
def test_a_failed_sign_in_keeps_the_name_tried_never_the_password(client, mon_officer, username):
    client.post(
        reverse("login"),
        {"username": username, "password": "Tr0ub4dor&3-wrong"},
        REMOTE_ADDR=ADDRESS,
    )
    event = the_event(Action.SIGN_IN_FAILED)
    assert (event.user, event.username, event.ip_address) == (None, username, ADDRESS)
    stored = AuditEvent.objects.filter(pk=event.pk).values_list().get()
    assert "Tr0ub4dor" not in repr(stored)
    assert not events(Action.SIGN_IN)


def test_attempts_refused_by_the_lockout_are_recorded_as_such(client, mon_officer, settings):
    settings.AXES_ENABLED = True
    for password in ["wrong"] * 5 + [PASSWORD]:
        client.post(
            reverse("login"),
            {"username": "mon_officer", "password": password},
            REMOTE_ADDR=ADDRESS,
        )
    failures = events(Action.SIGN_IN_FAILED)
    assert len(failures) == 6 and not events(Action.SIGN_IN)
    assert failures[0].details == {}
    assert failures[-1].details == {"locked_out": True}  # even with the right password


def test_sign_out_is_recorded(client, mon_officer):
    client.post(reverse("login"), {"username": "mon_officer", "password": PASSWORD})
    client.post(reverse("logout"), REMOTE_ADDR=ADDRESS)
    assert_event(the_event(Action.SIGN_OUT), user=mon_officer, obj=mon_officer)
    client.post(reverse("logout"), REMOTE_ADDR=ADDRESS)  # no session: nothing to record
    assert len(events(Action.SIGN_OUT)) == 1


@pytest.mark.parametrize(
    ("trusted", "forwarded", "recorded"),
    [
        (False, "198.51.100.1", "10.0.0.2"),  # anyone can send the header
        (True, "198.51.100.1", "198.51.100.1"),
        # A client's own header comes first; the proxy appends the address it saw.
        (True, "6.6.6.6, 198.51.100.1", "198.51.100.1"),
        (True, "not-an-address", "10.0.0.2"),
        (True, "", "10.0.0.2"),
    ],
)
def test_the_forwarded_address_counts_only_behind_the_portals_proxy(
    client, mon_officer, settings, trusted, forwarded, recorded
):
    settings.AUDIT_TRUST_X_FORWARDED_FOR = trusted
    client.post(
        reverse("login"),
        {"username": "mon_officer", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR=forwarded,
    )
    assert the_event(Action.SIGN_IN).ip_address == recorded


def test_outside_a_request_there_is_no_address(mon_submitted, mon_officer):
    event = the_event(Action.REPORT_SUBMITTED)
    assert (event.user, event.ip_address) == (mon_officer, None)


# Reports


def test_submit_is_recorded_once(client, mon_filled, mon_officer):
    client.force_login(mon_officer)
    url = reverse("report_submit", args=[mon_filled.pk])
    assert client.post(url, REMOTE_ADDR=ADDRESS).status_code == 302
    event = the_event(Action.REPORT_SUBMITTED)
    assert_event(event, user=mon_officer, obj=mon_filled)
    assert event.details == {"agency": "mon", "year": 2019, "state": "submitted", "is_late": True}
    assert event.description == "МОН — 2019"

    client.post(url, REMOTE_ADDR=ADDRESS)  # refused: already submitted
    assert len(events()) == 1


def test_an_incomplete_submission_writes_nothing(client, mon_report, mon_officer):
    with pytest.raises(IncompleteReport):
        services.report_submit(report=mon_report, user=mon_officer)
    client.force_login(mon_officer)
    assert client.post(reverse("report_submit", args=[mon_report.pk])).status_code == 400
    assert events() == []


@pytest.mark.parametrize(
    ("view", "action", "state"),
    [
        ("report_accept", Action.REPORT_ACCEPTED, AnnualReport.State.ACCEPTED),
        ("report_return", Action.REPORT_RETURNED, AnnualReport.State.RETURNED),
    ],
)
def test_review_is_recorded(client, mon_submitted, mvd_secretariat, view, action, state):
    client.force_login(mvd_secretariat)
    client.post(reverse(view, args=[mon_submitted.pk]), {"comment": "Уточните п. 4."})
    mon_submitted.refresh_from_db()
    assert mon_submitted.state == state
    event = the_event(action)
    assert_event(event, user=mvd_secretariat, obj=mon_submitted, address="127.0.0.1")
    assert event.details["comment_id"] == mon_submitted.comments.get().pk


def test_reopen_is_recorded(client, mon_submitted, mvd_secretariat):
    services.report_accept(report=mon_submitted, user=mvd_secretariat)
    client.force_login(mvd_secretariat)
    client.post(
        reverse("report_reopen", args=[mon_submitted.pk]),
        {"comment": "Нужна правка."},
        REMOTE_ADDR=ADDRESS,
    )
    assert_event(the_event(Action.REPORT_REOPENED), user=mvd_secretariat, obj=mon_submitted)


def test_a_refused_review_writes_nothing(client, mon_submitted, mtszn_secretariat, mvd_secretariat):
    client.force_login(mtszn_secretariat)  # not the 2019 coordinator
    assert client.post(reverse("report_accept", args=[mon_submitted.pk])).status_code == 403
    client.force_login(mvd_secretariat)
    client.post(reverse("report_return", args=[mon_submitted.pk]), {"comment": ""})  # no reason
    with pytest.raises(StateRefused):
        services.report_reopen(report=mon_submitted, user=mvd_secretariat, comment="Рано.")
    assert [e.action for e in events()] == [Action.REPORT_SUBMITTED]


def test_a_rolled_back_change_leaves_no_event(mon_filled, mon_officer):
    with pytest.raises(RuntimeError), transaction.atomic():
        services.report_submit(report=mon_filled, user=mon_officer)
        assert len(events()) == 1  # written with the change...
        raise RuntimeError("the request failed later")
    assert events() == []  # ...and gone with it
    mon_filled.refresh_from_db()
    assert mon_filled.state == AnnualReport.State.DRAFT


def test_a_change_whose_event_cannot_be_written_does_not_happen(
    mon_filled, mon_officer, monkeypatch
):
    def broken(**kwargs):
        raise RuntimeError("audit table unavailable")

    monkeypatch.setattr(AuditEvent.objects, "create", broken)
    with pytest.raises(RuntimeError):
        services.report_submit(report=mon_filled, user=mon_officer)
    mon_filled.refresh_from_db()
    assert mon_filled.state == AnnualReport.State.DRAFT


# The summary


def test_summary_generate_edit_send_and_downloads(client, mon_submitted, mvd_secretariat):
    cycle = mon_submitted.cycle
    client.force_login(mvd_secretariat)
    client.post(reverse("summary_generate", args=[cycle.pk]), REMOTE_ADDR=ADDRESS)
    summary = Summary.objects.get(cycle=cycle)
    generated = the_event(Action.SUMMARY_GENERATED)
    assert_event(generated, user=mvd_secretariat, obj=summary)
    assert generated.details["year"] == 2019 and generated.details["overwrite"] is False

    item = summary.items.select_related("measure").first()
    client.post(
        reverse("summary_item_edit", args=[cycle.pk, item.pk]),
        {"status": "done", "text": "Исполнено.", "version": item.version},
        REMOTE_ADDR=ADDRESS,
    )
    edited = the_event(Action.SUMMARY_ITEM_EDITED)
    assert_event(edited, user=mvd_secretariat, obj=item)
    assert edited.details["measure"] == item.measure.number

    for kind in ("xlsx", "docx"):
        response = client.get(reverse(f"summary_{kind}", args=[cycle.pk]), REMOTE_ADDR=ADDRESS)
        assert response.status_code == 200
    client.post(reverse("summary_send", args=[cycle.pk]), REMOTE_ADDR=ADDRESS)
    assert_event(the_event(Action.SUMMARY_SENT), user=mvd_secretariat, obj=summary)
    client.get(reverse("summary_xlsx", args=[cycle.pk]), REMOTE_ADDR=ADDRESS)

    exported = events(Action.SUMMARY_EXPORTED)
    for event in exported:
        assert_event(event, user=mvd_secretariat, obj=summary)
    assert [(e.details["format"], e.details["as_sent"]) for e in exported] == [
        ("xlsx", False),
        ("docx", False),
        ("xlsx", True),
    ]
    # Sending again is refused, and so is editing a sent summary: nothing more is written.
    client.post(reverse("summary_send", args=[cycle.pk]))
    client.post(reverse("summary_generate", args=[cycle.pk]))
    assert len(events(Action.SUMMARY_SENT)) == len(events(Action.SUMMARY_GENERATED)) == 1


def test_the_analysts_export_is_recorded(client, mon_submitted, observer):
    client.force_login(observer)
    response = client.get(
        reverse("cycle_entries_xlsx", args=[mon_submitted.cycle.pk]), REMOTE_ADDR=ADDRESS
    )
    assert response.status_code == 200
    assert_event(the_event(Action.ENTRIES_EXPORTED), user=observer, obj=mon_submitted.cycle)


def test_an_officer_refused_an_export_writes_nothing(client, mon_submitted, mon_officer):
    client.force_login(mon_officer)
    cycle = mon_submitted.cycle
    assert client.get(reverse("cycle_entries_xlsx", args=[cycle.pk])).status_code == 403
    assert client.get(reverse("summary_xlsx", args=[cycle.pk])).status_code == 403
    assert events() == [the_event(Action.REPORT_SUBMITTED)]


# Supporting documents


def test_document_upload_download_and_delete(client, mon_report, mon_officer, observer):
    entry = mon_report.entries.select_related("measure").first()
    client.force_login(mon_officer)
    client.post(
        reverse("entry_edit", args=[mon_report.pk, entry.pk]),
        {
            "status": "done",
            "narrative": "Сделано.",
            "version": entry.version,
            "documents": [upload("протокол.pdf", PDF)],
        },
        REMOTE_ADDR=ADDRESS,
    )
    attachment = Attachment.objects.get()
    uploaded = the_event(Action.DOCUMENT_UPLOADED)
    assert_event(uploaded, user=mon_officer, obj=attachment)
    assert uploaded.details == {
        "file_name": "протокол.pdf",
        "size": len(PDF),
        "report_id": mon_report.pk,
        "agency": "mon",
        "year": 2019,
        "measure": entry.measure.number,
    }
    assert uploaded.description.startswith("протокол.pdf (МОН — 2019")

    client.force_login(observer)
    url = reverse("attachment_download", args=[attachment.pk])
    response = client.get(url, REMOTE_ADDR=ADDRESS)
    assert b"".join(response.streaming_content) == PDF
    assert_event(the_event(Action.DOCUMENT_DOWNLOADED), user=observer, obj=attachment)

    client.force_login(mon_officer)
    client.post(reverse("attachment_delete", args=[attachment.pk]), REMOTE_ADDR=ADDRESS)
    deleted = the_event(Action.DOCUMENT_DELETED)
    assert (deleted.object_id, deleted.details["file_name"]) == (attachment.pk, "протокол.pdf")
    assert deleted.user == mon_officer


def test_refused_document_actions_write_nothing(
    client, mon_report, mon_officer, akimat_officer, mvd_secretariat
):
    entry = mon_report.entries.first()
    attachment = services.attachment_add(entry=entry, user=mon_officer, file=upload("a.pdf", PDF))
    before = events()
    client.force_login(akimat_officer)  # another agency's document is private
    assert client.get(reverse("attachment_download", args=[attachment.pk])).status_code == 404
    assert client.post(reverse("attachment_delete", args=[attachment.pk])).status_code == 404
    client.force_login(mvd_secretariat)  # may read it, not delete it
    assert client.post(reverse("attachment_delete", args=[attachment.pk])).status_code == 403
    with pytest.raises(ReportingError, match="не соответствует"):
        services.attachment_add(entry=entry, user=mon_officer, file=upload("b.pdf", b"text"))
    assert events() == before


def test_removing_a_voluntary_entry_records_its_documents_deletion(mon_report, mon_officer):
    from reporting import selectors

    measure = selectors.open_measures_to_add(report=mon_report).first()
    entry = services.entry_add_voluntary(report=mon_report, measure=measure, user=mon_officer)
    attachment = services.attachment_add(entry=entry, user=mon_officer, file=upload("a.pdf", PDF))
    services.entry_remove_voluntary(entry=entry, user=mon_officer)
    assert the_event(Action.DOCUMENT_DELETED).object_id == attachment.pk


# The events themselves


def test_an_event_is_never_changed_or_deleted(mon_submitted, mon_officer):
    event = the_event(Action.REPORT_SUBMITTED)
    event.description = "подделка"
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    assert AuditEvent.objects.get(pk=event.pk).description == "МОН — 2019"


def test_the_username_outlives_the_account(mon_submitted, mon_officer):
    from tests.factories import UserFactory

    temporary = UserFactory(username="temporary")
    audit_record(action=Action.SIGN_IN, user=temporary, obj=temporary)
    temporary.delete()
    event = the_event(Action.SIGN_IN)
    assert (event.user, event.username) == (None, "temporary")


# The search page


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("admin_user", 200),
        ("mvd_secretariat", 200),
        ("mtszn_secretariat", 200),
        ("mon_officer", 403),
        ("akimat_officer", 403),
        ("observer", 403),
    ],
)
def test_who_may_search_the_trail(client, request, who, status):
    user = request.getfixturevalue(who)
    client.force_login(user)
    response = client.get(reverse("audit_log"))
    assert response.status_code == status
    link = f'href="{reverse("audit_log")}"'
    home = client.get(reverse("plan_list")).content.decode()
    assert (link in home) == (status == 200)


def test_anonymous_users_are_sent_to_sign_in(client):
    response = client.get(reverse("audit_log"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_page_only_reads(client, mvd_secretariat, mon_submitted):
    client.force_login(mvd_secretariat)
    before = AuditEvent.objects.count()
    assert client.post(reverse("audit_log")).status_code == 405
    client.get(reverse("audit_log"))
    client.get(reverse("report_detail", args=[mon_submitted.pk]))
    assert AuditEvent.objects.count() == before  # reading pages is not an audited event


def found(client, **params):
    response = client.get(reverse("audit_log"), params)
    assert response.status_code == 200
    return [(e.action, e.username) for e in response.context["events"]]


@pytest.fixture
def trail(db, mon_officer, mvd_secretariat):
    """Events on three days: 10 January (МОН signs in from 10.1.1.1), 15 January (a failed
    sign-in as «intruder» from 10.2.2.2), 20 January (МОН submits)."""

    def at(day, **kwargs):
        when = datetime.datetime(2020, 1, day, 12, 0, tzinfo=datetime.UTC)
        with time_machine.travel(when, tick=False):
            return AuditEvent.objects.create(**kwargs)

    at(10, action=Action.SIGN_IN, user=mon_officer, username="mon_officer", ip_address="10.1.1.1")
    at(15, action=Action.SIGN_IN_FAILED, username="intruder", ip_address="10.2.2.2")
    at(
        20,
        action=Action.REPORT_SUBMITTED,
        user=mon_officer,
        username="mon_officer",
        description="МОН — 2019",
        ip_address="10.1.1.1",
    )
    return mvd_secretariat


def test_filters(client, trail):
    client.force_login(trail)
    AuditEvent.objects.filter(username="mvd_secretariat").delete()  # force_login's sign-in
    newest_first = [
        (Action.REPORT_SUBMITTED, "mon_officer"),
        (Action.SIGN_IN_FAILED, "intruder"),
        (Action.SIGN_IN, "mon_officer"),
    ]
    assert found(client) == newest_first
    assert found(client, search="10.2.2") == [(Action.SIGN_IN_FAILED, "intruder")]
    assert found(client, search="2019") == [(Action.REPORT_SUBMITTED, "mon_officer")]
    assert found(client, username="mon_officer") == [newest_first[0], newest_first[2]]
    assert found(client, username="mon") == []  # the name as a whole
    assert found(client, action=Action.SIGN_IN_FAILED) == [newest_first[1]]
    in_january = {"date_from": "2020-01-11", "date_to": "2020-01-20"}
    assert found(client, **in_january) == newest_first[:2]
    assert found(client, date_to="2020-01-10") == [newest_first[2]]
    assert found(client, username="mon_officer", **in_january) == [newest_first[0]]


def test_pages_of_50_with_the_filters_kept(client, mvd_secretariat):
    AuditEvent.objects.bulk_create(
        AuditEvent(action=Action.SIGN_IN_FAILED, username=f"guess{n:03}") for n in range(120)
    )
    client.force_login(mvd_secretariat)
    first = client.get(reverse("audit_log"), {"action": Action.SIGN_IN_FAILED})
    assert len(first.context["events"]) == 50
    assert first.context["events"][0].username == "guess119"  # newest first
    assert "?action=sign_in_failed&amp;page=2" in first.content.decode()
    last = client.get(reverse("audit_log"), {"action": Action.SIGN_IN_FAILED, "page": 3})
    assert [e.username for e in last.context["events"]][-1] == "guess000"
    assert len(last.context["events"]) == 20


def test_the_query_count_does_not_grow_with_events(
    client, mvd_secretariat, mon_officer, django_assert_num_queries
):
    client.force_login(mvd_secretariat)  # one sign-in event
    filters = {"action": Action.SIGN_IN, "search": "_"}
    # session, user, the count of matching events, the page of events with their users
    with django_assert_num_queries(4):
        response = client.get(reverse("audit_log"), filters)
    assert len(response.context["events"]) == 1
    AuditEvent.objects.bulk_create(
        AuditEvent(action=Action.SIGN_IN, user=user, username=user.username)
        for user in [mon_officer, mvd_secretariat] * 40
    )
    with django_assert_num_queries(4):
        response = client.get(reverse("audit_log"), filters)
    assert len(response.context["events"]) == 50


# The admin


def test_the_admin_lists_and_searches_the_trail(client, admin_user, mon_submitted):
    client.force_login(admin_user)
    url = reverse("admin:agencies_auditevent_changelist")
    assert client.get(url).status_code == 200
    response = client.get(url, {"q": "МОН — 2019", "action__exact": Action.REPORT_SUBMITTED})
    assert [e.action for e in response.context["cl"].result_list] == [Action.REPORT_SUBMITTED]
    event = the_event(Action.REPORT_SUBMITTED)
    page = client.get(reverse("admin:agencies_auditevent_change", args=[event.pk]))
    assert page.status_code == 200  # to read
    assert 'name="_save"' not in page.content.decode()


def test_the_admin_cannot_add_change_or_delete(client, admin_user, mon_submitted):
    client.force_login(admin_user)
    event = the_event(Action.REPORT_SUBMITTED)
    change = reverse("admin:agencies_auditevent_change", args=[event.pk])
    delete = reverse("admin:agencies_auditevent_delete", args=[event.pk])
    add = reverse("admin:agencies_auditevent_add")
    assert client.get(add).status_code == 403
    assert client.post(add, {"action": Action.SIGN_IN, "username": "forged"}).status_code == 403
    assert client.post(change, {"description": "подделка"}).status_code == 403
    assert client.get(delete).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    changelist = reverse("admin:agencies_auditevent_changelist")
    client.post(changelist, {"action": "delete_selected", "_selected_action": [event.pk]})
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.description == "МОН — 2019"
    assert not AuditEvent.objects.filter(username="forged").exists()
