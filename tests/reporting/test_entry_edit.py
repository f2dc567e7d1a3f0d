import pytest
from django.urls import reverse

from reporting import services
from reporting.exceptions import EditConflict
from reporting.models import ReportEntry
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(mon_officer):
    return UserFactory(
        username="mon_officer_2",
        agency=mon_officer.agency,
        role="officer",
        first_name="Айгуль",
        last_name="Сериккызы",
    )


def url(entry):
    return reverse("entry_edit", args=[entry.report_id, entry.pk])


def test_the_form_shows_the_measure_beside_it(client, mon_report, mon_officer):
    client.force_login(mon_officer)
    entry = mon_report.entries.get(measure__number="4")
    response = client.get(url(entry))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Проведение проверок по соблюдению законодательства в области усыновления" in content
    assert "информация в рабочий орган МВК, Протокол МВК" in content
    assert "ежегодно" in content
    for label in ("Исполнено", "Исполняется", "Частично исполнено", "Не исполнено"):
        assert label in content


def test_save_a_draft(client, mon_report, mon_officer):
    client.force_login(mon_officer)
    entry = mon_report.entries.first()
    response = client.post(
        url(entry), {"status": "partial", "narrative": "Половина.", "version": entry.version}
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.status, entry.narrative, entry.version, entry.updated_by) == (
        "partial",
        "Половина.",
        2,
        mon_officer,
    )


def test_save_and_go_to_the_next_entry(client, mon_report, mon_officer):
    client.force_login(mon_officer)
    first, second = mon_report.entries.order_by("measure__position")[:2]
    response = client.post(
        url(first), {"status": "done", "narrative": "x", "version": first.version, "save_next": "1"}
    )
    assert response.url == url(second)


def test_the_second_save_of_a_stale_version_is_refused(mon_report, mon_officer, colleague):
    entry = mon_report.entries.first()
    opened_version = entry.version
    services.entry_update(
        entry=entry,
        user=colleague,
        status="done",
        narrative="Текст коллеги",
        version=opened_version,
    )
    with pytest.raises(EditConflict) as conflict:
        services.entry_update(
            entry=entry,
            user=mon_officer,
            status="not_done",
            narrative="Мой текст",
            version=opened_version,
        )
    assert conflict.value.current.narrative == "Текст коллеги"
    stored = ReportEntry.objects.get(pk=entry.pk)
    assert (stored.narrative, stored.status, stored.version) == ("Текст коллеги", "done", 2)


def test_the_conflict_page_shows_both_texts(client, mon_report, mon_officer, colleague):
    entry = mon_report.entries.first()
    opened_version = entry.version
    services.entry_update(
        entry=entry,
        user=colleague,
        status="done",
        narrative="Текст коллеги",
        version=opened_version,
    )
    client.force_login(mon_officer)
    response = client.post(
        url(entry), {"status": "not_done", "narrative": "Мой текст", "version": opened_version}
    )
    assert response.status_code == 409
    content = response.content.decode()
    assert "Текст коллеги" in content and "Мой текст" in content
    assert "Айгуль Сериккызы" in content
    # Saving again from the conflict page is a deliberate choice, and it goes through.
    assert response.context["form"]["version"].value() == 2
    client.post(url(entry), {"status": "not_done", "narrative": "Объединённый текст", "version": 2})
    entry.refresh_from_db()
    assert entry.narrative == "Объединённый текст" and entry.version == 3


def test_the_report_page_shows_who_changed_what(client, mon_report, mon_officer, colleague):
    entry = mon_report.entries.get(measure__number="4")
    services.entry_update(
        entry=entry, user=colleague, status="done", narrative="Текст", version=entry.version
    )
    client.force_login(mon_officer)
    response = client.get(reverse("report_detail", args=[mon_report.pk]))
    history = response.context["history"]
    change = next(c for c in history if c.kind == "entry_changed")
    assert change.subject == "4" and change.user == colleague
    assert change.details == ["— → Исполнено", "текст изменён"]
    assert "Айгуль Сериккызы" in response.content.decode()


def test_voluntary_entries(client, mon_report, mon_officer):
    client.force_login(mon_officer)
    measure = mon_report.cycle.plan.measures.get(number="22")
    response = client.post(reverse("entry_add", args=[mon_report.pk]), {"measure": measure.pk})
    entry = mon_report.entries.get(measure=measure)
    assert entry.is_voluntary and response.url == url(entry)
    # A measure not open to interested bodies cannot be added.
    closed = mon_report.cycle.plan.measures.get(number="2")
    client.post(reverse("entry_add", args=[mon_report.pk]), {"measure": closed.pk})
    assert not mon_report.entries.filter(measure=closed).exists()
    # What is left to add: measure 23 is reported for 2018–2019, measure 29 only in 2020.
    left = services.selectors.open_measures_to_add(report=mon_report)
    assert {m.number for m in left} == {"9", "10", "23"}
    client.post(reverse("entry_remove", args=[mon_report.pk, entry.pk]))
    assert not mon_report.entries.filter(measure=measure).exists()


def test_a_required_entry_cannot_be_removed(client, mon_report, mon_officer):
    client.force_login(mon_officer)
    entry = mon_report.entries.first()
    response = client.post(reverse("entry_remove", args=[mon_report.pk, entry.pk]), follow=True)
    assert "обязательно для ведомства" in response.content.decode()
    assert ReportEntry.objects.filter(pk=entry.pk).exists()
