"""The indicators in the admin: imported like the plan's other tables, with the same checks
(formulas refused, all rows or none)."""

import pytest

from reporting.models import Indicator
from tests.conftest import PLAN_CODE
from tests.measures.test_admin_import import admin_url, confirm, csv_file, text, upload

pytestmark = pytest.mark.django_db

COLUMNS = ["plan", "measure", "code", "position", "name", "unit", "kind", "aggregation", "required"]


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def row(code, name="Проведено семинаров", measure="20", kind="count"):
    return [PLAN_CODE, measure, code, "2", name, "мероприятий", kind, "sum", "0"]


def test_an_indicator_is_imported_and_a_second_import_duplicates_nothing(admin_client):
    before = Indicator.objects.count()
    content = csv_file([COLUMNS, row("participants", "Участников семинаров")])
    confirm(
        admin_client, "reporting.indicator", upload(admin_client, "reporting.indicator", content)
    )
    created = Indicator.objects.get(measure__number="20", code="participants")
    assert created.name == "Участников семинаров" and created.kind == "count"
    confirm(
        admin_client, "reporting.indicator", upload(admin_client, "reporting.indicator", content)
    )
    assert Indicator.objects.count() == before + 1


def test_a_formula_or_an_unknown_measure_refuses_the_whole_file(admin_client):
    before = Indicator.objects.count()
    content = csv_file(
        [COLUMNS, row("ok"), row("formula", '=HYPERLINK("http://x")'), row("lost", measure="99")]
    )
    response = upload(admin_client, "reporting.indicator", content)
    page = text(response)
    assert "начинается со знака, с которого начинается формула" in page
    assert 'Мероприятие "99" не найдено' in page
    assert "confirm_form" not in response.context
    assert Indicator.objects.count() == before


def test_the_admin_lists_and_exports_indicators(admin_client):
    assert admin_client.get(admin_url("reporting.indicator", "changelist")).status_code == 200
    assert admin_client.get(admin_url("reporting.indicatorvalue", "changelist")).status_code == 200
