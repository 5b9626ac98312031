"""Factories for every page type and snippet, and helpers to publish and translate pages."""

import datetime as dt

import factory
import wagtail_factories
from factory.django import DjangoModelFactory
from wagtail.models import Locale, Page

from portal.archives.models import ArchiveIndexPage, ArchivePage
from portal.core.models import Sector, StandardPage
from portal.home.models import HomePage
from portal.news.models import NewsIndexPage, NewsPage
from portal.partners.models import Partner, PartnerIndexPage
from portal.policies.models import PolicyIndexPage, PolicyPage
from portal.programmes.models import ProgrammeIndexPage, ProgrammePage


def publish(page: Page) -> Page:
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def translate(page: Page, language: str, **fields) -> Page:
    """A published translation of ``page`` into ``language``, with ``fields`` changed."""
    locale, _ = Locale.objects.get_or_create(language_code=language)
    translated = page.copy_for_translation(locale)
    for name, value in fields.items():
        setattr(translated, name, value)
    return publish(translated)


class SectorFactory(DjangoModelFactory):
    class Meta:
        model = Sector
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"sector-{n}")
    name_ko = factory.Sequence(lambda n: f"분야 {n}")
    name_en = factory.Sequence(lambda n: f"Sector {n}")


class PartnerFactory(DjangoModelFactory):
    class Meta:
        model = Partner

    slug = factory.Sequence(lambda n: f"partner-{n}")
    name_ko = factory.Sequence(lambda n: f"협력기관 {n}")
    name_en = factory.Sequence(lambda n: f"Partner {n}")
    kind = "international"
    url = "https://example.org/"


class HomePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = HomePage

    title = "서울솔루션"
    intro = "서울의 도시정책"


class StandardPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = StandardPage

    title = factory.Sequence(lambda n: f"페이지 {n}")
    intro = "소개 문장"
    show_in_menus = True


class NewsIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = NewsIndexPage

    title = "뉴스"
    slug = "news"
    show_in_menus = True


class NewsPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = NewsPage

    title = factory.Sequence(lambda n: f"뉴스 {n}")
    date = factory.Sequence(lambda n: dt.date(2020, 1, 1) + dt.timedelta(days=n))
    author = "seoulsolution"
    summary = "요약"
    body = "<p>본문</p>"


class ArchiveIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ArchiveIndexPage

    title = "아카이브"
    slug = "archives"
    show_in_menus = True


class ArchivePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ArchivePage

    title = factory.Sequence(lambda n: f"자료 {n}")
    kind = "brochure"
    date = dt.date(2020, 5, 21)
    author = "seoulsolution"
    publication_year = 2019


class PolicyIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = PolicyIndexPage

    title = "정책 사례"
    slug = "policies"
    show_in_menus = True


class PolicyPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = PolicyPage

    title = factory.Sequence(lambda n: f"정책 {n}")
    date = dt.date(2020, 5, 21)
    summary = "정책 요약"
    background = "<p>추진 배경</p>"


class PartnerIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = PartnerIndexPage

    title = "협력 기관"
    slug = "partners"
    show_in_menus = True


class ProgrammeIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ProgrammeIndexPage

    title = "교육·모집"
    slug = "programmes"
    show_in_menus = True


class ProgrammePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ProgrammePage

    title = factory.Sequence(lambda n: f"프로그램 {n}")
    description = "<p>설명</p>"
    organiser = "서울시 경제정책실"
    recruitment_start = dt.date(2020, 7, 29)
    recruitment_end = dt.date(2020, 8, 21)
    application_opens = dt.date(2020, 8, 20)
    application_closes = dt.date(2020, 8, 21)
