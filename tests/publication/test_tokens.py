"""Tokens: an admin issues one in the admin and sees it once; only its hash is kept; revoking
it refuses its next request."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from core.exceptions import PermissionRefused
from publication import services
from publication.models import ApiToken, token_digest
from tests.publication.conftest import bearer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_counters():
    cache.clear()


def test_an_admin_issues_a_token_and_sees_it_once(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:publication_apitoken_add"), {"system": "Ситуационный центр"}
    )
    assert response.status_code == 200
    token = ApiToken.objects.get()
    raw = response.context["raw_token"]
    assert raw in response.content.decode()
    assert "больше его не покажет" in response.content.decode()
    assert token.token_hash == token_digest(raw) and raw not in token.token_hash
    assert raw.startswith(token.prefix) and len(raw) >= 40
    assert (token.system, token.created_by) == ("Ситуационный центр", admin_user)
    # Nowhere else: the token's own page and the list show its beginning only.
    for url in (
        reverse("admin:publication_apitoken_change", args=[token.pk]),
        reverse("admin:publication_apitoken_changelist"),
    ):
        page = client.get(url).content.decode()
        assert raw not in page and token.prefix in page
    assert client.get("/api/v1/plans", **bearer(raw)).status_code == 200


def test_an_admin_revokes_a_token(client, admin_user):
    token, raw = services.api_token_issue(system="Омбудсмен", user=admin_user)
    assert client.get("/api/v1/plans", **bearer(raw)).status_code == 200
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:publication_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
        follow=True,
    )
    assert "Отозвано ключей: 1." in response.content.decode()
    token.refresh_from_db()
    assert token.is_revoked and token.revoked_by == admin_user
    from django.contrib.admin.models import CHANGE, LogEntry

    entry = LogEntry.objects.get(object_id=str(token.pk), action_flag=CHANGE)
    assert entry.user == admin_user and "отозван" in entry.get_change_message()
    refused = client.get("/api/v1/plans", **bearer(raw))
    assert (refused.status_code, refused.json()["error"]) == (401, "token_revoked")


def test_an_issued_token_is_never_changed_or_deleted_in_the_admin(client, admin_user):
    token, _ = services.api_token_issue(system="Статистика", user=admin_user)
    client.force_login(admin_user)
    url = reverse("admin:publication_apitoken_change", args=[token.pk])
    client.post(url, {"system": "Другая"})
    token.refresh_from_db()
    assert token.system == "Статистика"
    delete = client.get(reverse("admin:publication_apitoken_delete", args=[token.pk]))
    assert delete.status_code == 403


def test_revoking_twice_keeps_the_first_revocation(admin_user):
    token, _ = services.api_token_issue(system="Статистика", user=admin_user)
    first = services.api_token_revoke(token=token, user=admin_user).revoked_at
    assert services.api_token_revoke(token=token, user=admin_user).revoked_at == first


def test_only_an_admin_issues_or_revokes(admin_user, mvd_secretariat):
    with pytest.raises(PermissionRefused):
        services.api_token_issue(system="Статистика", user=mvd_secretariat)
    token, _ = services.api_token_issue(system="Статистика", user=admin_user)
    with pytest.raises(PermissionRefused):
        services.api_token_revoke(token=token, user=mvd_secretariat)
    token.refresh_from_db()
    assert not token.is_revoked


def test_the_request_log_is_read_only_in_the_admin(client, admin_user):
    _, raw = services.api_token_issue(system="Статистика", user=admin_user)
    client.get("/api/v1/plans", **bearer(raw))
    client.force_login(admin_user)
    page = client.get(reverse("admin:publication_apirequestlog_changelist"))
    assert page.status_code == 200 and "/api/v1/plans" in page.content.decode()
    assert client.get(reverse("admin:publication_apirequestlog_add")).status_code == 403
