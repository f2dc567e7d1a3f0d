"""Accessibility and fit: axe-core finds no serious or critical violation on the main pages,
the journeys work with the keyboard alone, and the pages fit a laptop and a phone."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from reporting.models import AnnualReport
from tests.browser.conftest import PASSWORD, log_in, main_pages

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def axe_source():
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make test` (it runs npm ci in tests/browser).")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture
def browser_context_args(browser_context_args):
    # axe is injected as a script: let it past the portal's Content-Security-Policy.
    return {**browser_context_args, "bypass_csp": True}


def serious_violations(page, axe_source):
    page.add_script_tag(content=axe_source)
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}
        })"""
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["target"][0] for node in v["nodes"][:3])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_no_serious_accessibility_violation_on_the_main_pages(page, portal, reported, axe_source):
    page.goto(f"{portal}/login/")
    assert serious_violations(page, axe_source) == [], "login"
    current = None
    for name, path, who in main_pages(reported):
        if who != current:
            page.context.clear_cookies()
            log_in(page, portal, who)
            current = who
        page.goto(portal + path)
        assert serious_violations(page, axe_source) == [], name


def tab_to(page, name, limit=80):
    """Press Tab until the focused element's accessible text contains `name`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => { const e = document.activeElement;
                       if (!e || !e.matches('a, button, input, select, textarea')) return '';
                       const label = e.labels && e.labels[0] ? e.labels[0].innerText : '';
                       return [e.innerText, e.getAttribute('aria-label'), e.value, label]
                              .filter(Boolean).join(' '); }"""
        )
        if name in focused:
            return
    raise AssertionError(f"no focusable element named {name!r} within {limit} Tab presses")


def follow(page):
    """Press Enter on a link or a submit button, and wait for the next page."""
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_an_officer_files_with_the_keyboard_alone(page, portal):
    page.goto(f"{portal}/login/")
    tab_to(page, "Имя пользователя")
    page.keyboard.type("mon_officer")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    follow(page)
    assert page.url == f"{portal}/"

    tab_to(page, "Начать отчёт за 2019 год")
    follow(page)
    expect(page.get_by_role("heading", name="Отчёт о выполнении Плана за 2019 год")).to_be_visible()
    report = AnnualReport.objects.get()
    for entry in report.entries.order_by("measure__position"):
        tab_to(page, f"Заполнить мероприятие {entry.measure.number}")
        follow(page)
        tab_to(page, "Статус исполнения")
        page.keyboard.press("ArrowDown")  # the first status: Исполнено
        page.keyboard.press("Tab")
        page.keyboard.type("Сделано с клавиатуры.")
        tab_to(page, "Сохранить")
        follow(page)
        expect(page.get_by_role("alert").first).to_contain_text("сохранено")
    tab_to(page, "Представить отчёт координатору…")
    follow(page)
    tab_to(page, "Представить отчёт")
    follow(page)
    expect(page.get_by_role("alert").first).to_contain_text("Отчёт представлен координатору")
    report.refresh_from_db()
    assert report.state == "submitted"
    assert set(report.entries.values_list("status", flat=True)) == {"done"}


def test_the_secretariat_returns_with_the_keyboard_alone(page, portal, reported):
    log_in(page, portal, "mvd_secretariat")
    page.goto(f"{portal}/reports/{reported.pk}/")
    tab_to(page, "Комментарий")
    page.keyboard.type("Уточните цифры.")
    tab_to(page, "Вернуть на доработку")
    follow(page)
    expect(page.get_by_role("alert").first).to_contain_text("возвращён на доработку")
    reported.refresh_from_db()
    assert reported.state == "returned"


@pytest.mark.parametrize(
    "viewport",
    [{"width": 1366, "height": 768}, {"width": 390, "height": 844}],
    ids=["laptop", "phone"],
)
def test_pages_fit_the_screen(page, portal, reported, viewport):
    page.set_viewport_size(viewport)
    current = None
    for name, path, who in main_pages(reported):
        if who != current:
            page.context.clear_cookies()
            log_in(page, portal, who)
            current = who
        page.goto(portal + path)
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 1, f"{name} is {overflow}px wider than a {viewport['width']}px screen"


def test_the_dashboard_matrix_scrolls_inside_its_frame(page, portal, reported):
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, portal, "mvd_secretariat")
    page.goto(f"{portal}/cycles/{reported.cycle.pk}/dashboard/")
    frame = page.locator(".dash-matrix-frame")
    expect(frame).to_be_visible()
    sizes = frame.evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert sizes[0] > sizes[1]  # 35 agencies do not fit a phone: the frame scrolls
