"""Uploaded documents are checked by content: every bad file is refused with its reason,
in the editor's language, and a refused replacement leaves the stored document as it was."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import translation
from wagtail.documents.models import Document
from wagtail.models import Collection

from portal.archives.models import DocumentFacts, DocumentPageText
from portal.archives.pdf import check_pdf
from portal.archives.tests import pdfs

pytestmark = pytest.mark.django_db

BAD_FILES = {
    "not_pdf": lambda: b"\x89PNG\r\n\x1a\n" + bytes(200),
    "damaged": lambda: b"%PDF-1.4\n" + b"\x00garbage" * 50,
    "truncated": lambda: pdfs.text_pdf(["Seoul"])[:150],
    "encrypted": pdfs.encrypted_pdf,
    "huge page tree": pdfs.fanned_page_tree,
    "deep nesting": pdfs.deeply_nested,
    "decompression bomb": pdfs.decompression_bomb,
}
EXPECTED_CODE = {
    "not_pdf": "not_pdf",
    "damaged": "damaged",
    "truncated": "damaged",
    "encrypted": "encrypted",
    "huge page tree": "unsafe",
    "deep nesting": "unsafe",
    "decompression bomb": "unsafe",
}


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_each_bad_file_is_refused_with_its_reason(name):
    with pytest.raises(ValidationError) as refused:
        check_pdf(BAD_FILES[name]())
    assert refused.value.code == EXPECTED_CODE[name]


def test_a_pdf_is_read_page_by_page():
    facts = check_pdf(pdfs.text_pdf(["Seoul tap water Arisu", "Filtration plants"]))
    assert facts.pages == 2
    assert facts.texts == ["Seoul tap water Arisu", "Filtration plants"]
    assert facts.text_readable


def test_a_pdf_without_text_is_accepted_and_flagged():
    facts = check_pdf(pdfs.blank_pdf(3))
    assert facts.pages == 3
    assert not facts.text_readable


def test_the_page_limit_is_configurable(settings):
    settings.DOCUMENT_MAX_PAGES = 2
    assert check_pdf(pdfs.text_pdf(["one", "two"])).pages == 2
    with pytest.raises(ValidationError) as refused:
        check_pdf(pdfs.text_pdf(["one", "two", "three"]))
    assert refused.value.code == "too_many_pages"
    assert "3" in refused.value.messages[0] and "2" in refused.value.messages[0]


def test_a_reader_killed_by_its_memory_limit_refuses_the_file(settings):
    settings.DOCUMENT_CHECK_MEMORY_BYTES = 16 * 1024 * 1024
    with pytest.raises(ValidationError) as refused:
        check_pdf(pdfs.text_pdf(["Seoul"]))
    assert refused.value.code == "unsafe"


def test_reasons_are_given_in_korean():
    with translation.override("ko"), pytest.raises(ValidationError) as refused:
        check_pdf(b"PK\x03\x04 a zip file named .pdf")
    assert "PDF가 아닙니다" in refused.value.messages[0]


# -- through the admin ------------------------------------------------------------------


@pytest.fixture
def editor_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "editor@example.org", "pw")
    client.force_login(user)
    return client


def _upload(client, url, data: bytes, name: str = "brochure.pdf", title: str = "Brochure"):
    return client.post(
        url,
        {
            "title": title,
            "file": ContentFile(data, name=name),
            "collection": Collection.get_first_root_node().pk,
        },
    )


def test_an_upload_stores_the_pages_and_their_text(editor_client):
    response = _upload(
        editor_client, reverse("wagtaildocs:add"), pdfs.text_pdf(["Arisu tap water", "Page 2"])
    )
    assert response.status_code == 302
    document = Document.objects.get()
    facts = DocumentFacts.objects.get(document=document)
    assert (facts.pages, facts.text_readable) == (2, True)
    assert list(
        DocumentPageText.objects.filter(document=document).values_list("number", "text")
    ) == [(1, "Arisu tap water"), (2, "Page 2")]


@pytest.mark.parametrize("name", ["not_pdf", "encrypted", "decompression bomb"])
def test_a_refused_upload_stores_nothing(editor_client, name):
    response = _upload(editor_client, reverse("wagtaildocs:add"), BAD_FILES[name]())
    assert response.status_code == 200
    assert not Document.objects.exists()
    assert not DocumentFacts.objects.exists()


def test_a_refused_replacement_leaves_the_document_untouched(editor_client):
    good = pdfs.text_pdf(["Seoul Public Transportation"])
    _upload(editor_client, reverse("wagtaildocs:add"), good, title="Transport")
    document = Document.objects.get()
    stored_name = document.file.name
    response = _upload(
        editor_client,
        reverse("wagtaildocs:edit", args=[document.pk]),
        b"\x89PNG\r\n\x1a\n" + bytes(100),
        name="transport.pdf",
        title="Transport (new)",
    )
    assert response.status_code == 200
    assert "PDF" in response.content.decode()
    document.refresh_from_db()
    assert document.title == "Transport"
    assert document.file.name == stored_name
    with document.open_file() as handle:
        assert handle.read() == good
    facts = DocumentFacts.objects.get(document=document)
    assert facts.pages == 1
    assert DocumentPageText.objects.get(document=document).text == "Seoul Public Transportation"


def test_a_replacement_replaces_the_pages(editor_client):
    _upload(editor_client, reverse("wagtaildocs:add"), pdfs.text_pdf(["old one", "old two"]))
    document = Document.objects.get()
    response = _upload(
        editor_client, reverse("wagtaildocs:edit", args=[document.pk]), pdfs.blank_pdf(1)
    )
    assert response.status_code == 302
    facts = DocumentFacts.objects.get(document=document)
    assert (facts.pages, facts.text_readable) == (1, False)
    assert not DocumentPageText.objects.filter(document=document).exists()


def test_the_archive_page_shows_the_first_page_and_what_the_file_is(editor_client, tree, client):
    from portal.core.tests import factories as f

    _upload(
        editor_client,
        reverse("wagtaildocs:add"),
        pdfs.unicode_text_pdf(
            ["서울 수돗물 아리수 안내서", "여섯 곳의 정수센터", "수질 검사 항목과 결과"]
        ),
        title="아리수",
    )
    document = Document.objects.get()
    facts = DocumentFacts.objects.get(document=document)
    assert facts.language == "ko"
    assert facts.thumbnail.name.endswith(".png")
    with facts.thumbnail.open("rb") as handle:
        assert handle.read(8) == b"\x89PNG\r\n\x1a\n"
    f.publish(
        f.ArchivePageFactory(
            parent=tree.archives["ko"], title="서울 수돗물 아리수", slug="arisu", document=document
        )
    )
    html = client.get("/ko/archives/arisu/").content.decode()
    assert f'src="{facts.thumbnail.url}"' in html
    assert "3쪽" in html
    assert "한국어" in html
    assert document.url in html


def test_the_editor_is_warned_when_no_text_can_be_read(editor_client):
    _upload(editor_client, reverse("wagtaildocs:add"), pdfs.blank_pdf(2), title="Scan")
    document = Document.objects.get()
    html = editor_client.get(reverse("wagtaildocs:edit", args=[document.pk])).content.decode()
    assert "document-text-warning" in html
    _upload(
        editor_client,
        reverse("wagtaildocs:add"),
        pdfs.text_pdf(["Seoul tap water Arisu is safe to drink"]),
    )
    other = Document.objects.order_by("-pk").first()
    html = editor_client.get(reverse("wagtaildocs:edit", args=[other.pk])).content.decode()
    assert "document-text-warning" not in html


def test_deleting_a_document_deletes_its_thumbnail(
    editor_client, django_capture_on_commit_callbacks
):
    _upload(
        editor_client, reverse("wagtaildocs:add"), pdfs.text_pdf(["Seoul tap water Arisu guide"])
    )
    document = Document.objects.get()
    thumbnail = DocumentFacts.objects.get(document=document).thumbnail
    storage, name = thumbnail.storage, thumbnail.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        document.delete()
    assert not storage.exists(name)
    assert not DocumentFacts.objects.exists()
