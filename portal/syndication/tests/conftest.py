"""Content for the feed, sitemap and metadata tests: items of every kind, in both
languages or only one, a draft and an unpublished item, two sectors and tags."""

import datetime as dt
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
import wagtail_factories
from wagtail.models import Page

from portal.core.tests import factories as f


@pytest.fixture(autouse=True)
def _no_search_indexing(monkeypatch):
    """Publishing updates the site search's index (word analysis, embeddings), which
    these tests do not read: skip it, it is most of their run time."""
    from portal.search import services

    monkeypatch.setattr(services, "search_index_page", lambda **kwargs: None)
    monkeypatch.setattr(services, "search_update_privacy", lambda **kwargs: None)


@dataclass
class Content:
    sectors: dict
    news: dict  # name -> {language: page}
    archives: dict
    policies: dict
    programmes: dict
    partners: list
    drafts: list


def _both(page, tags=(), **english) -> dict:
    """A published Korean page (with ``tags``) and its published English translation."""
    if tags:
        page.tags.add(*tags)
    page = f.publish(page)
    return {"ko": page, "en": f.translate(page, "en", **english)}


@pytest.fixture
def content(tree) -> Content:
    health = f.SectorFactory(slug="health", name_ko="보건", name_en="Health")
    transport = f.SectorFactory(slug="transport", name_ko="교통", name_en="Transport")
    news = {
        "summit": _both(
            f.NewsPageFactory(
                parent=tree.news["ko"],
                title="CAC 글로벌 서밋",
                slug="summit",
                date=dt.date(2020, 6, 11),
                summary="온라인 국제회의가 막을 내렸다.",
                sector=health,
                image=wagtail_factories.ImageFactory(),
            ),
            tags=["기후", "회의"],
            title="CAC Global Summit",
            summary="The online conference ended.",
        ),
        "bus": _both(
            f.NewsPageFactory(
                parent=tree.news["ko"],
                title="버스 개편",
                slug="bus",
                date=dt.date(2020, 5, 1),
                sector=transport,
            ),
            title="Bus reform",
        ),
        "korean_only": {
            "ko": f.publish(
                f.NewsPageFactory(
                    parent=tree.news["ko"],
                    title="한국어로만 쓴 소식",
                    slug="korean-only",
                    date=dt.date(2020, 7, 1),
                    sector=health,
                )
            )
        },
    }
    draft = f.NewsPageFactory(parent=tree.news["ko"], title="초안", slug="draft", live=False)
    withdrawn = f.publish(
        f.NewsPageFactory(
            parent=tree.news["ko"], title="내린 소식", slug="withdrawn", sector=health
        )
    )
    withdrawn.unpublish()
    document = wagtail_factories.DocumentFactory(
        title="보고서 PDF", file__filename="report.pdf", file__data=b"%PDF-1.4 " + b"x" * 2048
    )
    archives = {
        "report": _both(
            f.ArchivePageFactory(
                parent=tree.archives["ko"],
                title="서울 교통 보고서",
                slug="report",
                kind="report",
                date=dt.date(2021, 3, 2),
                summary="교통 정책 보고서",
                document=document,
                sector=transport,
            ),
            title="Seoul transport report",
        ),
        "brochure": _both(
            f.ArchivePageFactory(
                parent=tree.archives["ko"],
                title="서울 안내 책자",
                slug="brochure",
                kind="brochure",
                date=dt.date(2021, 1, 5),
            ),
            title="Seoul brochure",
        ),
    }
    policies = {
        "bus": _both(
            f.PolicyPageFactory(
                parent=tree.policies["ko"],
                title="버스 준공영제",
                slug="bus-policy",
                date=dt.date(2019, 4, 1),
                summary="버스 운영 개혁",
                department="서울시 도시교통실",
                sector=transport,
            ),
            title="Quasi-public bus system",
            summary="A reform of bus operations",
        )
    }
    programmes = {
        "course": _both(
            f.ProgrammePageFactory(
                parent=tree.programmes["ko"], title="도시정책 연수", slug="course", capacity=30
            ),
            title="Urban policy course",
        )
    }
    partners = [
        f.PartnerFactory(name_ko="세계은행", name_en="World Bank", url="https://worldbank.org/"),
        f.PartnerFactory(name_ko="유엔 해비타트", name_en="UN-Habitat"),
    ]
    # Publish what the tree fixture only created, so every live page has a last
    # publication date, as pages published in the admin do.
    for page in Page.objects.live().filter(depth__gt=1, last_published_at__isnull=True):
        f.publish(page.specific)
    return Content(
        sectors={"health": health, "transport": transport},
        news=news,
        archives=archives,
        policies=policies,
        programmes=programmes,
        partners=partners,
        drafts=[draft, withdrawn],
    )


class HeadParser(HTMLParser):
    """The <link>, <meta> and JSON-LD <script> elements of a page's <head>."""

    def __init__(self):
        super().__init__()
        self.links: list[dict] = []
        self.metas: list[dict] = []
        self.json_ld: list[str] = []
        self._in_json_ld = False
        self._in_head = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "head":
            self._in_head = True
        elif self._in_head and tag == "link":
            self.links.append(attrs)
        elif self._in_head and tag == "meta":
            self.metas.append(attrs)
        elif self._in_head and tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_json_ld = True
            self.json_ld.append("")

    def handle_endtag(self, tag):
        if tag == "head":
            self._in_head = False
        elif tag == "script":
            self._in_json_ld = False

    def handle_data(self, data):
        if self._in_json_ld:
            self.json_ld[-1] += data

    def meta(self, key: str) -> list[str]:
        """Contents of the meta elements with this property or name."""
        return [
            m.get("content", "")
            for m in self.metas
            if m.get("property") == key or m.get("name") == key
        ]

    def link_hrefs(self, rel: str, **attrs) -> list[str]:
        return [
            link["href"]
            for link in self.links
            if link.get("rel") == rel and all(link.get(k) == v for k, v in attrs.items())
        ]


def parse_head(html: str) -> HeadParser:
    parser = HeadParser()
    parser.feed(html)
    return parser
