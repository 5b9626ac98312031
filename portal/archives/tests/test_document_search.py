"""Text inside an archive item's PDF is found by search, with the page it is on; a new
or replaced file is searched at once, and a deleted one no longer."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.documents.models import Document
from wagtail.models import Collection, Locale

from portal.archives.tests import pdfs
from portal.core.tests import factories as f
from portal.search.selectors import search_page

pytestmark = pytest.mark.django_db

KOREAN_PAGES = [
    "서울 수돗물 아리수 안내서",
    "아리수는 한강 물을 정수하여 공급합니다",
    "고도정수처리 오존 입상활성탄 공정으로 냄새 물질을 없앱니다",
]
ENGLISH_PAGES = [
    "Seoul Public Transportation",
    "Buses run on median lanes",
    "Smart card transfers discount fares across subway and bus",
    "Contact the transport office",
]


@pytest.fixture
def editor(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("ed", "ed@example.org", "pw"))
    return client


def _upload(client, data: bytes, *, url=None, title="Brochure") -> Document:
    response = client.post(
        url or reverse("wagtaildocs:add"),
        {
            "title": title,
            "file": ContentFile(data, name="brochure.pdf"),
            "collection": Collection.get_first_root_node().pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Document.objects.order_by("-pk").first()


@pytest.fixture
def brochures(tree, editor):
    """A Korean brochure item with a Korean PDF and an English one with an English PDF,
    whose summaries say nothing of what the PDFs hold."""
    korean = _upload(editor, pdfs.unicode_text_pdf(KOREAN_PAGES), title="아리수")
    english = _upload(editor, pdfs.unicode_text_pdf(ENGLISH_PAGES), title="Transport")
    ko = f.publish(
        f.ArchivePageFactory(
            parent=tree.archives["ko"],
            title="서울의 물 이야기",
            slug="water",
            summary="서울시가 펴낸 안내 책자입니다.",
            date=dt.date(2019, 5, 1),
            document=korean,
        )
    )
    en = f.publish(
        f.ArchivePageFactory(
            parent=tree.archives["en"],
            locale=Locale.objects.get(language_code="en"),
            title="Getting around Seoul",
            slug="getting-around",
            summary="A brochure published by the city.",
            date=dt.date(2019, 5, 1),
            document=english,
        )
    )
    return {"ko": (ko, korean), "en": (en, english)}


def _hit(query: str, language: str, page_id: int):
    results = search_page(query=query, language=language)
    return next((hit for hit in results.hits if hit.page_id == page_id), None)


def test_a_phrase_only_in_a_korean_pdf_is_found_with_its_page(brochures):
    page, document = brochures["ko"]
    hit = _hit("오존 입상활성탄", "ko", page.pk)
    assert hit is not None
    assert hit.document_page == 3
    assert hit.document_url == f"{document.url}#page=3"
    assert "<mark>" in hit.snippet_html and "활성탄" in hit.snippet_html


def test_a_phrase_only_in_an_english_pdf_is_found_with_its_page(brochures):
    page, document = brochures["en"]
    hit = _hit("smart card transfer discount", "en", page.pk)
    assert hit is not None
    assert hit.document_page == 3
    assert hit.document_url.endswith("#page=3")


def test_the_results_page_says_where_in_the_document(client, brochures):
    _page, document = brochures["en"]
    html = client.get("/en/search/", {"q": "smart card transfer discount"}).content.decode()
    assert f'href="{document.url}#page=3"' in html
    assert "p. 3 of the attached document" in html
    _page, document = brochures["ko"]
    html = client.get("/ko/search/", {"q": "오존 입상활성탄"}).content.decode()
    assert f'href="{document.url}#page=3"' in html
    assert "첨부 문서(PDF) 3쪽" in html


def test_a_match_outside_the_pdf_shows_no_page(brochures):
    page, _document = brochures["en"]
    hit = _hit("getting around", "en", page.pk)
    assert hit is not None and hit.document_page is None and hit.document_url == ""


def test_a_replaced_file_is_searched_at_once(editor, brochures):
    page, document = brochures["en"]
    _upload(
        editor,
        pdfs.unicode_text_pdf(["Cover", "Night buses called Owl run after midnight"]),
        url=reverse("wagtaildocs:edit", args=[document.pk]),
        title="Transport",
    )
    hit = _hit("owl night buses midnight", "en", page.pk)
    assert hit is not None and hit.document_page == 2
    assert _hit("smart card transfer discount", "en", page.pk) is None


def test_a_deleted_file_is_no_longer_searched(brochures):
    page, document = brochures["en"]
    document.delete()
    assert _hit("smart card transfer discount", "en", page.pk) is None
