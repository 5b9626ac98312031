"""The seeded site in a real browser: accessibility (axe-core, WCAG 2.1 A/AA) and valid HTML
(the Nu HTML Checker) on the home page, a listing and a detail page in both languages."""

import json
import subprocess
import urllib.request

from tests.browser.conftest import AXE, VNU

PAGES = [
    "/ko/",
    "/en/",
    "/ko/news/",
    "/en/news/",
    "/ko/news/cac-global-summit-hits-10-million-youtube-views/",
    "/en/news/cac-global-summit-hits-10-million-youtube-views/",
    "/ko/archives/",
    "/en/programmes/seoul-international-finance-office-2020/",
    "/ko/sharing-city/",
    "/en/partners/",
    "/ko/policies/sharing-city-seoul/",
    "/en/no-such-page/",
]
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


def _audit(browser, base_url: str, paths: list[str], width: int) -> dict:
    """Open each path at ``width`` px; check status, lang, landmarks and sideways scrolling;
    return axe's violations by path."""
    # axe is injected as an inline script, which the site's policy would refuse.
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
    page = context.new_page()
    failures = {}
    for path in paths:
        response = page.goto(base_url + path)
        assert response.status == (404 if "no-such-page" in path else 200), path
        assert page.locator("html").get_attribute("lang") == path.split("/")[1]
        assert page.locator("main").count() == 1, path
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width, f"{path} scrolls sideways at {width} px ({scroll_width} px)"
        violations = _axe_violations(page)
        if violations:
            failures[path] = violations
    context.close()
    return failures


def test_pages_load_and_have_no_wcag_violations(browser, site_url):
    failures = _audit(browser, site_url, PAGES, width=1280)
    assert failures == {}, json.dumps(failures, indent=1, ensure_ascii=False)


def test_pages_at_phone_width_have_no_wcag_violations(browser, site_url):
    failures = _audit(browser, site_url, ["/ko/", "/en/news/", "/ko/programmes/"], width=360)
    assert failures == {}, json.dumps(failures, indent=1, ensure_ascii=False)


def test_pages_are_valid_html(site_url, tmp_path):
    files = []
    for n, path in enumerate(PAGES):
        try:
            body = urllib.request.urlopen(site_url + path).read()
        except urllib.error.HTTPError as error:
            body = error.read()
        file = tmp_path / f"page{n}.html"
        file.write_bytes(body)
        files.append((path, file))
    result = subprocess.run(
        [
            "java",
            "-jar",
            str(VNU),
            "--errors-only",
            "--format",
            "json",
            *[str(f) for _, f in files],
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    by_file = {str(f): p for p, f in files}
    errors = [
        f"{by_file.get(m.get('url', '').removeprefix('file:'), m.get('url'))}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m.get("type") == "error"
    ]
    assert errors == [], "\n".join(errors)
