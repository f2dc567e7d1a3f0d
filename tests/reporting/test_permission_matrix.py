"""Every URL of the reporting app × every role × own/other agency × report state: the status
code a user gets, and on refusal that nothing changed."""

import pytest
from django.urls import reverse

from agencies.models import User
from reporting import services
from reporting.models import AnnualReport, ReportEntry
from tests.conftest import PASSWORD
from tests.reporting.conftest import fill
from tests.reporting.documents import PDF, upload

pytestmark = pytest.mark.django_db

STATES = ["draft", "submitted", "returned", "accepted"]
ROLES = ["anonymous", "mon_officer", "akimat_officer", "mvd_secretariat", "mtszn_secretariat",
         "observer", "admin"]  # fmt: skip
READERS = {"mon_officer", "mvd_secretariat", "mtszn_secretariat", "observer", "admin"}


def expected(action, role, state):
    """(status code, whether the action changes the report)."""
    if role == "anonymous":
        return 302, False  # to the login page
    if role == "akimat_officer":
        return 404, False  # another agency's report is private
    editable = state in ("draft", "returned")
    if action in ("detail", "download"):
        return 200, False
    if action == "edit_form":
        if role == "mon_officer":
            return (200 if editable else 302), False
        return 403, False
    if action in ("edit", "add_entry", "delete_document", "submit"):
        return (302, editable) if role == "mon_officer" else (403, False)
    if action in ("accept", "return"):
        return (302, state == "submitted") if role == "mvd_secretariat" else (403, False)
    if action == "reopen":
        return (302, state == "accepted") if role == "mvd_secretariat" else (403, False)
    raise AssertionError(action)


def request(client, action, report, entry, document, open_measure):
    post = client.post
    match action:
        case "detail":
            return client.get(reverse("report_detail", args=[report.pk]))
        case "download":
            return client.get(reverse("attachment_download", args=[document.pk]))
        case "edit_form":
            return client.get(reverse("entry_edit", args=[report.pk, entry.pk]))
        case "edit":
            return post(
                reverse("entry_edit", args=[report.pk, entry.pk]),
                {"status": "partial", "narrative": "Изменено", "version": entry.version},
            )
        case "add_entry":
            return post(reverse("entry_add", args=[report.pk]), {"measure": open_measure.pk})
        case "delete_document":
            return post(reverse("attachment_delete", args=[document.pk]))
        case "submit":
            return post(reverse("report_submit", args=[report.pk]))
        case "accept" | "return" | "reopen":
            return post(reverse(f"report_{action}", args=[report.pk]), {"comment": "Причина."})


def snapshot(report):
    report = AnnualReport.objects.get(pk=report.pk)
    return (
        report.state,
        report.submitted_at,
        report.reviewed_at,
        sorted(ReportEntry.objects.filter(report=report).values_list(
            "measure__number", "status", "narrative", "version")),
        report.comments.count(),
        sorted(report.entries.values_list("attachments__original_name", flat=True).exclude(
            attachments=None)),
    )  # fmt: skip


@pytest.fixture
def cast(mon_officer, akimat_officer, mvd_secretariat, mtszn_secretariat, observer, admin_user):
    return {
        "mon_officer": mon_officer,
        "akimat_officer": akimat_officer,
        "mvd_secretariat": mvd_secretariat,
        "mtszn_secretariat": mtszn_secretariat,
        "observer": observer,
        "admin": admin_user,
    }


@pytest.fixture
def world(mon_report, mon_officer):
    fill(mon_report, mon_officer)
    entry = mon_report.entries.order_by("measure__position").first()
    document = services.attachment_add(entry=entry, user=mon_officer, file=upload("a.pdf", PDF))
    open_measure = mon_report.cycle.plan.measures.get(number="9")
    return mon_report, entry, document, open_measure


ACTIONS = ["detail", "download", "edit_form", "edit", "add_entry", "delete_document", "submit",
           "accept", "return", "reopen"]  # fmt: skip


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ACTIONS)
def test_permission_matrix(client, cast, world, action, role, state):
    report, entry, document, open_measure = world
    AnnualReport.objects.filter(pk=report.pk).update(
        state=state, submitted_at=None if state == "draft" else "2020-01-15T10:00Z"
    )
    entry.refresh_from_db()
    if role != "anonymous":
        assert client.login(username=cast[role].username, password=PASSWORD)
    before = snapshot(report)
    response = request(client, action, report, entry, document, open_measure)
    status, changes = expected(action, role, state)
    assert response.status_code == status
    if role == "anonymous":
        assert response["Location"].startswith(reverse("login"))
    assert (snapshot(report) != before) is changes


def test_an_entry_of_another_report_is_404_through_ones_own(
    client, mon_report, akimat_officer, cycle_2019
):
    from agencies.models import Agency

    other = services.report_open(cycle=cycle_2019, agency=Agency.objects.get(code="mid"))
    foreign_entry = other.entries.first()
    client.force_login(akimat_officer)
    own = services.report_open(cycle=cycle_2019, agency=akimat_officer.agency)
    response = client.get(reverse("entry_edit", args=[own.pk, foreign_entry.pk]))
    assert response.status_code == 404


def test_starting_a_report(client, mon_officer, observer, cycle_2019):
    client.force_login(observer)
    assert client.post(reverse("report_start", args=[cycle_2019.pk])).status_code == 403
    assert not AnnualReport.objects.exists()
    client.force_login(mon_officer)
    response = client.post(reverse("report_start", args=[cycle_2019.pk]))
    report = AnnualReport.objects.get()
    assert response.url == report.get_absolute_url()
    assert report.agency == mon_officer.agency
    assert client.get(reverse("report_start", args=[cycle_2019.pk])).status_code == 405


def test_the_report_list_is_scoped(client, mon_report, akimat_officer, observer, cycle_2019):
    services.report_open(cycle=cycle_2019, agency=akimat_officer.agency)
    client.force_login(akimat_officer)
    reports = client.get(reverse("report_list")).context["reports"]
    assert [r.agency for r in reports] == [akimat_officer.agency]
    client.force_login(observer)
    assert len(client.get(reverse("report_list")).context["reports"]) == 2


def test_an_inactive_user_reads_nothing(mon_report, mon_officer):
    mon_officer.is_active = False
    assert not AnnualReport.objects.for_user(mon_officer).exists()
    officer_without_agency = User(username="x", role="officer")
    assert not AnnualReport.objects.for_user(officer_without_agency).exists()
