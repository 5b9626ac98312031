"""Fixtures shared by the whole suite: a bilingual site with one board of each kind."""

from dataclasses import dataclass

import pytest
from django.core.cache import cache
from wagtail.models import Locale, Page, Site

from portal.core.tests import factories as f
from portal.home.models import HomePage


@dataclass
class Tree:
    """A Korean site and its English translation; each attribute maps a language to a page."""

    home: dict
    news: dict
    archives: dict
    policies: dict
    partners: dict
    programmes: dict


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def locales(db):
    return {
        "ko": Locale.objects.get_or_create(language_code="ko")[0],
        "en": Locale.objects.get_or_create(language_code="en")[0],
    }


@pytest.fixture
def tree(locales) -> Tree:
    # Remove the page Wagtail installs, then read the root again: treebeard places new
    # children from the root's stored child count.
    Page.objects.filter(depth=2).delete()
    root = Page.get_first_root_node()
    home_ko = f.HomePageFactory(parent=root, slug="home", locale=locales["ko"])
    Site.objects.all().delete()
    Site.objects.create(hostname="localhost", port=80, root_page=home_ko, is_default_site=True)
    f.translate(
        home_ko, "en", title="Seoul Solution", slug="home-en", intro="Seoul's urban policies"
    )
    boards = {}
    for name, factory_class, title_en in [
        ("news", f.NewsIndexPageFactory, "News"),
        ("archives", f.ArchiveIndexPageFactory, "Archives"),
        ("policies", f.PolicyIndexPageFactory, "Policies"),
        ("partners", f.PartnerIndexPageFactory, "Partners"),
        ("programmes", f.ProgrammeIndexPageFactory, "Programmes"),
    ]:
        ko = factory_class(parent=home_ko)
        boards[name] = {"ko": ko, "en": f.translate(ko, "en", title=title_en)}
    for language in ("ko", "en"):
        # Read the home page again: its tree fields changed as boards were added under it,
        # and publishing a stale copy would write the old child count back.
        home = HomePage.objects.get(locale__language_code=language)
        home.news_index = boards["news"][language]
        home.archive_index = boards["archives"][language]
        home.partner_index = boards["partners"][language]
        f.publish(home)
    return Tree(
        home={lang: HomePage.objects.get(locale__language_code=lang) for lang in ("ko", "en")},
        **boards,
    )
