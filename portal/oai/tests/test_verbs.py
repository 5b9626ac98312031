"""The six verbs through the Django test client: what each answers, selective harvesting
by set and date, and lists split by resumption tokens. Every response is checked against
the OAI-PMH schema."""

import datetime as dt

import pytest
from wagtail.models import Page, PageViewRestriction

from portal.core.tests import factories as f
from portal.oai.models import DeletedRecord
from portal.oai.tests.conftest import (
    ENDPOINT,
    NS,
    XML_LANG,
    dc_values,
    error_code,
    identifiers,
    oai,
    oai_id,
    records,
    resumption_token,
    set_published,
    utc,
)

pytestmark = pytest.mark.django_db


def test_identify_describes_the_repository(client, catalogue, settings):
    settings.ADMINS = [("Web team", "web@example.org"), ("Data team", "data@example.org")]
    set_published(catalogue.report["en"], utc(2011, 4, 5, 6, 7, 8, 900))

    root = oai(client, verb="Identify")

    identify = root.find("oai:Identify", NS)
    text = {child.tag.split("}")[1]: child.text for child in identify}
    assert text["repositoryName"] == "Seoul Solution"
    assert text["baseURL"] == "http://testserver/oai/"
    assert text["protocolVersion"] == "2.0"
    assert [e.text for e in identify.iterfind("oai:adminEmail", NS)] == [
        "web@example.org",
        "data@example.org",
    ]
    assert text["earliestDatestamp"] == "2011-04-05T06:07:08Z"
    assert text["deletedRecord"] == "persistent"
    assert text["granularity"] == "YYYY-MM-DDThh:mm:ssZ"
    assert identify.find(".//id:repositoryIdentifier", NS).text == "seoulsolution.kr"
    assert root.find("oai:request", NS).attrib == {"verb": "Identify"}


def test_identify_uses_the_repository_identifier_setting_and_default_email(client, tree, settings):
    settings.OAI_REPOSITORY_IDENTIFIER = "policies.example.org"
    settings.ADMINS = []

    identify = oai(client, verb="Identify").find("oai:Identify", NS)

    assert identify.find("oai:adminEmail", NS).text == "webmaster@seoulsolution.kr"
    assert identify.find(".//id:sampleIdentifier", NS).text.startswith("oai:policies.example.org:")
    # No record yet: the earliest datestamp is still a lower bound.
    assert identify.find("oai:earliestDatestamp", NS).text == "1970-01-01T00:00:00Z"


def test_earliest_datestamp_counts_deleted_records(client, catalogue):
    for page in catalogue.harvestable():
        set_published(page, utc(2015, 1, 1))
    # The item the fixture withdrew is the earliest record now.
    DeletedRecord.objects.update(deleted_at=utc(2012, 2, 3, 4, 5, 6))

    identify = oai(client, verb="Identify").find("oai:Identify", NS)

    assert identify.find("oai:earliestDatestamp", NS).text == "2012-02-03T04:05:06Z"


def test_list_metadata_formats_offers_oai_dc(client, catalogue):
    for params in [{}, {"identifier": oai_id(catalogue.bus["en"], "policy")}]:
        root = oai(client, verb="ListMetadataFormats", **params)
        formats = root.findall(".//oai:metadataFormat", NS)
        assert [fmt.find("oai:metadataPrefix", NS).text for fmt in formats] == ["oai_dc"]
        assert formats[0].find("oai:schema", NS).text == (
            "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
        )
        assert formats[0].find("oai:metadataNamespace", NS).text == (
            "http://www.openarchives.org/OAI/2.0/oai_dc/"
        )


def test_list_sets_names_kinds_and_sectors_in_both_languages(client, catalogue):
    root = oai(client, verb="ListSets")

    sets = {
        element.find("oai:setSpec", NS).text: element.find("oai:setName", NS).text
        for element in root.iterfind(".//oai:set", NS)
    }
    assert sets == {
        "kind": "Kinds of item / 자료 유형",
        "kind:policy": "Policies / 정책 사례",
        "kind:archive": "Archive items / 아카이브",
        "sector": "Sectors / 분야",
        "sector:transportation": "Transportation / 교통",
        "sector:water": "Water Supply / 상수도",
    }


def test_get_record_describes_one_language_version_in_dublin_core(client, catalogue):
    page = catalogue.bus["en"]
    root = oai(client, verb="GetRecord", identifier=oai_id(page, "policy"), metadataPrefix="oai_dc")

    (record,) = records(root)
    header = record.find("oai:header", NS)
    assert header.find("oai:identifier", NS).text == f"oai:seoulsolution.kr:policy/{page.pk}"
    assert header.find("oai:datestamp", NS).text == page.last_published_at.astimezone(
        dt.UTC
    ).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert [e.text for e in header.iterfind("oai:setSpec", NS)] == [
        "kind:policy",
        "sector:transportation",
    ]
    assert dc_values(record, "title") == ["Bus Reform"]
    assert record.find(".//dc:title", NS).get(XML_LANG) == "en"
    assert dc_values(record, "creator") == ["도시교통실"]
    assert dc_values(record, "subject") == ["Transportation", "BRT", "버스"]
    assert dc_values(record, "description") == ["Seoul's 2004 bus reform"]
    assert dc_values(record, "date") == ["2014-03-10"]
    assert dc_values(record, "language") == ["en"]
    assert dc_values(record, "type") == ["Text", "policy"]
    assert dc_values(record, "publisher") == ["Seoul Metropolitan Government"]
    assert dc_values(record, "identifier") == ["http://testserver/en/policies/bus-reform/"]
    assert dc_values(record, "relation") == ["http://testserver/ko/policies/bus-reform/"]
    request = root.find("oai:request", NS)
    assert request.get("identifier") == oai_id(page, "policy")
    assert request.get("metadataPrefix") == "oai_dc"


