import datetime

import pytest
import time_machine
from django.urls import reverse

from agencies.models import Agency
from reporting import services
from reporting.exceptions import EditConflict, PermissionRefused, StateRefused
from reporting.models import AnnualReport, ReportEntry, Summary, SummaryItem
from reporting.summaries.consolidation import Part, consolidated_status, consolidated_text
from tests.factories import AgencyFactory, ResponsibilityFactory
from tests.reporting.conftest import fill

pytestmark = pytest.mark.django_db
S, R = ReportEntry.Status, SummaryItem.Status
UTC = datetime.UTC


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([None, None], R.NO_INFORMATION),
        ([S.DONE], R.DONE),
        ([S.DONE, S.DONE, S.DONE], R.DONE),
        # Not every executor has reported: no conclusion on the measure, whatever was said.
        ([S.DONE, None], R.INSUFFICIENT),
        ([S.DONE, S.DONE] + [None] * 28, R.INSUFFICIENT),
        ([S.NOT_DONE, None], R.INSUFFICIENT),
        ([S.IN_PROGRESS, S.NOT_DONE, None], R.INSUFFICIENT),
        ([S.NOT_DONE, S.NOT_DONE], R.NOT_DONE),
        ([S.DONE, S.IN_PROGRESS], R.IN_PROGRESS),
        ([S.IN_PROGRESS, S.NOT_DONE], R.IN_PROGRESS),
        ([S.DONE, S.NOT_DONE], R.PARTIAL),
        ([S.PARTIAL], R.PARTIAL),
        ([S.PARTIAL, S.DONE], R.PARTIAL),
    ],
)
def test_the_status_rule(statuses, expected):
    assert consolidated_status(statuses) == expected


def agencies(*codes):
    return [Agency.objects.get(code=code) for code in codes]


def test_the_text_gives_a_paragraph_to_each_agency_and_names_the_silent_at_the_end():
    mvd, astana, almaty, mon, gp = agencies("mvd", "akimat-astana", "akimat-almaty", "mon", "gp")
    done = ReportEntry(
        status=S.DONE, narrative="  Проведено 5 рейдов.\r\n\r\n\r\nИзъято 3 паспорта. "
    )
    text = consolidated_text([
        Part(mvd, done), Part(astana, None), Part(almaty, None),
        Part(mon, ReportEntry(status=S.DONE, narrative="Уроки в школах.")), Part(gp, None),
        Part(AgencyFactory(abbreviation="", name="Новый орган"), done, voluntary=True),
    ])  # fmt: skip
    assert text.split("\n\n") == [
        "МВД: Проведено 5 рейдов.",
        "Изъято 3 паспорта.",
        "МОН: Уроки в школах.",
        "Новый орган (по собственной инициативе): Проведено 5 рейдов.",
        "Изъято 3 паспорта.",
        "Не представили информацию 3 из 5 исполнителей: ГП и 2 акимата (городов Астаны и Алматы).",
    ]


def test_the_akimats_without_information_are_grouped_under_their_count():
    akimats = list(Agency.objects.filter(kind="akimat").order_by("pk"))
    assert len(akimats) == 17
    reported, *silent = akimats[2:]  # Shymkent reported; Astana and Almaty did not
    parts = [Part(a, None) for a in [*akimats[:2], *silent]]
    parts.insert(2, Part(reported, ReportEntry(status=S.DONE, narrative="Сделано.")))
    parts.insert(0, Part(Agency.objects.get(code="mid"), None))
    closing = consolidated_text(parts).split("\n\n")[-1]
    assert closing == (
        "Не представили информацию 17 из 18 исполнителей: МИД и 16 акиматов (Акмолинской, "
        "Актюбинской, Алматинской, Атырауской, Восточно-Казахстанской, Жамбылской, "
        "Западно-Казахстанской, Карагандинской, Костанайской, Кызылординской, Мангистауской, "
        "Павлодарской, Северо-Казахстанской и Туркестанской областей, городов Астаны и Алматы)."
    )


@pytest.mark.parametrize(
    ("silent", "executors", "expected"),
    [
        (["mvd"], ["mvd"], "Исполнитель не представил информацию: МВД."),
        (
            ["mf", "mvd", "gp"],
            ["mf", "mvd", "gp"],
            "Не представил информацию ни один из 3 исполнителей: МФ, МВД и ГП.",
        ),
        (["mvd"], ["mvd", "gp"], "Не представил информацию 1 из 2 исполнителей: МВД."),
        (
            ["akimat-turkestan"],
            ["mvd", "akimat-turkestan"],
            "Не представил информацию 1 из 2 исполнителей: акимат Туркестанской области.",
        ),
        (
            ["akimat-shymkent", "mid"],
            ["akimat-shymkent", "mid", "mvd"],
            "Не представили информацию 2 из 3 исполнителей: МИД и акимат города Шымкента.",
        ),
    ],
)
def test_the_closing_sentence_agrees_with_its_numbers(silent, executors, expected):
    entry = ReportEntry(status=S.DONE, narrative="Сделано.")
    parts = [Part(a, None if a.code in silent else entry) for a in agencies(*executors)]
    assert consolidated_text(parts).split("\n\n")[-1] == expected


