"""The search pages of the seeded site in a real browser: accessibility, valid HTML, a
search typed and submitted, with and without JavaScript, and the title suggestions."""

import json
import subprocess
import urllib.request
from urllib.parse import parse_qs, quote, urlparse

from tests.browser.conftest import VNU
from tests.browser.test_pages_in_chromium import _audit

SEARCH_PAGES = [
    "/ko/search/",
    "/en/search/",
    "/ko/search/?q=교통",
    "/en/search/?q=bus",
    "/en/search/?q=bus&kind=news",
    "/ko/search/?q=zzqqxxjj",
    "/ko/search/?q=버스&sector=no-such-sector&year=soon",
]


def test_search_pages_have_no_wcag_violations(browser, site_url):
    failures = _audit(browser, site_url, SEARCH_PAGES, width=1280)
    assert failures == {}, json.dumps(failures, indent=1, ensure_ascii=False)


def test_search_pages_at_phone_width_have_no_wcag_violations(browser, site_url):
    failures = _audit(browser, site_url, ["/ko/search/?q=교통", "/en/search/"], width=360)
    assert failures == {}, json.dumps(failures, indent=1, ensure_ascii=False)


def test_search_pages_are_valid_html(site_url, tmp_path):
    files = {}
    for n, path in enumerate(SEARCH_PAGES):
        url = site_url + quote(path, safe="/?=&")
        file = tmp_path / f"search{n}.html"
        file.write_bytes(urllib.request.urlopen(url).read())
        files[str(file)] = path
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    errors = [
        f"{files.get(m.get('url', '').removeprefix('file:'), m.get('url'))}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m.get("type") == "error"
    ]
    assert errors == [], "\n".join(errors)


def _search(page, field: str, query: str) -> None:
    page.fill(field, query)
    with page.expect_navigation():
        page.press(field, "Enter")


def _shows_results_for(page, language: str, query: str) -> None:
    url = urlparse(page.url)
    assert url.path == f"/{language}/search/"
    assert parse_qs(url.query)["q"] == [query]
    assert page.locator("#search-results-title").is_visible()
    assert page.locator(".search-hit").count() > 0
    assert page.locator("#search-q").input_value() == query


def test_typing_a_query_and_submitting_shows_results(browser, site_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(site_url + "/en/search/")
    _search(page, "#search-q", "bus")
    _shows_results_for(page, "en", "bus")
    first = page.locator(".search-hit .board-item-title a").first
    href = first.get_attribute("href")
    with page.expect_navigation():
        first.click()
    assert urlparse(page.url).path == href
    context.close()


def test_the_header_search_box_searches_in_the_pages_language(browser, site_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(site_url + "/ko/news/")
    _search(page, "#header-search-q", "교통")
    _shows_results_for(page, "ko", "교통")
    context.close()


def test_search_works_without_javascript(browser, site_url):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, java_script_enabled=False
    )
    page = context.new_page()
    page.goto(site_url + "/ko/search/")
    _search(page, "#search-q", "교통")
    _shows_results_for(page, "ko", "교통")
    # A facet is a link: following it filters the results and marks the choice.
    facet = page.locator(".search-facet-link:not(.selected)").first
    with page.expect_navigation():
        facet.click()
    assert page.locator('.search-facet-link[aria-current="true"]').count() >= 1
    assert page.locator(".search-hit").count() > 0
    # Without JavaScript there are no suggestions, and nothing else is missing.
    assert page.locator("datalist").count() == 0
    # On a phone the header's button alone opens the search page.
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(site_url + "/en/news/")
    with page.expect_navigation():
        page.click(".header-search button[type=submit]")
    assert urlparse(page.url).path == "/en/search/"
    assert page.locator(".search-help").is_visible()
    context.close()


def test_typing_shows_title_suggestions(browser, site_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(site_url + "/en/search/")
    page.locator("#search-q").press_sequentially("Seoul", delay=40)
    page.wait_for_function(
        "() => document.querySelectorAll('#search-suggestions-0 option').length > 0"
    )
    assert page.locator("#search-q").get_attribute("list") == "search-suggestions-0"
    context.close()
