"""Applying to the open demo programme in Korean in headless Chromium shows the confirmation
with its reference; the form has no WCAG violations."""

import json
import re

from tests.browser.test_pages_in_chromium import _axe_violations

MITI_KO = "/ko/programmes/miti-urban-mobility-training/"


def test_apply_to_the_open_demo_programme_in_korean(browser, site_url):
    # axe is injected as an inline script, which the site's policy would refuse.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.goto(site_url + MITI_KO)
    violations = _axe_violations(page)
    assert violations == [], json.dumps(violations, indent=1, ensure_ascii=False)
    page.fill("#id_organisation", "하노이시")
    page.fill("#id_contact_name", "응우옌 반 아")
    page.fill("#id_email", "nguyen.browser@example.org")
    page.fill("#id_participants", "4")
    page.fill("#id_motivation", "버스 노선 개편을 준비하고 있습니다.")
    page.click("label[for=id_consent]")
    page.locator("textarea[id^=id_question_], input[id^=id_question_]").first.fill(
        "순환도로의 교통 혼잡"
    )
    page.click("form.application-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/applied/$"))
    assert page.locator("html").get_attribute("lang") == "ko"
    reference = page.locator(".application-reference").inner_text()
    assert re.fullmatch(r"AP-\d{4}-\d{6}", reference)
    context.close()
