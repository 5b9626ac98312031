"""The demo content: the seed's items in both languages, and a second run changes nothing."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils.html import escape
from wagtail.models import Page, PageLogEntry, Revision, get_page_models

from portal.archives.models import ArchivePage
from portal.core.models import PortalPage, Sector, StandardPage
from portal.home.models import HomePage
from portal.news.models import NewsPage
from portal.partners.models import Partner

pytestmark = pytest.mark.django_db

SEED_NEWS = {
    "2020-06-11": "Seoul’s CAC Global Summit Hits Over 10 Million Views on YouTube",
    "2020-08-05": "Seoul Accepts Applications for Moving into “Seoul International Finance Office”",
    "2020-07-29": "Introduction of the App Report System for Mandatory Mask Wearing on Public Trans",
    "2020-06-17": "Sunlight Brightens up the Parks and Bicycle Lanes of Seoul",
}


def _counts() -> dict:
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "log": PageLogEntry.objects.count(),
        "sectors": Sector.objects.count(),
        "partners": Partner.objects.count(),
        "news": NewsPage.objects.count(),
    }


@pytest.fixture
def seeded(db):
    call_command("load_seed", stdout=StringIO())


def test_load_seed_twice_gives_exactly_the_same_content(seeded):
    before = _counts()
    snapshot = list(
        Page.objects.order_by("path").values_list(
            "path", "title", "slug", "live", "locale__language_code"
        )
    )
    call_command("load_seed", stdout=StringIO())
    assert _counts() == before
    assert (
        list(
            Page.objects.order_by("path").values_list(
                "path", "title", "slug", "live", "locale__language_code"
            )
        )
        == snapshot
    )


def test_seed_items_exist_in_both_languages_as_translations(seeded):
    assert NewsPage.objects.filter(locale__language_code="ko").count() == 4
    assert NewsPage.objects.filter(locale__language_code="en").count() == 4
    assert ArchivePage.objects.count() == 8
    for page in NewsPage.objects.filter(locale__language_code="ko"):
        assert page.get_translation_or_none(page.get_translations().first().locale) is not None
    assert HomePage.objects.count() == 2
    assert StandardPage.objects.filter(slug__in=["miti", "sharing-city", "about"]).count() == 6
    assert Partner.objects.count() >= 25


def test_seed_news_keeps_the_seed_dates_and_author(seeded):
    for date, title_start in SEED_NEWS.items():
        page = NewsPage.objects.get(locale__language_code="en", date=date)
        assert page.title.startswith(title_start)
        assert page.author == "seoulsolution"


@pytest.mark.parametrize("language", ["ko", "en"])
def test_seeded_home_page_shows_every_section(client, seeded, language):
    html = client.get(f"/{language}/").content.decode()
    for date in SEED_NEWS:
        assert date in html
    assert "seoulsolution" in html
    assert "MITI" in html
    assert ("공유도시" if language == "ko" else "Sharing City") in html
    assert ("시티넷" if language == "ko" else "CityNet") in html
    assert ("아리수" if language == "ko" else "Arisu") in html


def test_seeded_english_home_cuts_the_long_title_like_the_seed(client, seeded):
    html = client.get("/en/").content.decode()
    assert (
        "Introduction of the App Report System for Mandatory Mask Wearing on Public Trans.." in html
    )
    assert (
        'title="Introduction of the App Report System for Mandatory Mask Wearing on Public Transportation"'
        in html
    )


def test_every_seeded_page_renders_with_its_title_in_its_language(client, seeded):
    pages = Page.objects.live().filter(depth__gte=2).specific()
    portal_page_types = {m for m in get_page_models() if issubclass(m, PortalPage)}
    assert {type(page) for page in pages} == portal_page_types
    for page in pages:
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        html = response.content.decode()
        assert f'<html lang="{page.locale.language_code}"' in html, page.url
        assert escape(page.title) in html, page.url
