import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from agencies.models import Agency, User
from reporting.models import AnnualReport

pytestmark = pytest.mark.django_db


def test_it_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    assert not User.objects.exists() and not AnnualReport.objects.exists()


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