def test_an_agency_in_a_new_region_is_named_as_written():
    abai = AgencyFactory(kind="akimat", abbreviation="", name="Акимат области Абай")
    parts = [Part(abai, None), *(Part(a, None) for a in agencies("akimat-astana", "akimat-almaty"))]
    assert consolidated_text(parts) == (
        "Не представил информацию ни один из 3 исполнителей: "
        "Акимат области Абай и 2 акимата (городов Астаны и Алматы)."
    )


@pytest.fixture
def reported_2019(cycle_2019, mon_officer, akimat_officer, mvd_secretariat):
    """МОН: submitted, all done; Almaty: accepted, all in progress; МИД: draft (not counted)."""
    mon = services.report_open(cycle=cycle_2019, agency=mon_officer.agency)
    fill(mon, mon_officer, narrative="МОН сделал.")
    services.report_submit(report=mon, user=mon_officer)
    almaty = services.report_open(cycle=cycle_2019, agency=akimat_officer.agency)
    fill(almaty, akimat_officer, status=S.IN_PROGRESS, narrative="Алматы работает.")
    services.report_submit(report=almaty, user=akimat_officer)
    services.report_accept(report=almaty, user=mvd_secretariat)
    mid = services.report_open(cycle=cycle_2019, agency=Agency.objects.get(code="mid"))
    fill(mid, _officer("mid"), narrative="черновик МИД")
    return cycle_2019


def _officer(code):
    from tests.factories import UserFactory

    return UserFactory(
        username=f"{code}_officer", agency=Agency.objects.get(code=code), role="officer"
    )


def items_by_number(summary):
    return {i.measure.number: i for i in summary.items.select_related("measure")}


def test_generate_makes_one_item_per_measure_reported_that_year(reported_2019, mvd_secretariat):
    summary = services.summary_generate(cycle=reported_2019, user=mvd_secretariat)
    items = items_by_number(summary)
    assert "3" not in items and "28" not in items and "29" not in items
    assert {"1", "3.1", "3.7", "23", "27"} <= set(items)
    assert len(items) == 33
    assert summary.state == Summary.State.DRAFT and summary.generated_by == mvd_secretariat


def test_generated_statuses_and_texts(reported_2019, mvd_secretariat):
    items = items_by_number(services.summary_generate(cycle=reported_2019, user=mvd_secretariat))
    # 14: МОН (done), МТСЗН (no report), 17 akimats (Almaty in progress): not enough to judge.
    assert items["14"].status == R.INSUFFICIENT
    paragraphs = items["14"].text.split("\n\n")
    assert paragraphs[:2] == ["МОН: МОН сделал.", "Акимат города Алматы: Алматы работает."]
    assert paragraphs[2].startswith(
        "Не представили информацию 17 из 19 исполнителей: МТСЗН и 16 акиматов (Акмолинской,"
    )
    assert len(paragraphs) == 3
    # 4: МОН done, Almaty in progress, the others silent; МИД's draft does not count.
    assert items["4"].status == R.INSUFFICIENT and "черновик МИД" not in items["4"].text
    assert "МИД" in items["4"].text.split("\n\n")[-1]  # among those without information
    # 2: МФ, МВД, ГП — nobody reported.
    assert items["2"].status == R.NO_INFORMATION
    assert items["2"].text == "Не представил информацию ни один из 3 исполнителей: МФ, МВД и ГП."


def test_regenerating_keeps_edited_items_unless_asked(reported_2019, mvd_secretariat, mon_officer):
    summary = services.summary_generate(cycle=reported_2019, user=mvd_secretariat)
    edited, untouched = items_by_number(summary)["4"], items_by_number(summary)["2"]
    services.summary_item_update(
        item=edited,
        user=mvd_secretariat,
        status=R.DONE,
        text="Отредактировано секретариатом.",
        version=edited.version,
    )
    # New information arrives: ГП reports on measure 2.
    gp = services.report_open(cycle=reported_2019, agency=Agency.objects.get(code="gp"))
    fill(gp, _officer("gp"), narrative="ГП проверила.")
    services.report_submit(report=gp, user=Agency.objects.get(code="gp").users.get())
    services.summary_generate(cycle=reported_2019, user=mvd_secretariat)
    items = items_by_number(summary)
    assert items["4"].text == "Отредактировано секретариатом." and items["4"].is_edited
    assert "ГП: ГП проверила." in items["2"].text and items["2"].pk == untouched.pk
    services.summary_generate(cycle=reported_2019, user=mvd_secretariat, overwrite=True)
    items = items_by_number(summary)
    assert items["4"].text.startswith("МОН: МОН сделал.") and not items["4"].is_edited


