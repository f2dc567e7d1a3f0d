import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from agencies.models import Agency, User
from commissions import selectors
from commissions.models import (
    CommissionMeeting,
    DecisionAssignment,
    ProtocolDecision,
    RegionalPlan,
)
from reporting.models import AnnualReport

pytestmark = pytest.mark.django_db


def test_it_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    assert not User.objects.exists() and not AnnualReport.objects.exists()
    assert not CommissionMeeting.objects.exists() and not RegionalPlan.objects.exists()


def test_it_creates_accounts_and_reports_in_every_state(settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo")
    out = capsys.readouterr().out
    officers = User.objects.filter(role=User.Role.OFFICER)
    assert officers.count() == Agency.objects.count()
    assert set(officers.values_list("agency__code", flat=True)) == set(
        Agency.objects.values_list("code", flat=True)
    )
    assert User.objects.get(username="mvd.secretariat").agency.code == "mvd"
    assert User.objects.get(username="mtszn.secretariat").role == User.Role.SECRETARIAT
    assert User.objects.get(username="admin").is_superuser
    assert User.objects.get(username="observer").role == User.Role.OBSERVER
    assert set(AnnualReport.objects.values_list("state", flat=True)) == {
        "draft",
        "submitted",
        "returned",
        "accepted",
    }
    # Every printed password signs its user in.
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 2 and User.objects.filter(username=parts[0]).exists():
            assert User.objects.get(username=parts[0]).check_password(parts[1])
    assert "mon.officer" in out

    # A second run renews the passwords and adds no reports.
    call_command("seed_demo")
    assert AnnualReport.objects.count() == 6


def test_privileged_demo_accounts_get_a_second_factor(settings, capsys):
    from agencies import services as account_services

    settings.DEBUG = True
    call_command("seed_demo")
    lines = capsys.readouterr().out.splitlines()
    at = next(i for i, x in enumerate(lines) if x.split()[:2] == ["mtszn.secretariat", "secret"])
    code = lines[at + 1].split("recovery codes")[1].split()[0]
    secretariat = User.objects.get(username="mtszn.secretariat")
    assert account_services.two_factor_verify(user=secretariat, code=code)


def _registers():
    return (
        CommissionMeeting.objects.count(),
        ProtocolDecision.objects.count(),
        DecisionAssignment.objects.count(),
        DecisionAssignment.objects.filter(completed_at__isnull=False).count(),
        RegionalPlan.objects.count(),
    )


def test_it_fills_the_commissions_registers_once(settings, capsys, plan):
    settings.DEBUG = True
    call_command("seed_demo")
    assert "Sample commission registers created:" in capsys.readouterr().out

    national = CommissionMeeting.objects.filter(agency__isnull=True)
    assert {m.created_by.username for m in national if m.held_on.year < 2020} == {"mvd.secretariat"}
    assert {m.created_by.username for m in national if m.held_on.year == 2020} == {
        "mtszn.secretariat"
    }
    regional = CommissionMeeting.objects.filter(agency__isnull=False).select_related(
        "agency", "created_by"
    )
    assert regional.exists()
    assert all(m.created_by.username == f"{m.agency.code}.officer" for m in regional)
    assert all(m.agenda and 1 <= m.decisions.count() <= 3 for m in CommissionMeeting.objects.all())
    assert CommissionMeeting.objects.exclude(document=None).exists()

    # The compliance page shows half-years met, and gaps: a missed one, a commission that
    # never met.
    rows = selectors.compliance(plan=plan).rows
    states = [cell.state for row in rows for cell in row.cells]
    assert selectors.MET in states and selectors.MISSED in states
    assert any(row.agency is not None and not any(c.count for c in row.cells) for row in rows)
    assert any(0 < row.gaps < len(row.cells) for row in rows if row.agency is not None)

    # Decisions addressed to agencies: some marked done by the agency's officer, some overdue.
    assignments = list(DecisionAssignment.objects.select_related("agency", "completed_by"))
    done = [a for a in assignments if a.is_done]
    assert done and any(a.is_overdue for a in assignments)
    assert all(a.completed_by.username == f"{a.agency.code}.officer" and a.note for a in done)

    observer = User.objects.get(username="observer")
    plan_rows = selectors.regional_plan_rows(plan=plan, user=observer)
    assert {row.state for row in plan_rows} == {
        selectors.ON_TIME,
        selectors.LATE,
        selectors.MISSING,
    }
    assert all(row.regional_plan.document for row in plan_rows if row.regional_plan)

    # A second run adds nothing to the registers.
    before = _registers()
    call_command("seed_demo")
    assert "Sample commission registers created:" not in capsys.readouterr().out
    assert _registers() == before
