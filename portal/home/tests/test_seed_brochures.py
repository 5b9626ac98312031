"""The seed's brochures come with real PDFs in both languages: downloadable, shown with
their first page, and searched inside with page numbers."""

import pytest
from django.core.management import call_command

from portal.archives.models import ArchivePage, DocumentFacts
from portal.search.selectors import search_page

pytestmark = pytest.mark.django_db

BROCHURES = {
    "seoul-tap-water-arisu-brochure-2019": 5,
    "seoul-public-transportation-brochure-2019": 6,
    "seoul-policy-sharing-initiative-brochure-2019": 3,
}


@pytest.fixture
def seeded(db):
    call_command("load_seed", stdout=None)


def test_every_brochure_has_its_pdf_in_each_language(client, seeded):
    for slug, pages in BROCHURES.items():
        for language in ("ko", "en"):
            page = ArchivePage.objects.get(slug=slug, locale__language_code=language)
            assert page.document is not None, (slug, language)
            facts = DocumentFacts.objects.get(document=page.document)
            assert (facts.pages, facts.language, facts.text_readable) == (pages, language, True)
            assert facts.thumbnail
            response = client.get(page.document.url)
            assert response.status_code == 200
            assert b"".join(response.streaming_content).startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("query", "language", "slug", "page_number"),
    [
        ("오존 입상활성탄", "ko", "seoul-tap-water-arisu-brochure-2019", 2),
        ("올빼미버스", "ko", "seoul-public-transportation-brochure-2019", 6),
        ("T-money card transfer", "en", "seoul-public-transportation-brochure-2019", 4),
        (
            "visiting inspectors home tap water testing",
            "en",
            "seoul-tap-water-arisu-brochure-2019",
            3,
        ),
    ],
)
def test_search_finds_the_text_of_the_brochures_with_the_page(
    seeded, query, language, slug, page_number
):
    page = ArchivePage.objects.get(slug=slug, locale__language_code=language)
    hits = search_page(query=query, language=language).hits
    hit = next(hit for hit in hits if hit.page_id == page.pk)
    assert hit.document_page == page_number
    assert hit.document_url == f"{page.document.url}#page={page_number}"
