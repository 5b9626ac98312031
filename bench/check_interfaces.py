"""Read a running site through its open interfaces with real clients and report what each
found: the API (openapi-spec-validator, then Schemathesis), OAI-PMH (the Sickle
harvester), the feeds (feedparser), the sitemap and its hreflang links, JSON-LD and
robots.txt.

    make check-interfaces [BASE=http://127.0.0.1:8000]   (installs the clients first)

Every request goes to --base (loopback by default). Exits 1 if any check fails.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import feedparser
import requests
from openapi_spec_validator import validate
from sickle import Sickle

SITEMAP_NS = {
    "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "x": "http://www.w3.org/1999/xhtml",
}
LD_JSON = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
failures: list[str] = []


class PoliteSession(requests.Session):
    """Waits as long as a 429 answer's Retry-After says, then asks again."""

    def request(self, method, url, *args, **kwargs):
        while True:
            response = super().request(method, url, *args, **kwargs)
            if response.status_code != 429:
                return response
            time.sleep(int(response.headers.get("Retry-After", "1")))


def check(condition: bool, what: str) -> None:
    print(("  ok   " if condition else "  FAIL ") + what)
    if not condition:
        failures.append(what)


def api_items(session: requests.Session, base: str) -> list[dict]:
    rows, url = [], f"{base}/api/v1/items?per_page=100"
    while url:
        body = session.get(url, timeout=30).json()
        rows += body["results"]
        url = body["next"]
    return rows


def check_api(session: requests.Session, base: str) -> list[dict]:
    print("JSON API")
    document = session.get(f"{base}/api/v1/openapi.json", timeout=30).json()
    validate(document)
    check(True, f"openapi-spec-validator: OpenAPI {document['openapi']} document is valid")
    rows = api_items(session, base)
    by = Counter((row["kind"], row["language"]) for row in rows)
    check(len(rows) > 0, f"/items lists {len(rows)} versions: {dict(sorted(by.items()))}")
    first = session.get(f"{base}/api/v1/items", timeout=30)
    again = session.get(
        f"{base}/api/v1/items", headers={"If-None-Match": first.headers["ETag"]}, timeout=30
    )
    check(again.status_code == 304, "If-None-Match with the ETag answers 304")
    both = next((row for row in rows if row["translations"]), None)
    if both:
        item = session.get(f"{base}/api/v1/items/{both['id']}", timeout=30).json()
        languages = sorted(version["language"] for version in item["versions"])
        check(languages == ["en", "ko"], f"/items/{{id}} gives both versions: {languages}")
    hits = session.get(
        f"{base}/api/v1/search", params={"q": "따릉이", "language": "en"}, timeout=30
    ).json()
    check(hits["total"] > 0, f"/search?q=따릉이&language=en finds {hits['total']} items")
    missing = session.get(f"{base}/api/v1/no-such-thing", timeout=30)
    check(
        missing.status_code == 404
        and missing.headers["Content-Type"].startswith("application/json"),
        "an unknown address is a JSON 404",
    )
    schemathesis = Path(sys.executable).with_name("schemathesis")
    run = subprocess.run(
        [str(schemathesis), "run", f"{base}/api/v1/openapi.json", "--max-examples", "20",
         "--no-color"],
        capture_output=True, text=True, timeout=1200,
    )  # fmt: skip
    summary = [
        line
        for line in run.stdout.splitlines()
        if re.search(r"passed|failed|Test cases|API Operations", line)
    ]
    check(run.returncode == 0, "schemathesis run: " + " / ".join(s.strip() for s in summary[-4:]))
    if run.returncode:
        print(run.stdout[-4000:])
    return rows


