"""Reports in the admin: readable by admins, changed only through the portal's services."""

import pytest
from django.urls import reverse

from reporting import services

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["annualreport", "attachment", "reviewcomment"])
def test_report_admin_pages_are_read_only(
    client, admin_user, mon_submitted, mvd_secretariat, model
):
    services.report_return(report=mon_submitted, user=mvd_secretariat, comment="Уточните.")
    client.force_login(admin_user)
    changelist = client.get(reverse(f"admin:reporting_{model}_changelist"))
    assert changelist.status_code == 200
    assert client.get(reverse(f"admin:reporting_{model}_add")).status_code == 403


def test_a_report_in_the_admin_shows_its_entries_and_cannot_be_changed(
    client, admin_user, mon_submitted
):
    client.force_login(admin_user)
    url = reverse("admin:reporting_annualreport_change", args=[mon_submitted.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert "Проведено 12 проверок." in response.content.decode()
    client.post(url, {"state": "accepted"})
    mon_submitted.refresh_from_db()
    assert mon_submitted.state == "submitted"
