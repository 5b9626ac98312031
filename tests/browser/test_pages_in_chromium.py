"""The seeded site in a real browser: accessibility (axe-core, WCAG 2.1 A/AA) and valid HTML
(the Nu HTML Checker) on the home page, a listing and a detail page in both languages."""

import json
import subprocess
import urllib.request
from io import StringIO

import pytest
from django.core.management import call_command

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

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def seeded_server(live_server):
    call_command("load_seed", stdout=StringIO())
    return live_server


def _axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


def test_pages_load_and_have_no_wcag_violations(browser, seeded_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    failures = {}
    for path in PAGES:
        response = page.goto(seeded_server.url + path)
        expected = 404 if "no-such-page" in path else 200
        assert response.status == expected, path
        assert page.locator("html").get_attribute("lang") == path.split("/")[1]
        assert page.locator("main").count() == 1, path
        violations = _axe_violations(page)
        if violations:
            failures[path] = violations
    context.close()
    assert failures == {}, json.dumps(failures, indent=1, ensure_ascii=False)


def test_pages_at_phone_width_have_no_wcag_violations(browser, seeded_server):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    failures = {}
    for path in ["/ko/", "/en/news/"]:
        page.goto(seeded_server.url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{path} scrolls sideways at 360 px ({width} px)"
        violations = _axe_violations(page)
        if violations:
            failures[path] = violations
    context.close()
    assert failures == {}, json.dumps(failures, indent=1, ensure_ascii=False)


def test_pages_are_valid_html(seeded_server, tmp_path):
    files = []
    for n, path in enumerate(PAGES):
        try:
            body = urllib.request.urlopen(seeded_server.url + path).read()
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