def test_get_record_of_a_korean_archive_item(client, catalogue):
    page = catalogue.arisu["ko"]
    root = oai(
        client, verb="GetRecord", identifier=oai_id(page, "archive"), metadataPrefix="oai_dc"
    )

    (record,) = records(root)
    assert dc_values(record, "title") == ["아리수 브로슈어"]
    assert dc_values(record, "subject") == ["상수도"]
    assert dc_values(record, "publisher") == ["서울특별시"]
    assert dc_values(record, "type") == ["Text", "brochure"]
    assert dc_values(record, "language") == ["ko"]
    assert dc_values(record, "relation") == ["http://testserver/en/archives/arisu/"]


def test_a_page_without_translation_has_no_relation(client, tree):
    page = f.publish(f.PolicyPageFactory(parent=tree.policies["en"], title="Only English"))
    root = oai(client, verb="GetRecord", identifier=oai_id(page, "policy"), metadataPrefix="oai_dc")
    assert dc_values(records(root)[0], "relation") == []
    assert dc_values(records(root)[0], "subject") == []


def test_list_identifiers_gives_every_language_version_of_published_items(client, catalogue):
    root = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc")

    live = [
        h.find("oai:identifier", NS).text
        for h in root.iterfind(".//oai:header", NS)
        if h.get("status") != "deleted"
    ]
    expected = [
        oai_id(page, "policy" if page.specific_class.__name__ == "PolicyPage" else "archive")
        for page in catalogue.harvestable()
    ]
    assert sorted(live) == sorted(expected)
    assert root.find(".//oai:metadata", NS) is None


@pytest.mark.parametrize(
    ("set_spec", "expected"),
    [
        ("kind:policy", ["bus", "bikes"]),
        ("kind:archive", ["arisu", "report"]),
        ("sector:transportation", ["bus", "bikes"]),
        ("sector:water", ["arisu"]),
        ("sector", ["bus", "bikes", "arisu"]),
        ("kind", ["bus", "bikes", "arisu", "report"]),
    ],
)
def test_list_identifiers_by_set(client, catalogue, set_spec, expected):
    root = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set=set_spec)

    live = [
        h.find("oai:identifier", NS).text
        for h in root.iterfind(".//oai:header", NS)
        if h.get("status") != "deleted"
    ]
    pages = [page for name in expected for page in getattr(catalogue, name).values()]
    assert sorted(live) == sorted(
        oai_id(page, "policy" if name in ("bus", "bikes") else "archive")
        for name in expected
        for page in getattr(catalogue, name).values()
    )
    assert len(live) == len(pages)
    for header in root.iterfind(".//oai:header", NS):
        specs = [e.text for e in header.iterfind("oai:setSpec", NS)]
        assert any(spec == set_spec or spec.startswith(set_spec + ":") for spec in specs)


@pytest.fixture
def dated(catalogue):
    """Publication times chosen for selective harvesting; the tombstone is far later."""
    set_published(catalogue.bus["ko"], utc(2021, 1, 10, 10, 0, 0, 500_000))
    set_published(catalogue.bus["en"], utc(2021, 1, 10, 12, 0, 0))
    set_published(catalogue.bikes["ko"], utc(2021, 3, 1, 0, 0, 0))
    set_published(catalogue.bikes["en"], utc(2021, 3, 1, 23, 59, 59))
    for page in [*catalogue.arisu.values(), *catalogue.report.values()]:
        set_published(page, utc(2022, 6, 1))
    return catalogue


@pytest.mark.parametrize(
    ("dates", "expected"),
    [
        ({"from": "2021-01-10", "until": "2021-01-10"}, ["bus.ko", "bus.en"]),
        ({"from": "2021-01-10T10:00:00Z", "until": "2021-01-10T10:00:00Z"}, ["bus.ko"]),
        ({"from": "2021-01-10T10:00:01Z", "until": "2021-03-01T00:00:00Z"}, ["bus.en", "bikes.ko"]),
        ({"until": "2021-02-01"}, ["bus.ko", "bus.en"]),
        ({"from": "2021-03-01", "until": "2021-03-01"}, ["bikes.ko", "bikes.en"]),
        ({"from": "2021-03-02", "until": "2022-06-01"}, []),
        ({"from": "2021-03-01T12:00:00Z", "until": "9999-12-31T23:59:59Z"}, ["bikes.en"]),
        (
            {"from": "0001-01-01", "until": "9999-12-31"},
            ["bus.ko", "bus.en", "bikes.ko", "bikes.en"],
        ),
    ],
)
def test_list_identifiers_from_until_are_inclusive(client, dated, dates, expected):
    root = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="kind:policy", **dates)

    pages = [
        getattr(dated, name)[language]
        for name, language in (entry.split(".") for entry in expected)
    ]
    if not pages:
        assert error_code(root) == "noRecordsMatch"
    else:
        assert identifiers(root) == [oai_id(page, "policy") for page in pages]


