"""Under the site's Content-Security-Policy (no inline script without the response's
nonce), the public pages and the admin run their scripts with no violation in Chromium."""

import re

import pytest

from tests.browser.conftest import ADMIN

PUBLIC = [
    "/ko/",
    "/en/",
    "/ko/search/?q=%EC%9E%90%EC%A0%84%EA%B1%B0",
    "/ko/inquiries/request/",
    "/ko/programmes/miti-urban-mobility-training/",
    "/api/v1/docs",
]
ADMIN_PAGES = [
    "/admin/",
    "/admin/pages/",
    "/admin/statistics/",
    "/admin/documents/",
    "/admin/images/",
    "/admin/snippets/",
    "/admin/documents/edit/1/",
    "/admin/users/",
]
WATCH = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', event => window.__violations.push(
    `${event.violatedDirective} ${event.blockedURI} ${event.sample || ''}`));
"""


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(WATCH)
    yield context
    context.close()


def _violations(page) -> list[str]:
    page.wait_for_load_state("networkidle")
    return page.evaluate("window.__violations")


def test_public_pages_run_under_the_policy(context, site_url):
    page = context.new_page()
    for path in PUBLIC:
        response = page.goto(site_url + path)
        assert response.status == 200, path
        policy = response.headers["content-security-policy"]
        assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0], path
        assert _violations(page) == [], path
    # The API's documentation is drawn by its scripts.
    page.goto(site_url + "/api/v1/docs")
    page.wait_for_selector(".swagger-ui .info", timeout=15_000)


def test_the_admin_runs_its_scripts_under_the_policy(context, site_url):
    page = context.new_page()
    page.goto(site_url + "/admin/login/")
    page.fill("#id_username", ADMIN[0])
    page.fill("#id_password", ADMIN[1])
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/admin/$"))
    for path in ADMIN_PAGES:
        response = page.goto(site_url + path)
        assert response.status == 200, path
        assert _violations(page) == [], path

    # A programme's edit form: date widgets and an inline panel, each set up by an inline
    # script that carries the response's nonce.
    page.goto(site_url + "/admin/pages/search/?q=MITI")
    page.locator("a[href*='/edit/']").first.click()
    page.wait_for_selector("form[data-edit-form]")
    assert page.locator("script[nonce]").count() > 0
    assert _violations(page) == []
    before = page.locator("[id^='inline_child_questions-']").count()
    page.get_by_role("button", name=re.compile("추가|Add")).filter(
        has_text=re.compile("질문|Question")
    ).first.click()
    assert page.locator("[id^='inline_child_questions-']").count() > before
    page.locator("#id_application_opens").click()
    assert _violations(page) == []

    # wagtail-localize's form to translate a page.
    submit = re.sub(r"/admin/pages/(\d+)/edit/.*", r"/admin/localize/submit/page/\1/", page.url)
    assert page.goto(submit).status == 200
    assert _violations(page) == []