def test_an_item_edit_conflict(reported_2019, mvd_secretariat):
    summary = services.summary_generate(cycle=reported_2019, user=mvd_secretariat)
    item = items_by_number(summary)["4"]
    version = item.version
    services.summary_item_update(
        item=item, user=mvd_secretariat, status=R.DONE, text="A", version=version
    )
    with pytest.raises(EditConflict):
        services.summary_item_update(
            item=item, user=mvd_secretariat, status=R.DONE, text="B", version=version
        )
    item.refresh_from_db()
    assert item.text == "A"


def test_only_the_coordinator_generates(reported_2019, mtszn_secretariat, observer, mon_officer):
    for user in (mtszn_secretariat, observer, mon_officer):
        with pytest.raises(PermissionRefused):
            services.summary_generate(cycle=reported_2019, user=user)
    assert not Summary.objects.exists()


def test_expected_agencies_are_fixed_at_the_first_generation(reported_2019, mvd_secretariat):
    services.summary_generate(cycle=reported_2019, user=mvd_secretariat)
    fixed = set(reported_2019.expected_agencies.values_list("code", flat=True))
    assert len(fixed) == 35
    newcomer = AgencyFactory(code="new-ministry")
    ResponsibilityFactory(
        measure=reported_2019.plan.measures.get(number="2"), agency=newcomer, position=9
    )
    summary = services.summary_generate(cycle=reported_2019, user=mvd_secretariat)
    assert "new-ministry" not in set(reported_2019.expected_agencies.values_list("code", flat=True))
    assert newcomer.name not in items_by_number(summary)["2"].text


@pytest.fixture
def sent(reported_2019, mvd_secretariat):
    summary = services.summary_generate(cycle=reported_2019, user=mvd_secretariat)
    with time_machine.travel(datetime.datetime(2020, 2, 10, 17, 59, tzinfo=UTC), tick=False):
        services.summary_send(summary=summary, user=mvd_secretariat)
    return summary


def test_send_records_who_when_and_on_time(sent, mvd_secretariat):
    assert sent.state == Summary.State.SENT and sent.sent_by == mvd_secretariat
    assert sent.sent_at == datetime.datetime(2020, 2, 10, 17, 59, tzinfo=UTC)
    assert sent.is_late is False  # 23:59 in Almaty (UTC+6)
    assert sent.sent_xlsx.name.endswith(".xlsx") and sent.sent_docx.name.endswith(".docx")


def test_a_send_after_the_end_of_10_february_is_late(reported_2019, mvd_secretariat):
    summary = services.summary_generate(cycle=reported_2019, user=mvd_secretariat)
    with time_machine.travel(datetime.datetime(2020, 2, 10, 18, 0, tzinfo=UTC), tick=False):
        services.summary_send(summary=summary, user=mvd_secretariat)
    assert summary.is_late is True


def test_a_sent_summary_does_not_change(sent, mvd_secretariat, mon_officer):
    items_before = list(sent.items.values_list("measure__number", "status", "text"))
    with sent.sent_xlsx.open("rb") as f:
        xlsx_before = f.read()
    with pytest.raises(StateRefused):
        services.summary_generate(cycle=sent.cycle, user=mvd_secretariat, overwrite=True)
    item = sent.items.first()
    with pytest.raises(StateRefused):
        services.summary_item_update(
            item=item, user=mvd_secretariat, status=R.DONE, text="x", version=item.version
        )
    with pytest.raises(StateRefused):
        services.summary_send(summary=sent, user=mvd_secretariat)
    # Entries changed behind its back (as an admin might) do not reach it either.
    ReportEntry.objects.filter(report__cycle=sent.cycle).update(narrative="changed later")
    assert list(sent.items.values_list("measure__number", "status", "text")) == items_before
    sent.refresh_from_db()
    with sent.sent_xlsx.open("rb") as f:
        assert f.read() == xlsx_before


