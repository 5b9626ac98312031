"""A small harvestable catalogue (policies and archive items in both languages, with the
pages that must stay out of it) and helpers to ask the endpoint and read its XML."""

import datetime as dt
import functools
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest
from wagtail.models import Page

from portal.core.tests import factories as f

NS = {
    "oai": "http://www.openarchives.org/OAI/2.0/",
    "oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "id": "http://www.openarchives.org/OAI/2.0/oai-identifier",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ENDPOINT = "/oai/"
SCHEMAS = Path(__file__).parent / "schemas"


@dataclass
class Catalogue:
    """Each harvestable item maps a language to its page; the rest must not be harvested."""

    bus: dict
    bikes: dict
    arisu: dict
    report: dict
    news: object
    draft: object
    unpublished: object
    transport: object
    water: object

    def harvestable(self) -> list[Page]:
        return [
            page
            for item in (self.bus, self.bikes, self.arisu, self.report)
            for page in item.values()
        ]


def bilingual(factory, board: dict, *, en: dict, tags=(), **fields) -> dict:
    """A published Korean page and its published English translation (``en`` changed)."""
    page = factory(parent=board["ko"], **fields)
    if tags:
        page.tags.add(*tags)
    f.publish(page)
    return {"ko": page, "en": f.translate(page, "en", **en)}


@pytest.fixture
def catalogue(tree) -> Catalogue:
    transport = f.SectorFactory(slug="transportation", name_ko="교통", name_en="Transportation")
    water = f.SectorFactory(slug="water", name_ko="상수도", name_en="Water Supply")
    bus = bilingual(
        f.PolicyPageFactory,
        tree.policies,
        title="버스 체계 개편",
        en={"title": "Bus Reform", "summary": "Seoul's 2004 bus reform"},
        slug="bus-reform",
        sector=transport,
        date=dt.date(2014, 3, 10),
        summary="2004년 서울 버스 개편",
        department="도시교통실",
        tags=["버스", "BRT"],
    )
    bikes = bilingual(
        f.PolicyPageFactory,
        tree.policies,
        title="공공자전거 따릉이",
        en={"title": "Public Bicycles"},
        slug="ddareungi",
        sector=transport,
        date=dt.date(2016, 1, 5),
    )
    arisu = bilingual(
        f.ArchivePageFactory,
        tree.archives,
        title="아리수 브로슈어",
        en={"title": "Arisu Brochure"},
        slug="arisu",
        sector=water,
        kind="brochure",
        date=dt.date(2020, 5, 21),
        author="상수도사업본부",
    )
    report = bilingual(
        f.ArchivePageFactory,
        tree.archives,
        title="도시 보고서",
        en={"title": "City Report"},
        slug="city-report",
        kind="report",
        date=dt.date(2019, 11, 2),
    )
    news = f.publish(f.NewsPageFactory(parent=tree.news["ko"], title="소식", slug="news-item"))
    draft = f.PolicyPageFactory(parent=tree.policies["ko"], title="초안", slug="draft", live=False)
    unpublished = f.publish(
        f.ArchivePageFactory(parent=tree.archives["ko"], title="내린 자료", slug="withdrawn")
    )
    unpublished.unpublish()
    return Catalogue(
        bus=bus,
        bikes=bikes,
        arisu=arisu,
        report=report,
        news=news,
        draft=draft,
        unpublished=unpublished,
        transport=transport,
        water=water,
    )


def set_published(page: Page, moment: dt.datetime) -> None:
    """Date a page's record, as a publication at ``moment`` would."""
    Page.objects.filter(pk=page.pk).update(last_published_at=moment)


def utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


@functools.cache
def response_schema():
    """The OAI-PMH response schema (with oai_dc), from local files: no network."""
    etree = pytest.importorskip("lxml.etree")
    return etree.XMLSchema(etree.parse(str(SCHEMAS / "oai-pmh.xsd")))


def assert_valid(content: bytes) -> None:
    """The response is valid against the schema."""
    etree = pytest.importorskip("lxml.etree")
    schema = response_schema()
    document = etree.fromstring(content)
    assert schema.validate(document), schema.error_log.filter_from_errors()


def oai(client, method: str = "get", **params) -> ET.Element:
    """The parsed response to a request; checks what every response shares."""
    response = getattr(client, method)(ENDPOINT, params)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    assert_valid(response.content)
    return ET.fromstring(response.content)


def error_code(root: ET.Element) -> str | None:
    error = root.find("oai:error", NS)
    return error.get("code") if error is not None else None


def identifiers(root: ET.Element) -> list[str]:
    return [element.text for element in root.iterfind(".//oai:header/oai:identifier", NS)]


def records(root: ET.Element) -> list[ET.Element]:
    return root.findall(".//oai:record", NS)


def dc_values(record: ET.Element, name: str) -> list[str]:
    """The texts of one Dublin Core element of a record, in order."""
    return [element.text for element in record.iterfind(f".//oai_dc:dc/dc:{name}", NS)]


def resumption_token(root: ET.Element) -> ET.Element | None:
    return root.find(".//oai:resumptionToken", NS)


def oai_id(page: Page, kind: str) -> str:
    return f"oai:seoulsolution.kr:{kind}/{page.pk}"
