"""The cooperation request form of the seeded site in a real browser: accessibility in
both languages, and a request typed, sent and confirmed."""

import json
import re

from tests.browser.test_pages_in_chromium import _audit

FORM_PAGES = ["/ko/inquiries/request/", "/en/inquiries/request/"]


def test_request_form_has_no_wcag_violations(browser, site_url):
    failures = _audit(browser, site_url, FORM_PAGES, width=1280)
    assert failures == {}, json.dumps(failures, indent=1, ensure_ascii=False)


def test_request_form_at_phone_width_has_no_wcag_violations(browser, site_url):
    failures = _audit(browser, site_url, FORM_PAGES, width=360)
    assert failures == {}, json.dumps(failures, indent=1, ensure_ascii=False)


def _fill_and_send(page) -> None:
    page.fill("#id_name", "Ana Souza")
    page.fill("#id_organisation", "City of Curitiba")
    page.fill("#id_city", "Curitiba")
    page.fill("#id_country", "Brazil")
    page.fill("#id_email", "ana@example.org")
    page.select_option("#id_kind", "study_visit")
    page.fill("#id_people", "12")
    page.fill("#id_message", "We would like to learn about the bus reform.")
    page.click("label[for=id_consent]")
    with page.expect_navigation():
        page.click(".inquiry-form button[type=submit]")


def test_sending_a_request_shows_the_confirmation(browser, site_url):
    for language in ("en", "ko"):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.goto(f"{site_url}/{language}/inquiries/request/")
        _fill_and_send(page)
        assert re.search(rf"/{language}/inquiries/request/sent/SS-\d{{4}}-\d{{6}}/$", page.url)
        assert re.search(r"SS-\d{4}-\d{6}", page.locator(".inquiry-reference").inner_text())
        context.close()


def test_a_mistake_is_shown_and_what_was_typed_is_kept(browser, site_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{site_url}/en/inquiries/request/")
    page.fill("#id_email", "not-an-address")
    page.fill("#id_message", "Kept text")
    with page.expect_navigation():
        page.click(".inquiry-form button[type=submit]")
    assert page.locator("#form-errors").is_visible()
    assert page.locator("#id_message").input_value() == "Kept text"
    assert page.locator("#id_email").get_attribute("aria-invalid") == "true"
    context.close()


def test_a_policy_added_from_the_list_is_on_the_confirmation(browser, site_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{site_url}/en/inquiries/request/")
    more = page.locator("details.inquiry-more-related")
    assert more.get_attribute("open") is None  # the list starts folded
    more.locator("summary").click()
    first = more.locator(".krds-form-check").first
    title = first.locator("label").inner_text()
    first.locator("label").click()
    _fill_and_send(page)
    summary = page.locator(".inquiry-summary")
    assert summary.get_by_role("link", name=title).is_visible()
    context.close()
