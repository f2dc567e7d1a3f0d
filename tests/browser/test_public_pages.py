"""The public pages in a real browser, signed out: reached from the sign-in page, readable in
Russian, Kazakh and English, no serious accessibility violation under axe, nothing broken by
the Content-Security-Policy (the API's docs page included)."""

import pytest
from playwright.sync_api import expect

from agencies.models import User
from reporting.models import ReportingCycle, Summary
from tests.browser.test_accessibility import axe_source, serious_violations  # noqa: F401
from tests.conftest import PLAN_CODE
from tests.publication.conftest import SENT_TEXT, make_summary

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def sent(portal):
    secretariat = User.objects.get(username="mvd_secretariat")
    cycle = ReportingCycle.objects.get(plan__code=PLAN_CODE, year=2018)
    return make_summary(cycle, secretariat, state=Summary.State.SENT, text=SENT_TEXT)


@pytest.fixture
def browser_context_args(browser_context_args):
    # axe is injected as a script: let it past the portal's Content-Security-Policy.
    return {**browser_context_args, "bypass_csp": True}


def switch_language(page, label):
    # By the select's id: its label is in the page's language.
    page.locator("#language").select_option(label=label)
    with page.expect_navigation():
        page.locator("form.language-switcher button").first.click()


LANGUAGES = {
    "ru": ("Русский", "Открытые сведения", "Исполнено"),
    "kk": ("Қазақша", "Ашық мәліметтер", "Орындалды"),
    "en": ("English", "Open information", "Executed"),
}


def test_a_visitor_reads_what_the_government_was_told(page, portal, sent, axe_source):  # noqa: F811
    page.goto(f"{portal}/login/")
    page.get_by_role("link", name="Открытые сведения об исполнении").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Открытые сведения об исполнении планов"
    )
    assert serious_violations(page, axe_source) == [], "list, ru"
    page.locator("main").get_by_role("link").first.click()
    expect(page.get_by_text(f"{SENT_TEXT} (3.4)")).to_be_visible()
    for language in ("ru", "kk", "en"):
        label, heading, status = LANGUAGES[language]
        if language != "ru":
            switch_language(page, label)
        assert page.locator("html").get_attribute("lang") == language
        expect(page.get_by_role("link", name=heading, exact=True)).to_be_visible()
        expect(page.get_by_role("cell", name=status, exact=True).first).to_be_visible()
        assert serious_violations(page, axe_source) == [], f"plan page, {language}"


def test_the_public_pages_and_the_api_docs_keep_the_policy(browser, portal, sent):
    context = browser.new_context()  # the policy in force, not bypassed
    page = context.new_page()
    problems = []
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    page.on("pageerror", lambda e: problems.append(str(e)))
    for path in ("/public/", f"/public/plans/{PLAN_CODE}/"):
        page.goto(portal + path)
        page.wait_for_load_state("networkidle")
        assert problems == [], path
    page.goto(f"{portal}/api/v1/docs")
    # Swagger UI, from the portal's own static files, draws the API's operations.
    expect(page.get_by_text("/api/v1/summary-lines").first).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert problems == [], problems
    context.close()