def test_lists_are_in_datestamp_order(client, dated):
    root = oai(client, verb="ListRecords", metadataPrefix="oai_dc", set="kind:policy")
    stamps = [e.text for e in root.iterfind(".//oai:header/oai:datestamp", NS)]
    assert stamps == [
        "2021-01-10T10:00:00Z",
        "2021-01-10T12:00:00Z",
        "2021-03-01T00:00:00Z",
        "2021-03-01T23:59:59Z",
    ]


def test_post_is_answered_like_get(client, catalogue):
    got = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    posted = oai(client, "post", verb="ListIdentifiers", metadataPrefix="oai_dc")
    assert identifiers(posted) == identifiers(got)


def test_other_methods_are_refused(client, tree):
    assert client.put(ENDPOINT, {"verb": "Identify"}).status_code == 405


def test_resumption_tokens_page_through_the_whole_list(client, catalogue, settings):
    settings.OAI_PAGE_SIZE = 3
    root = oai(client, verb="ListRecords", metadataPrefix="oai_dc")
    seen, cursors = identifiers(root), []
    token = resumption_token(root)
    while token is not None and token.text:
        cursors.append((token.get("cursor"), token.get("completeListSize")))
        root = oai(client, verb="ListRecords", resumptionToken=token.text)
        assert root.find("oai:request", NS).attrib == {
            "verb": "ListRecords",
            "resumptionToken": token.text,
        }
        seen += identifiers(root)
        token = resumption_token(root)
    # The last response of a split list carries an empty token.
    assert token is not None and not token.text
    cursors.append((token.get("cursor"), token.get("completeListSize")))

    assert len(seen) == len(set(seen)) == 9  # 8 live versions and the withdrawn item
    assert cursors == [("0", "9"), ("3", "9"), ("6", "9")]


def test_a_list_that_fits_one_response_has_no_token(client, catalogue):
    root = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    assert resumption_token(root) is None


def test_a_record_republished_during_a_harvest_is_not_lost(client, dated, settings):
    """The token resumes after the last record seen: a record republished meanwhile moves
    to the end of the list instead of shifting the others out of the next page."""
    settings.OAI_PAGE_SIZE = 2
    first = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="kind:policy")
    assert identifiers(first) == [
        oai_id(dated.bus["ko"], "policy"),
        oai_id(dated.bus["en"], "policy"),
    ]
    f.publish(Page.objects.get(pk=dated.bus["ko"].pk).specific)

    second = oai(client, verb="ListIdentifiers", resumptionToken=resumption_token(first).text)

    assert identifiers(second) == [
        oai_id(dated.bikes["ko"], "policy"),
        oai_id(dated.bikes["en"], "policy"),
    ]
    third = oai(client, verb="ListIdentifiers", resumptionToken=resumption_token(second).text)
    assert identifiers(third) == [oai_id(dated.bus["ko"], "policy")]
    assert not resumption_token(third).text


def test_resumption_token_keeps_the_selection(client, dated, settings):
    settings.OAI_PAGE_SIZE = 1
    root = oai(
        client,
        verb="ListIdentifiers",
        metadataPrefix="oai_dc",
        set="sector:transportation",
        **{"from": "2021-01-10", "until": "2021-01-10"},
    )
    token = resumption_token(root)
    assert token.get("completeListSize") == "2"
    second = oai(client, verb="ListIdentifiers", resumptionToken=token.text)
    assert identifiers(second) == [oai_id(dated.bus["en"], "policy")]
    assert not resumption_token(second).text


def test_text_is_escaped_and_cleaned_of_characters_xml_forbids(client, tree):
    page = f.publish(
        f.PolicyPageFactory(
            parent=tree.policies["en"],
            title='Roads & <Rails> "now"\x0b',
            summary="a\x1fb",  # PostgreSQL stores no NUL; \x1f is as forbidden in XML
        )
    )
    root = oai(client, verb="GetRecord", identifier=oai_id(page, "policy"), metadataPrefix="oai_dc")
    assert dc_values(records(root)[0], "title") == ['Roads & <Rails> "now"']
    assert dc_values(records(root)[0], "description") == ["ab"]


def test_private_pages_are_not_harvested(client, catalogue):
    PageViewRestriction.objects.create(
        page=catalogue.bus["ko"], restriction_type=PageViewRestriction.PASSWORD, password="pw"
    )
    root = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="kind:policy")
    assert oai_id(catalogue.bus["ko"], "policy") not in identifiers(root)
    assert oai_id(catalogue.bus["en"], "policy") in identifiers(root)
