"""`manage.py import_corpus`: documents become board pages in their languages, linked as
translations; a second run updates in place; bad lines are reported; a dry run writes nothing."""

import datetime as dt
import json
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from taggit.models import Tag
from wagtail.models import Page, PageLogEntry, Revision

from portal.archives.models import ArchiveKind, ArchivePage
from portal.core.corpus import corpus_slug, corpus_translation_key
from portal.core.tests import factories as f
from portal.news.models import NewsPage
from portal.policies.models import PolicyPage

pytestmark = pytest.mark.django_db


def document(doc_id="D005", *, kind="policy", languages=("en", "ko"), **changes) -> dict:
    texts = {
        "en": {
            "title": "Ddareungi: Seoul's Public Bicycle Rental System",
            "summary": "Seoul Bike lets anyone rent a bicycle from unmanned stations.",
            "body": "Seoul launched Ddareungi in 2015.\nRidership grew every year <fast>.",
        },
        "ko": {
            "title": "서울 공공자전거 따릉이",
            "summary": "따릉이는 무인 대여소에서 누구나 빌릴 수 있는 공공자전거다.",
            "body": "서울시는 2015년 따릉이를 도입했다.",
        },
    }
    data = {
        "id": doc_id,
        "kind": kind,
        "sector": "transportation",
        "date": "2017-04-18",
        "author": "Bicycle Policy Division",
        **{
            name: {language: texts[language][name] for language in languages}
            for name in ("title", "summary", "body")
        },
        "tags": ["Ddareungi", "따릉이", "bike-sharing"],
    }
    data.update(changes)
    return data


def write(tmp_path, *lines, name="documents.jsonl"):
    path = tmp_path / name
    path.write_text(
        "\n".join(
            line if isinstance(line, str) else json.dumps(line, ensure_ascii=False)
            for line in lines
        )
        + "\n",
        encoding="utf-8",
    )
    return path


