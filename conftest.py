"""Fixtures shared by the whole suite: a bilingual site with one board of each kind."""

from dataclasses import dataclass

import pytest
from django.core.cache import cache
from wagtail.models import Locale, Page, Site

from portal.core.tests import factories as f


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
    root = Page.get_first_root_node()
    Page.objects.filter(depth=2).delete()
    home_ko = f.HomePageFactory(parent=root, slug="home", locale=locales["ko"])
    Site.objects.all().delete()
    Site.objects.create(hostname="localhost", port=80, root_page=home_ko, is_default_site=True)
    home_en = f.translate(
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
    for language, home in (("ko", home_ko), ("en", home_en)):
        home.news_index = boards["news"][language]
        home.archive_index = boards["archives"][language]
        home.partner_index = boards["partners"][language]
        f.publish(home)
    return Tree(home={"ko": home_ko, "en": home_en}, **boards)
