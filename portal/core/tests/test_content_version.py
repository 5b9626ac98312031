"""What every page shares is cached until content changes: each kind of change shows on
the next request, and pages are still served when the cache is down."""

from unittest import mock

import pytest

from portal.core.models import PortalSettings
from portal.core.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 600


CALLS = ("get", "get_many", "set", "add")


def _html(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_published_page_joins_the_menu_and_leaves_it_when_unpublished(client, tree):
    assert "소개" not in _html(client, "/ko/")  # the menu is now cached
    about = f.StandardPageFactory(parent=tree.home["ko"], title="소개", slug="about", live=False)
    f.publish(about)
    assert 'href="/ko/about/"' in _html(client, "/ko/news/")
    about.unpublish()
    assert 'href="/ko/about/"' not in _html(client, "/ko/news/")


def test_a_moved_page_leaves_the_home_page_news_at_once(client, tree):
    post = f.publish(f.NewsPageFactory(parent=tree.news["ko"], title="옮길 소식", slug="moved"))
    assert "옮길 소식" in _html(client, "/ko/")  # now cached in the latest news
    post.move(tree.partners["ko"], pos="last-child")
    assert "옮길 소식" not in _html(client, "/ko/")


def test_a_renamed_sector_shows_in_the_filters_at_once(client, tree):
    sector = f.SectorFactory(slug="water", name_ko="상수도", name_en="Water")
    f.publish(f.NewsPageFactory(parent=tree.news["ko"], sector=sector, slug="arisu"))
    assert "상수도" in _html(client, "/ko/news/")
    sector.name_ko = "물 관리"
    sector.save()
    html = _html(client, "/ko/news/")
    assert "물 관리" in html and "상수도" not in html


def test_changed_settings_show_on_every_page(client, tree):
    _html(client, "/ko/")
    settings = PortalSettings.load()
    settings.organisation_ko = "서울특별시청"
    settings.save()
    assert "서울특별시청" in _html(client, "/ko/news/")


def test_a_new_partner_shows_on_the_home_page(client, tree):
    _html(client, "/en/")
    f.PartnerFactory(slug="citynet", name_en="CityNet", show_on_home=True)
    assert "CityNet" in _html(client, "/en/")


def test_a_new_translation_is_linked_from_the_page_at_once(client, tree):
    post = f.publish(f.NewsPageFactory(parent=tree.news["ko"], title="소식", slug="story"))
    link = '<link rel="alternate" hreflang="en" href="http://testserver/en/news/story/">'
    assert link not in _html(client, post.url)
    f.translate(post, "en", title="Story")
    assert link in _html(client, post.url)


def test_pages_are_built_from_the_database_when_the_cache_is_down(client, tree, caplog):
    f.publish(f.NewsPageFactory(parent=tree.news["ko"], title="캐시 없이", slug="no-cache"))
    down = mock.Mock(**{f"{name}.side_effect": ConnectionError("down") for name in CALLS})
    with mock.patch("portal.core.content_version.cache", down):
        assert "캐시 없이" in _html(client, "/ko/news/")
        assert "캐시 없이" in _html(client, "/ko/news/no-cache/")
    assert "the cache is unreachable" in caplog.text


def test_coalesced_changes_change_the_version_once_now_and_once_at_commit(
    django_capture_on_commit_callbacks,
):
    from django.db import transaction

    from portal.core import content_version as cv

    versions = []
    with mock.patch.object(cv, "_new_version", side_effect=lambda: versions.append(1)):
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            with cv.changes_coalesced():
                for _ in range(5):
                    cv.content_changed()
            assert len(versions) == 1  # at once, for the first change only
        assert len(versions) == 2  # and at commit
        # Outside the block, every change counts.
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            cv.content_changed()
            cv.content_changed()
        assert len(versions) == 2 + 4