def run(path, *args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_corpus", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_failing(path, *args) -> tuple[str, str, str]:
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("import_corpus", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue(), str(raised.value)


def counts() -> dict:
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "log": PageLogEntry.objects.count(),
        "tags": Tag.objects.count(),
    }


def pages_of(doc_id, model=PolicyPage) -> dict:
    key = corpus_translation_key(document_id=doc_id)
    return {
        page.locale.language_code: page
        for page in model.objects.filter(translation_key=key).select_related("locale")
    }


@pytest.fixture
def corpus_tree(tree):
    f.SectorFactory(slug="transportation", name_ko="교통", name_en="Transportation")
    f.SectorFactory(slug="environment", name_ko="환경", name_en="Environment")
    return tree


def test_bilingual_document_becomes_korean_and_english_pages_linked_as_translations(
    corpus_tree, tmp_path
):
    out, _err = run(write(tmp_path, document("D005")))

    pages = pages_of("D005")
    assert set(pages) == {"ko", "en"}
    ko, en = pages["ko"], pages["en"]
    assert ko.get_parent().pk == corpus_tree.policies["ko"].pk
    assert en.get_parent().pk == corpus_tree.policies["en"].pk
    assert ko.translation_key == en.translation_key
    assert ko.get_translation(en.locale).pk == en.pk
    assert ko.live and en.live
    assert ko.title == "서울 공공자전거 따릉이"
    assert en.title == "Ddareungi: Seoul's Public Bicycle Rental System"
    assert en.summary.startswith("Seoul Bike lets anyone")
    assert en.date == dt.date(2017, 4, 18)
    assert en.sector.slug == "transportation"
    assert ko.slug == en.slug == "d005-ddareungi-seouls-public-bicycle-rental-system"
    assert "2 pages created, 0 updated, 0 unchanged; 0 lines with errors" in out
    assert "1/1 lines" in out


def test_policy_body_becomes_escaped_paragraphs_in_background_and_author_the_department(
    corpus_tree, tmp_path
):
    run(write(tmp_path, document("D005")))

    en = pages_of("D005")["en"]
    assert en.background == (
        "<p>Seoul launched Ddareungi in 2015.</p><p>Ridership grew every year &lt;fast&gt;.</p>"
    )
    assert en.implementation == en.obstacles == en.results == ""
    assert en.department == "Bicycle Policy Division"


def test_news_and_archive_items_go_to_their_boards(corpus_tree, tmp_path):
    run(
        write(
            tmp_path,
            document("D006", kind="news", date="2020-06-11"),
            document("D008", kind="archive", date="2019-03-02"),
        )
    )

    news = pages_of("D006", NewsPage)
    assert news["ko"].get_parent().pk == corpus_tree.news["ko"].pk
    assert news["en"].author == "Bicycle Policy Division"
    assert news["en"].body.startswith("<p>Seoul launched Ddareungi")
    archive = pages_of("D008", ArchivePage)
    assert archive["en"].get_parent().pk == corpus_tree.archives["en"].pk
    assert archive["en"].kind == ArchiveKind.BROCHURE
    assert archive["en"].publication_year == 2019


@pytest.mark.parametrize(
    ("language", "slug"),
    [("ko", "d082"), ("en", "d082-ddareungi-seouls-public-bicycle-rental-system")],
    ids=["korean-only", "english-only"],
)
def test_single_language_document_becomes_one_page_in_that_language(
    corpus_tree, tmp_path, language, slug
):
    out, _err = run(write(tmp_path, document("D082", languages=(language,))))

    pages = pages_of("D082")
    assert set(pages) == {language}
    assert pages[language].slug == slug
    assert pages[language].get_parent().pk == corpus_tree.policies[language].pk
    assert "1 pages created" in out


def test_tags_and_source_id_are_stored_on_every_language(corpus_tree, tmp_path):
    run(write(tmp_path, document("D005")))

    for page in pages_of("D005").values():
        assert page.source_id == "D005"
        assert set(page.tags.names()) == {"Ddareungi", "따릉이", "bike-sharing"}


def test_second_run_of_the_same_file_changes_nothing(corpus_tree, tmp_path):
    path = write(tmp_path, document("D005"), document("D006", kind="news", languages=("ko",)))
    run(path)
    before = counts()

    out, _err = run(path)

    assert counts() == before
    assert "0 pages created, 0 updated, 3 unchanged" in out


def test_reimport_updates_the_changed_page_in_place(corpus_tree, tmp_path):
    run(write(tmp_path, document("D005")))
    before = pages_of("D005")
    revisions = {lang: page.revisions.count() for lang, page in before.items()}
    changed = document("D005", tags=["Ddareungi", "Seoul Bike"])
    changed["title"]["en"] = "Ddareungi: Seoul Bike for Everyone"

    out, _err = run(write(tmp_path, changed))

    after = pages_of("D005")
    assert PolicyPage.objects.filter(source_id="D005").count() == 2
    assert {lang: page.pk for lang, page in after.items()} == {
        lang: page.pk for lang, page in before.items()
    }
    assert after["en"].title == "Ddareungi: Seoul Bike for Everyone"
    # The URL stays what it was when the page was created.
    assert after["en"].slug == before["en"].slug
    assert set(after["ko"].tags.names()) == {"Ddareungi", "Seoul Bike"}
    assert after["en"].revisions.count() == revisions["en"] + 1
    assert after["en"].live_revision_id == after["en"].latest_revision_id
    assert "0 pages created, 2 updated, 0 unchanged" in out


def test_reimport_leaves_an_unchanged_language_alone(corpus_tree, tmp_path):
    run(write(tmp_path, document("D005")))
    ko_revisions = pages_of("D005")["ko"].revisions.count()
    changed = document("D005")
    changed["summary"]["en"] = "A shorter summary."

    out, _err = run(write(tmp_path, changed))

    assert pages_of("D005")["ko"].revisions.count() == ko_revisions
    assert pages_of("D005")["en"].summary == "A shorter summary."
    assert "0 pages created, 1 updated, 1 unchanged" in out


def test_bad_lines_are_reported_with_their_numbers_and_good_lines_still_import(
    corpus_tree, tmp_path
):
    no_english_summary = document("D010")
    del no_english_summary["summary"]["en"]
    lines = [
        (document("D001"), None),
        ('{"id": "D002", "kind": ', "invalid JSON"),
        ({**document("D003"), "id": ""}, "missing id"),
        (document("D004", kind="video"), "unknown kind 'video'"),
        (document("D005", sector="space"), "unknown sector 'space'"),
        (document("D006", date="2017-13-01"), "bad date '2017-13-01'"),
        (no_english_summary, "summary has no 'en' text"),
        (document("D007", languages=()), "no text in any language"),
        (document("D001"), "duplicate id, first on line 1"),
        (document("D009", kind="news", languages=("ko",)), None),
    ]

    out, err, message = run_failing(write(tmp_path, *[line for line, _reason in lines]))

    reported = {
        int(number): reason for number, reason in re.findall(r"^line (\d+)[^:]*: (.*)$", err, re.M)
    }
    expected = {number: reason for number, (_line, reason) in enumerate(lines, 1) if reason}
    assert set(reported) == set(expected)
    for number, reason in expected.items():
        assert reason in reported[number]
    assert message == "8 of 10 lines were not imported."
    assert "2 documents: 3 pages created" in out
    assert set(pages_of("D001")) == {"ko", "en"}
    assert set(pages_of("D009", NewsPage)) == {"ko"}
    assert not PolicyPage.objects.filter(source_id__in=["D003", "D004", "D005", "D006"]).exists()


def test_missing_board_in_a_language_fails_only_the_lines_that_need_it(corpus_tree, tmp_path):
    corpus_tree.news["en"].unpublish()
    path = write(
        tmp_path,
        document("D006", kind="news"),
        document("D016", kind="news", languages=("ko",)),
    )

    _out, err, message = run_failing(path)

    assert "line 1 (D006): no live NewsIndexPage in 'en'" in err
    assert message == "1 of 2 lines were not imported."
    assert not pages_of("D006", NewsPage)
    assert set(pages_of("D016", NewsPage)) == {"ko"}


def test_a_failing_language_leaves_no_page_of_the_document_behind(corpus_tree, tmp_path):
    slug = corpus_slug(document_id="D005", title_en=document()["title"]["en"])
    f.PolicyPageFactory(parent=corpus_tree.policies["en"], slug=slug)
    before = counts()

    _out, err, _message = run_failing(write(tmp_path, document("D005")))

    assert f"the slug '{slug}' is already used" in err
    assert not pages_of("D005")
    assert counts() == before


def test_dry_run_reports_what_would_happen_and_writes_nothing(corpus_tree, tmp_path):
    path = write(tmp_path, document("D005"), document("D006", kind="news", languages=("en",)))
    before = counts()

    out, _err = run(path, "--dry-run")

    assert counts() == before
    assert "Dry run, nothing was written." in out
    assert "3 pages would be created, 0 updated, 0 unchanged" in out


def test_dry_run_after_an_import_reports_updates_without_making_them(corpus_tree, tmp_path):
    run(write(tmp_path, document("D005")))
    before = counts()
    changed = document("D005", tags=["new tag"])
    changed["title"]["ko"] = "따릉이"

    out, _err = run(write(tmp_path, changed), "--dry-run")

    assert counts() == before
    assert pages_of("D005")["ko"].title == "서울 공공자전거 따릉이"
    assert "0 pages would be created, 2 updated, 0 unchanged" in out


def test_dry_run_reports_bad_lines_too(corpus_tree, tmp_path):
    _out, err, message = run_failing(write(tmp_path, document("D005", sector="space")), "--dry-run")

    assert "line 1 (D005): unknown sector 'space'" in err
    assert message == "1 of 1 lines were not imported."


def test_missing_file_is_an_error(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_corpus", str(tmp_path / "missing.jsonl"), stdout=StringIO())


def test_imported_pages_are_searchable_once_as_one_item(corpus_tree, tmp_path):
    from portal.search.selectors import search_page

    path = write(tmp_path, document("D005"))
    run(path)
    english = search_page(query="Ddareungi", language="en")
    assert len(english.hits) == 1
    assert english.hits[0].languages == ("en", "ko")
    assert english.hits[0].language == "en"
    assert search_page(query="따릉이", language="ko").hits[0].language == "ko"


def test_after_a_bulk_import_the_search_and_the_admin_search_find_every_page(
    corpus_tree, tmp_path, monkeypatch
):
    """More documents than one transaction holds, with a bad line in the middle: the
    site search and Wagtail's admin search both find the pages, and the reference index
    records their sectors, though neither Wagtail index was updated as pages were saved."""
    from django.db.models.signals import post_save
    from modelsearch.signal_handlers import post_save_signal_handler
    from wagtail.models import ReferenceIndex

    from portal.core import corpus
    from portal.search.models import SearchEntry
    from portal.search.selectors import search_page

    monkeypatch.setattr(corpus, "DOCUMENTS_PER_TRANSACTION", 2)
    lines = [document(f"B{number:03d}") for number in range(5)]
    lines.insert(2, {"id": "BAD", "kind": "policy"})
    _out, err, _message = run_failing(write(tmp_path, *lines))
    assert "line 3 (BAD)" in err

    pages = [page for number in range(5) for page in pages_of(f"B{number:03d}").values()]
    assert len(pages) == 10 and all(page.live and page.live_revision_id for page in pages)
    assert not pages_of("BAD")
    assert SearchEntry.objects.filter(page_id__in=[page.pk for page in pages]).count() == 10
    assert search_page(query="public bicycle rental", language="en").total == 5
    found = {page.pk for page in PolicyPage.objects.search("Ddareungi")}
    assert {page.pk for page in pages if page.locale.language_code == "en"} <= found
    assert ReferenceIndex.get_references_to(pages[0].sector).count() >= 10
    # Saving a page after the import updates the admin search again.
    receivers = [ref() for (_, sender), ref, *_ in post_save.receivers if sender == id(PolicyPage)]
    assert post_save_signal_handler in receivers