def check_oai(base: str, rows: list[dict]) -> None:
    print("OAI-PMH")
    sickle = Sickle(f"{base}/oai/")
    identify = sickle.Identify()
    check(identify.protocolVersion == "2.0", f"Identify: {identify.repositoryName}, 2.0")
    records = list(sickle.ListRecords(metadataPrefix="oai_dc", ignore_deleted=True))
    harvested = Counter(
        (record.header.identifier.split(":")[-1].split("/")[0], record.metadata["language"][0])
        for record in records
    )
    expected = Counter(
        (row["kind"], row["language"]) for row in rows if row["kind"] in ("policy", "archive")
    )
    check(
        harvested == expected,
        f"ListRecords (following resumption tokens): {len(records)} records, "
        f"{dict(sorted(harvested.items()))}, the same as the API's policies and archive items",
    )
    urls = {record.metadata["identifier"][0] for record in records}
    api_urls = {row["url"] for row in rows if row["kind"] in ("policy", "archive")}
    check(urls == api_urls, "every record's identifier is the URL of a published page")
    sets = list(sickle.ListSets())
    check(len(sets) > 2, f"ListSets: {len(sets)} sets")
    for verb, params, code in [
        ("Nonsense", {}, "badVerb"),
        ("ListRecords", {}, "badArgument"),
        ("ListRecords", {"metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
        (
            "GetRecord",
            {"metadataPrefix": "oai_dc", "identifier": "oai:x:policy/0"},
            "idDoesNotExist",
        ),
        ("ListRecords", {"metadataPrefix": "oai_dc", "from": "2999-01-01"}, "noRecordsMatch"),
        ("ListRecords", {"resumptionToken": "forged"}, "badResumptionToken"),
    ]:
        body = requests.get(f"{base}/oai/", params={"verb": verb, **params}, timeout=30).text
        check(f'code="{code}"' in body, f"{verb} {params} answers {code}")


def check_feeds(session: requests.Session, base: str) -> None:
    print("Feeds")
    for language in ("ko", "en"):
        for board in ("news", "archives", "policies"):
            for kind in ("rss", "atom"):
                url = f"{base}/{language}/feeds/{board}/{kind}/"
                feed = feedparser.parse(session.get(url, timeout=30).content)
                feed_language = feed.feed.get("language", "")
                check(
                    not feed.bozo and len(feed.entries) > 0 and feed_language.startswith(language),
                    f"{url}: {len(feed.entries)} entries, language {feed_language!r}, "
                    f"bozo {feed.bozo}",
                )


def check_sitemap(session: requests.Session, base: str) -> None:
    print("Sitemap")
    root = ET.fromstring(session.get(f"{base}/sitemap.xml", timeout=30).content)
    urls = root.findall("s:url", SITEMAP_NS)
    locations = [url.findtext("s:loc", namespaces=SITEMAP_NS) for url in urls]
    check(len(locations) == len(set(locations)), f"{len(locations)} URLs, each once")
    by_language = Counter(location.split("/")[3] for location in locations)
    check(set(by_language) == {"ko", "en"}, f"by language: {dict(by_language)}")
    alternates = {link.get("href") for url in urls for link in url.findall("x:link", SITEMAP_NS)}
    broken = [href for href in alternates if session.get(href, timeout=30).status_code != 200]
    check(not broken, f"{len(alternates)} hreflang targets, {len(broken)} not answering 200")
    lastmod = sum(1 for url in urls if url.findtext("s:lastmod", namespaces=SITEMAP_NS))
    check(lastmod == len(urls), f"{lastmod} of {len(urls)} URLs carry lastmod")
    robots = session.get(f"{base}/robots.txt", timeout=30).text
    check(f"Sitemap: {base}/sitemap.xml" in robots, "robots.txt names the sitemap")


def check_json_ld(session: requests.Session, rows: list[dict]) -> None:
    print("JSON-LD")
    seen = {}
    for row in rows:
        seen.setdefault((row["kind"], row["language"]), row)
    for (kind, language), row in sorted(seen.items()):
        html = session.get(row["url"], timeout=30).text
        blocks = [json.loads(block) for block in LD_JSON.findall(html)]
        data = blocks[0] if blocks else {}
        title = data.get("headline") or data.get("name")
        dated = data.get("datePublished") or data.get("startDate")
        in_language = data.get("inLanguage") or data.get("mainEntityOfPage", {}).get("inLanguage")
        check(
            title == row["title"] and bool(dated) and in_language == language,
            f"{kind}/{language} {data.get('@type')}: title, date {dated}, inLanguage {in_language}",
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    base = parser.parse_args().base.rstrip("/")
    session = PoliteSession()
    rows = check_api(session, base)
    check_oai(base, rows)
    check_feeds(session, base)
    check_sitemap(session, base)
    check_json_ld(session, rows)
    print(f"\n{len(failures)} failed" if failures else "\nall checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
