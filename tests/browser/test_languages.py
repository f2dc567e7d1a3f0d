"""Each main page in Kazakh and in English, as the language switcher leaves it; and no page
breaks its Content-Security-Policy or logs a script error."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, main_pages

pytestmark = pytest.mark.django_db(transaction=True)

# A word of the navigation or the page in each language, as the catalogs translate it.
LANGUAGES = {
    "kk": {"label": "Қазақша", "sign_out": "Шығу", "plan": "Жоспар"},
    "en": {"label": "English", "sign_out": "Sign out", "plan": "Plan"},
}


def switch_language(page, label):
    page.get_by_label("Язык интерфейса").select_option(label=label)
    with page.expect_navigation():
        page.locator("form.language-switcher button").first.click()


@pytest.mark.parametrize("language", ["kk", "en"])
def test_main_pages_in_each_language(page, portal, reported, language):
    words = LANGUAGES[language]
    log_in(page, portal, "mon_officer")
    switch_language(page, words["label"])
    current = "mon_officer"
    for name, path, who in main_pages(reported):
        if who != current:
            page.get_by_role("button", name=words["sign_out"]).click()
            page.goto(f"{portal}/login/")
            page.locator("#id_username").fill(who)
            page.locator("#id_password").fill("browser-test-password")
            page.locator("form[action='/login/'] button[type=submit]").click()
            page.wait_for_url(f"{portal}/")
            current = who
        page.goto(portal + path)
        assert page.locator("html").get_attribute("lang") == language, name
        expect(page.get_by_role("button", name=words["sign_out"])).to_be_visible()
        expect(
            page.locator("#main-nav").get_by_role("link", name=words["plan"], exact=True)
        ).to_be_visible()


def test_no_page_breaks_the_content_security_policy(page, portal, reported):
    problems = []
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    page.on("pageerror", lambda e: problems.append(str(e)))
    current = None
    for name, path, who in [("login", "/login/", None), *main_pages(reported)]:
        if who and who != current:
            page.context.clear_cookies()
            log_in(page, portal, who)
            current = who
        page.goto(portal + path)
        page.wait_for_load_state("networkidle")
        assert problems == [], name
    # The dashboard's chart was drawn by its script, under the policy.
    page.goto(f"{portal}/cycles/{reported.cycle.pk}/dashboard/")
    expect(page.locator("canvas")).to_have_count(1)
    assert page.evaluate("() => typeof Chart") == "function"
