import pytest
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_login_page_renders(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert 'name="username"' in response.content.decode()


def test_login_then_back_to_the_page_asked_for(client, mon_officer):
    target = reverse("agency_list")
    response = client.post(
        reverse("login") + f"?next={target}",
        {"username": "mon_officer", "password": PASSWORD, "next": target},
    )
    assert response.status_code == 302 and response.url == target


def test_wrong_password_is_refused(client, mon_officer):
    response = client.post(reverse("login"), {"username": "mon_officer", "password": "wrong"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "Пожалуйста, введите правильные имя пользователя и пароль" in response.content.decode()


def test_logout_ends_the_session(client, mon_officer):
    client.force_login(mon_officer)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("plan_list")).status_code == 302


def test_static_files_are_served_locally(client, mon_officer):
    client.force_login(mon_officer)
    content = client.get(reverse("plan_list")).content.decode()
    assert "/static/vendor/bootstrap/bootstrap.min.css" in content
    assert "cdn" not in content.lower() and "https://" not in content
