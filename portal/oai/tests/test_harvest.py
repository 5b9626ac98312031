"""A real harvester (Sickle) against the running site: it must get exactly the published
policies and archive items in both languages, following resumption tokens, and be able to
select by set and date."""

import pytest
from sickle import Sickle

from portal.oai.tests.conftest import oai_id, set_published, utc

pytestmark = [
    # The live server runs in another thread: the data must be committed, and
    # serialized_rollback restores the pages of the migrations that the flush removes.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


class CountingSickle(Sickle):
    """Sickle that remembers the arguments of every request it sends."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sent: list[dict] = []

    def harvest(self, **kwargs):
        self.sent.append(dict(kwargs))
        return super().harvest(**kwargs)


def _kind(page) -> str:
    return "policy" if page.specific_class.__name__ == "PolicyPage" else "archive"


def test_harvester_gets_every_published_item_in_both_languages(live_server, catalogue, settings):
    settings.OAI_PAGE_SIZE = 3
    sickle = CountingSickle(live_server.url + "/oai/")

    harvested = list(sickle.ListRecords(metadataPrefix="oai_dc"))

    # 8 live versions and the withdrawn archive item, 3 to a response.
    assert len(sickle.sent) == 3
    assert all(set(sent) == {"verb", "resumptionToken"} for sent in sickle.sent[1:])
    live = {record.header.identifier: record for record in harvested if not record.deleted}
    deleted = [record.header.identifier for record in harvested if record.deleted]
    assert sorted(live) == sorted(oai_id(page, _kind(page)) for page in catalogue.harvestable())
    assert deleted == [oai_id(catalogue.unpublished, "archive")]
    # Neither news, nor the draft, appear at all.
    for page, kind in [(catalogue.news, "news"), (catalogue.draft, "policy")]:
        assert oai_id(page, kind) not in live

    for name in ("bus", "bikes", "arisu", "report"):
        versions = getattr(catalogue, name)
        for language, other in [("ko", "en"), ("en", "ko")]:
            page = versions[language]
            metadata = live[oai_id(page, _kind(page))].metadata
            assert metadata["title"] == [page.title]
            assert metadata["language"] == [language]
            assert metadata["identifier"] == [live_server.url + page.url]
            assert metadata["relation"] == [live_server.url + versions[other].url]

    bus_ko = live[oai_id(catalogue.bus["ko"], "policy")]
    assert bus_ko.metadata["subject"] == ["교통", "BRT", "버스"]
    assert bus_ko.header.setSpecs == ["kind:policy", "sector:transportation"]
    bus_en = live[oai_id(catalogue.bus["en"], "policy")]
    assert bus_en.metadata["subject"][0] == "Transportation"
    assert bus_en.metadata["description"] == ["Seoul's 2004 bus reform"]
    arisu_en = live[oai_id(catalogue.arisu["en"], "archive")]
    assert arisu_en.metadata["subject"] == ["Water Supply"]
    assert arisu_en.metadata["type"] == ["Text", "brochure"]
    assert arisu_en.metadata["date"] == ["2020-05-21"]


def test_harvester_selects_by_set_and_date_and_reads_the_repository(
    live_server, catalogue, settings
):
    settings.OAI_PAGE_SIZE = 2
    set_published(catalogue.bus["ko"], utc(2021, 1, 10, 9))
    set_published(catalogue.bus["en"], utc(2021, 1, 11, 9))
    set_published(catalogue.bikes["ko"], utc(2021, 2, 1, 9))
    set_published(catalogue.bikes["en"], utc(2021, 2, 2, 9))
    sickle = CountingSickle(live_server.url + "/oai/", http_method="POST")

    identify = sickle.Identify()
    assert identify.repositoryName == "Seoul Solution"
    assert identify.baseURL == live_server.url + "/oai/"
    assert identify.protocolVersion == "2.0"
    assert identify.deletedRecord == "persistent"
    assert identify.granularity == "YYYY-MM-DDThh:mm:ssZ"
    assert identify.earliestDatestamp == "2021-01-10T09:00:00Z"

    assert [f.metadataPrefix for f in sickle.ListMetadataFormats()] == ["oai_dc"]
    assert {s.setSpec for s in sickle.ListSets()} == {
        "kind",
        "kind:policy",
        "kind:archive",
        "sector",
        "sector:transportation",
        "sector:water",
    }

    policies = [
        h.identifier for h in sickle.ListIdentifiers(metadataPrefix="oai_dc", set="kind:policy")
    ]
    assert policies == [
        oai_id(page, "policy")
        for page in (
            catalogue.bus["ko"],
            catalogue.bus["en"],
            catalogue.bikes["ko"],
            catalogue.bikes["en"],
        )
    ]
    water = [
        h.identifier for h in sickle.ListIdentifiers(metadataPrefix="oai_dc", set="sector:water")
    ]
    assert water == [
        oai_id(catalogue.arisu["ko"], "archive"),
        oai_id(catalogue.arisu["en"], "archive"),
    ]
    january = sickle.ListIdentifiers(
        metadataPrefix="oai_dc", set="kind:policy", **{"from": "2021-01-11", "until": "2021-02-01"}
    )
    assert [h.identifier for h in january] == [
        oai_id(catalogue.bus["en"], "policy"),
        oai_id(catalogue.bikes["ko"], "policy"),
    ]

    record = sickle.GetRecord(
        identifier=oai_id(catalogue.bikes["en"], "policy"), metadataPrefix="oai_dc"
    )
    assert record.metadata["title"] == ["Public Bicycles"]
    assert record.header.datestamp == "2021-02-02T09:00:00Z"
