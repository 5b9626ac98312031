"""Withdrawn items are reported as deleted (the repository keeps deletions persistently),
only if they were harvestable, and stop being deleted when they are published again."""

import datetime as dt

import pytest
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from portal.core.tests import factories as f
from portal.oai.models import DeletedRecord
from portal.oai.tests.conftest import NS, error_code, identifiers, oai, oai_id, records

pytestmark = pytest.mark.django_db


def headers_by_identifier(root) -> dict:
    return {
        header.find("oai:identifier", NS).text: header
        for header in root.iterfind(".//oai:header", NS)
    }


def test_unpublished_policy_and_deleted_archive_item_are_reported_deleted(client, catalogue):
    policy, archive = catalogue.bus["en"], catalogue.arisu["ko"]
    policy_id, archive_id = oai_id(policy, "policy"), oai_id(archive, "archive")
    before = timezone.now().replace(microsecond=0)

    policy.unpublish()
    archive.delete()

    root = oai(client, verb="ListRecords", metadataPrefix="oai_dc")
    headers = headers_by_identifier(root)
    for identifier, sets in [
        (policy_id, ["kind:policy", "sector:transportation"]),
        (archive_id, ["kind:archive", "sector:water"]),
    ]:
        header = headers[identifier]
        assert header.get("status") == "deleted"
        stamp = dt.datetime.strptime(
            header.find("oai:datestamp", NS).text, "%Y-%m-%dT%H:%M:%SZ"
        ).replace(tzinfo=dt.UTC)
        assert before <= stamp <= timezone.now()
        assert [e.text for e in header.iterfind("oai:setSpec", NS)] == sets
    # A deleted record has a header and no metadata.
    for record in records(root):
        if record.find("oai:header", NS).get("status") == "deleted":
            assert record.find("oai:metadata", NS) is None
    # The other language versions are still there, without the withdrawn relation.
    assert headers[oai_id(catalogue.bus["ko"], "policy")].get("status") is None


def test_get_record_of_a_deleted_record_is_a_deleted_header(client, catalogue):
    page = catalogue.report["en"]
    identifier = oai_id(page, "archive")
    page.delete()

    root = oai(client, verb="GetRecord", identifier=identifier, metadataPrefix="oai_dc")

    (record,) = records(root)
    assert record.find("oai:header", NS).get("status") == "deleted"
    assert record.find("oai:header/oai:identifier", NS).text == identifier
    assert record.find("oai:metadata", NS) is None
    formats = oai(client, verb="ListMetadataFormats", identifier=identifier)
    assert error_code(formats) is None


def test_deleted_records_are_selected_by_set_and_date(client, catalogue):
    catalogue.bus["ko"].unpublish()
    DeletedRecord.objects.filter(page_id=catalogue.bus["ko"].pk).update(
        deleted_at=dt.datetime(2023, 5, 1, 12, 0, tzinfo=dt.UTC)
    )
    identifier = oai_id(catalogue.bus["ko"], "policy")

    def listed(**params) -> bool:
        root = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", **params)
        return identifier in identifiers(root)

    assert listed(set="kind:policy")
    assert listed(set="sector:transportation")
    assert listed(set="sector")
    assert not listed(set="kind:archive")
    assert listed(**{"from": "2023-05-01", "until": "2023-05-01"})
    assert not listed(**{"from": "2023-05-02"})


def test_republishing_removes_the_tombstone(client, catalogue):
    page = catalogue.bikes["ko"]
    page.unpublish()
    assert DeletedRecord.objects.filter(page_id=page.pk).exists()

    f.publish(Page.objects.get(pk=page.pk).specific)

    assert not DeletedRecord.objects.filter(page_id=page.pk).exists()
    root = oai(client, verb="GetRecord", identifier=oai_id(page, "policy"), metadataPrefix="oai_dc")
    header = records(root)[0].find("oai:header", NS)
    assert header.get("status") is None
    assert records(root)[0].find("oai:metadata", NS) is not None


def test_a_live_page_is_never_reported_deleted_even_with_a_stale_tombstone(client, catalogue):
    page = catalogue.bikes["en"]
    DeletedRecord.objects.create(
        identifier=oai_id(page, "policy"),
        kind="policy",
        page_id=page.pk,
        language="en",
        sets=["kind:policy"],
        deleted_at=timezone.now(),
    )
    root = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="kind:policy")
    headers = [h for h in root.iterfind(".//oai:header", NS)]
    matching = [h for h in headers if h.find("oai:identifier", NS).text == oai_id(page, "policy")]
    assert len(matching) == 1 and matching[0].get("status") is None


def test_deleting_an_unpublished_page_keeps_its_first_deletion_date(client, catalogue):
    page = catalogue.unpublished
    first = DeletedRecord.objects.get(page_id=page.pk).deleted_at

    Page.objects.get(pk=page.pk).delete()

    assert DeletedRecord.objects.get(page_id=page.pk).deleted_at == first


def test_deleting_a_board_reports_each_of_its_items_deleted(client, catalogue, tree):
    Page.objects.get(pk=tree.archives["en"].pk).delete()

    stored = set(DeletedRecord.objects.values_list("page_id", "language", "kind"))
    assert stored >= {
        (catalogue.arisu["en"].pk, "en", "archive"),
        (catalogue.report["en"].pk, "en", "archive"),
    }
    assert (catalogue.arisu["ko"].pk, "ko", "archive") not in stored


def test_pages_that_were_never_harvestable_leave_no_tombstone(client, catalogue, tree):
    catalogue.draft.delete()
    catalogue.news.unpublish()
    private = f.publish(
        f.PolicyPageFactory(parent=tree.policies["ko"], title="비공개", slug="private")
    )
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="pw"
    )
    private.unpublish()

    assert set(DeletedRecord.objects.values_list("page_id", flat=True)) == {
        catalogue.unpublished.pk
    }


def test_tombstones_keep_identifier_language_and_sets(catalogue):
    page = catalogue.arisu["en"]
    page.unpublish()

    row = DeletedRecord.objects.get(page_id=page.pk)

    assert row.identifier == oai_id(page, "archive")
    assert (row.kind, row.language, row.sector) == ("archive", "en", "water")
    assert row.sets == ["kind:archive", "sector:water"]
