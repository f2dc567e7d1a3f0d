"""The officer's figures in the entry form: validated, saved with the entry in one change,
guarded by the entry's version, required ones blocking the submission, kept in the history."""

import pytest
from django.urls import reverse

from core.exceptions import ActionRefused
from reporting import services
from reporting.exceptions import EditConflict, IncompleteReport
from reporting.models import AnnualReport, Indicator, IndicatorValue, ReportEntry
from tests.factories import UserFactory
from tests.reporting.conftest import fill

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(mon_report):
    """МОН's entry on measure 4: inspections (a count) and violations found."""
    return mon_report.entries.select_related("measure").get(measure__number="4")


@pytest.fixture
def inspections(entry):
    return entry.measure.indicators.get(code="inspections")


@pytest.fixture
def violations(entry):
    return entry.measure.indicators.get(code="violations")


def url(entry):
    return reverse("entry_edit", args=[entry.report_id, entry.pk])


def post(client, entry, version=None, **figures):
    data = {
        "status": "done",
        "narrative": "Проверки проведены.",
        "version": version or entry.version,
    }
    data.update(figures)
    return client.post(url(entry), data)


def stored(entry) -> dict[str, int | bool | None]:
    return {v.indicator.code: v.value for v in IndicatorValue.objects.filter(entry=entry)}


def test_the_form_asks_for_each_indicator_with_its_unit(client, entry, mon_officer):
    client.force_login(mon_officer)
    content = client.get(url(entry)).content.decode()
    assert "Проведено проверок по усыновлению, проверок" in content
    assert "Выявлено нарушений, нарушений" in content


def test_figures_are_saved_with_the_entry(client, entry, mon_officer, inspections, violations):
    client.force_login(mon_officer)
    response = post(
        client, entry, **{f"indicator_{inspections.pk}": "12", f"indicator_{violations.pk}": "0"}
    )
    assert response.status_code == 302
    assert stored(entry) == {"inspections": 12, "violations": 0}
    entry.refresh_from_db()
    assert entry.version == 2 and entry.narrative == "Проверки проведены."
    # An emptied field is no value: the row goes.
    post(client, entry, **{f"indicator_{inspections.pk}": "12", f"indicator_{violations.pk}": ""})
    assert stored(entry) == {"inspections": 12}


@pytest.mark.parametrize("typed", ["-3", "2.5", "двенадцать", "1e3"])
def test_only_a_non_negative_whole_number_is_a_figure(
    client, entry, mon_officer, inspections, typed
):
    client.force_login(mon_officer)
    response = post(client, entry, **{f"indicator_{inspections.pk}": typed})
    assert response.status_code == 200
    assert response.context["form"].errors[f"indicator_{inspections.pk}"]
    entry.refresh_from_db()
    assert entry.version == 1 and entry.narrative == "" and stored(entry) == {}


def test_the_service_refuses_a_negative_figure_and_changes_nothing(entry, mon_officer, inspections):
    with pytest.raises(ActionRefused, match="целое неотрицательное"):
        services.entry_update(
            entry=entry,
            user=mon_officer,
            status="done",
            narrative="Текст",
            version=entry.version,
            figures={inspections.pk: -1},
        )
    entry.refresh_from_db()
    assert entry.narrative == "" and entry.version == 1 and stored(entry) == {}


def test_a_yes_no_indicator_is_a_choice(client, akimat_officer, cycle_2019):
    report = services.report_open(cycle=cycle_2019, agency=akimat_officer.agency)
    entry = report.entries.get(measure__number="6")
    centre = entry.measure.indicators.get(code="centre")
    client.force_login(akimat_officer)
    assert post(client, entry, **{f"indicator_{centre.pk}": "maybe"}).status_code == 200
    assert stored(entry) == {}
    assert post(client, entry, **{f"indicator_{centre.pk}": "yes"}).status_code == 302
    assert stored(entry) == {"centre": True}


def test_a_stale_save_does_not_overwrite_the_figures(entry, mon_officer, inspections):
    colleague = UserFactory(username="mon_2", agency=mon_officer.agency, role="officer")
    opened = entry.version
    services.entry_update(
        entry=entry,
        user=colleague,
        status="done",
        narrative="Коллега",
        version=opened,
        figures={inspections.pk: 7},
    )
    with pytest.raises(EditConflict):
        services.entry_update(
            entry=entry,
            user=mon_officer,
            status="done",
            narrative="Я",
            version=opened,
            figures={inspections.pk: 99},
        )
    assert stored(entry) == {"inspections": 7}


def test_the_conflict_page_shows_the_stored_figures(client, entry, mon_officer, inspections):
    colleague = UserFactory(username="mon_2", agency=mon_officer.agency, role="officer")
    services.entry_update(
        entry=entry,
        user=colleague,
        status="done",
        narrative="Коллега",
        version=1,
        figures={inspections.pk: 7},
    )
    client.force_login(mon_officer)
    response = post(client, entry, version=1, **{f"indicator_{inspections.pk}": "99"})
    assert response.status_code == 409
    content = response.content.decode()
    assert 'data-indicator="inspections">7<' in content
    assert stored(entry) == {"inspections": 7}


def test_a_required_indicator_without_a_value_blocks_the_submission(
    client, mon_report, mon_officer, entry, inspections
):
    Indicator.objects.filter(pk=inspections.pk).update(required=True)
    fill(mon_report, mon_officer)
    with pytest.raises(IncompleteReport) as refused:
        services.report_submit(report=mon_report, user=mon_officer)
    errors = {e.measure.number: problems for e, problems in refused.value.errors.items()}
    assert errors == {"4": ["не указан показатель «Проведено проверок по усыновлению»"]}
    # The confirmation page names it too.
    client.force_login(mon_officer)
    page = client.get(reverse("report_submit", args=[mon_report.pk])).content.decode()
    assert "не указан показатель «Проведено проверок по усыновлению»" in page
    entry.refresh_from_db()
    services.entry_update(
        entry=entry,
        user=mon_officer,
        status="done",
        narrative="Проверки.",
        version=entry.version,
        figures={inspections.pk: 0},
    )
    services.report_submit(report=mon_report, user=mon_officer)
    mon_report.refresh_from_db()
    assert mon_report.state == AnnualReport.State.SUBMITTED


def test_the_report_page_shows_the_figures_and_their_history(
    client, mon_report, mon_officer, entry, inspections
):
    for value in (5, 8):
        entry = ReportEntry.objects.get(pk=entry.pk)
        services.entry_update(
            entry=entry,
            user=mon_officer,
            status="done",
            narrative="Проверки.",
            version=entry.version,
            figures={inspections.pk: value},
        )
    client.force_login(mon_officer)
    response = client.get(reverse("report_detail", args=[mon_report.pk]))
    content = response.content.decode()
    assert 'data-indicator="inspections">8<' in content
    details = [c.details for c in response.context["history"] if c.kind == "figures_changed"]
    assert details == [
        ["Проведено проверок по усыновлению: 5 → 8"],
        ["Проведено проверок по усыновлению: — → 5"],
    ]
    assert "Проведено проверок по усыновлению: 5 → 8" in content
