"""SQL queries per page, with 10 and with 100 items on each board: the home page at most
12, listings and detail pages at most 10, the search page at most 8, and the same count
whatever the number of items. Archive items carry a PDF whose text search finds, and
items have been read, so that the home page has its most read block.

Counted on the second request: the first builds what every page shares (menu, settings,
the home page of each language), which stays in the shared cache until content changes.
"""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.archives.services import document_from_file
from portal.archives.tests import pdfs
from portal.core.tests import factories as f
from portal.counts.models import CountKind
from portal.counts.services import count_event
from portal.programmes.selectors import seoul_today

pytestmark = pytest.mark.django_db

HOME, LISTING, DETAIL, SEARCH = 12, 10, 10, 8


def _add_items(tree, sectors, start: int, count: int, document=None) -> dict:
    """``count`` published items on every board, in Korean with an English translation
    for every other one; the first of each kind is returned."""
    first = {}
    today = seoul_today()
    for n in range(start, start + count):
        sector = sectors[n % len(sectors)]
        made = {
            "news": f.NewsPageFactory(
                parent=tree.news["ko"], slug=f"news-{n}", title=f"버스 소식 {n}", sector=sector
            ),
            "policy": f.PolicyPageFactory(
                parent=tree.policies["ko"],
                slug=f"policy-{n}",
                title=f"버스 정책 {n}",
                sector=sector,
            ),
            "archive": f.ArchivePageFactory(
                parent=tree.archives["ko"],
                slug=f"archive-{n}",
                title=f"버스 자료 {n}",
                sector=sector,
                document=document,
            ),
            "programme": f.ProgrammePageFactory(
                parent=tree.programmes["ko"],
                slug=f"programme-{n}",
                title=f"버스 연수 {n}",
                sector=sector,
                application_opens=today - dt.timedelta(days=1),
                application_closes=today + dt.timedelta(days=1),
                recruitment_start=today - dt.timedelta(days=5),
                recruitment_end=today + dt.timedelta(days=1),
                capacity=30,
            ),
        }
        for kind, page in made.items():
            if hasattr(page, "tags"):
                page.tags.add("bus", f"tag-{n}")
            f.publish(page)
            translation = f.translate(page, "en", title=f"Bus {kind} {n}") if n % 2 == 0 else None
            first.setdefault(kind, {"ko": page, "en": translation})
            count_event(kind=CountKind.PAGE_VIEW, object_id=page.pk)
            if translation is not None:
                count_event(kind=CountKind.PAGE_VIEW, object_id=translation.pk)
        f.PartnerFactory(slug=f"partner-{n}")
    return first


def _count(client, url: str) -> int:
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _pages(first: dict) -> dict[str, int]:
    """Each page measured, with its budget."""
    pages = {
        "/ko/": HOME,
        "/en/": HOME,
        "/ko/news/": LISTING,
        "/en/news/": LISTING,
        "/ko/policies/?sector=water": LISTING,
        "/ko/archives/": LISTING,
        "/ko/programmes/": LISTING,
        "/en/partners/": LISTING,
        "/ko/search/?q=버스": SEARCH,
        "/en/search/?q=bus": SEARCH,
        "/en/search/?q=bus&kind=policy&page=2": SEARCH,
    }
    for versions in first.values():
        pages[versions["ko"].url] = DETAIL
        pages[versions["en"].url] = DETAIL
    return pages


def test_queries_stay_within_budget_whatever_the_number_of_items(client, tree):
    sectors = [
        f.SectorFactory(slug="transportation", name_ko="교통", name_en="Transportation"),
        f.SectorFactory(slug="water", name_ko="상수도", name_en="Water Supply"),
    ]
    document = document_from_file(
        title="버스 노선 안내",
        name="bus.pdf",
        data=pdfs.unicode_text_pdf(["버스 노선 개편 안내", "Bus routes reorganised", "버스 환승"]),
    )
    first = _add_items(tree, sectors, start=0, count=10, document=document)
    pages = _pages(first)
    pages["/ko/search/?q=버스 환승"] = SEARCH  # found inside the PDF, on its third page
    with_10 = {url: _count(client, url) for url in pages}
    _add_items(tree, sectors, start=10, count=90, document=document)
    with_100 = {url: _count(client, url) for url in pages}

    over = {url: count for url, count in with_10.items() if count > pages[url]}
    assert over == {}, f"over budget: {over}"
    changed = {url: (with_10[url], with_100[url]) for url in pages if with_10[url] != with_100[url]}
    assert changed == {}, f"counts that grow with the items: {changed}"