def test_the_cycles_reports_lock_and_a_reopen_marks_the_summary_outdated(
    sent, mvd_secretariat, mon_officer, akimat_officer
):
    mon = AnnualReport.objects.get(cycle=sent.cycle, agency=mon_officer.agency)
    almaty = AnnualReport.objects.get(cycle=sent.cycle, agency=akimat_officer.agency)
    mid = AnnualReport.objects.get(cycle=sent.cycle, agency__code="mid")
    with pytest.raises(StateRefused, match="отправлена"):
        services.report_accept(report=mon, user=mvd_secretariat)
    entry = mid.entries.first()
    with pytest.raises(StateRefused, match="отправлена"):
        services.entry_update(
            entry=entry,
            user=mid.agency.users.get(),
            status="done",
            narrative="late",
            version=entry.version,
        )
    with pytest.raises(StateRefused, match="отправлена"):
        services.report_submit(report=mid, user=mid.agency.users.get())
    assert not mid.is_editable

    services.report_reopen(report=almaty, user=mvd_secretariat, comment="Новые данные.")
    sent.refresh_from_db()
    almaty.refresh_from_db()
    assert sent.is_outdated and almaty.reopened_after_summary and almaty.is_editable
    entry = almaty.entries.first()
    services.entry_update(
        entry=entry,
        user=akimat_officer,
        status="done",
        narrative="Уточнено.",
        version=entry.version,
    )
    services.report_submit(report=almaty, user=akimat_officer)
    services.report_accept(report=almaty, user=mvd_secretariat)
    assert sent.items.get(measure=entry.measure).text != "Уточнено."


# The pages


def test_summary_page_access(
    client, reported_2019, mon_officer, observer, mtszn_secretariat, mvd_secretariat
):
    url = reverse("summary_detail", args=[reported_2019.pk])
    client.force_login(mon_officer)
    assert client.get(url).status_code == 403
    for user in (observer, mtszn_secretariat, mvd_secretariat):
        client.force_login(user)
        assert client.get(url).status_code == 200
    client.force_login(mtszn_secretariat)
    assert client.post(reverse("summary_generate", args=[reported_2019.pk])).status_code == 403
    assert not Summary.objects.exists()


def test_generate_edit_and_send_through_the_pages(client, reported_2019, mvd_secretariat):
    client.force_login(mvd_secretariat)
    response = client.post(reverse("summary_generate", args=[reported_2019.pk]), follow=True)
    assert "Сводная информация сформирована." in response.content.decode()
    item = items_by_number(Summary.objects.get())["14"]
    edit_url = reverse("summary_item_edit", args=[reported_2019.pk, item.pk])
    page = client.get(edit_url).content.decode()
    assert "Алматы работает." in page and "МОН сделал." in page  # the entries beside the form
    client.post(
        edit_url, {"status": "in_progress", "text": "Сводный текст.", "version": item.version}
    )
    stale = client.post(
        edit_url, {"status": "done", "text": "Старая версия.", "version": item.version}
    )
    assert stale.status_code == 409 and "Сводный текст." in stale.content.decode()
    client.post(reverse("summary_send", args=[reported_2019.pk]))
    summary = Summary.objects.get()
    assert summary.is_sent
    assert client.get(edit_url).status_code == 302  # frozen
    xlsx = client.get(reverse("summary_xlsx", args=[reported_2019.pk]))
    assert xlsx.status_code == 200
    with summary.sent_xlsx.open("rb") as f:
        assert xlsx.content == f.read()


def test_summary_page_query_count(
    client, reported_2019, mvd_secretariat, django_assert_num_queries
):
    services.summary_generate(cycle=reported_2019, user=mvd_secretariat)
    client.force_login(mvd_secretariat)
    # session, user, cycle with its summary, items with measures, their indicator totals
    with django_assert_num_queries(5):
        client.get(reverse("summary_detail", args=[reported_2019.pk]))


def test_the_measure_page_shows_each_years_summary(
    client, reported_2019, mvd_secretariat, mon_officer, observer
):
    summary = services.summary_generate(cycle=reported_2019, user=mvd_secretariat)
    item = items_by_number(summary)["14"]
    services.summary_item_update(
        item=item,
        user=mvd_secretariat,
        status=R.IN_PROGRESS,
        text="Итог за 2019 год по мероприятию 14.",
        version=item.version,
    )
    url = reverse("measure_detail", args=[reported_2019.plan.code, "14"])
    client.force_login(observer)
    assert "Итог за 2019 год по мероприятию 14." in client.get(url).content.decode()
    client.force_login(mon_officer)  # a draft is the secretariat's business
    assert "Итог за 2019 год по мероприятию 14." not in client.get(url).content.decode()
    services.summary_send(summary=summary, user=mvd_secretariat)
    content = client.get(url).content.decode()
    assert "Итог за 2019 год по мероприятию 14." in content and "2019: Исполняется" in content
