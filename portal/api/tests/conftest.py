"""A small published catalogue: items in both languages and in one, a draft, an attached
document, an open programme, sectors and a partner."""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile
from wagtail.documents.models import Document

from portal.core.tests import factories as f
from portal.programmes.selectors import seoul_today


@dataclass
class Catalogue:
    policy: dict
    news_ko: object
    archive: dict
    draft: object
    programme: dict
    document: Document


@pytest.fixture
def catalogue(tree) -> Catalogue:
    transport = f.SectorFactory(slug="transportation", name_ko="교통", name_en="Transportation")
    water = f.SectorFactory(slug="water", name_ko="상수도", name_en="Water Supply")
    policy_ko = f.publish(
        f.PolicyPageFactory(
            parent=tree.policies["ko"],
            title="버스 체계 개편",
            slug="bus-reform",
            sector=transport,
            date=dt.date(2014, 3, 10),
            summary="2004년 서울 버스 개편",
            department="도시교통실",
        )
    )
    policy_en = f.translate(policy_ko, "en", title="Bus Reform", summary="Seoul's 2004 bus reform")
    news_ko = f.publish(
        f.NewsPageFactory(
            parent=tree.news["ko"],
            title="한국어 소식",
            slug="korean-news",
            date=dt.date(2020, 6, 1),
        )
    )
    document = Document.objects.create(
        title="Arisu brochure", file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="arisu.pdf")
    )
    archive_ko = f.publish(
        f.ArchivePageFactory(
            parent=tree.archives["ko"],
            title="아리수",
            slug="arisu",
            sector=water,
            document=document,
            date=dt.date(2020, 5, 21),
        )
    )
    archive_en = f.translate(archive_ko, "en", title="Arisu")
    draft = f.publish(
        f.PolicyPageFactory(parent=tree.policies["ko"], title="초안", slug="draft", sector=water)
    )
    draft.unpublish()
    today = seoul_today()
    programme_ko = f.publish(
        f.ProgrammePageFactory(
            parent=tree.programmes["ko"],
            title="교통 연수",
            slug="training",
            sector=transport,
            application_opens=today - dt.timedelta(days=1),
            application_closes=today + dt.timedelta(days=3),
            recruitment_start=today - dt.timedelta(days=5),
            recruitment_end=today + dt.timedelta(days=3),
            capacity=20,
        )
    )
    programme_en = f.translate(programme_ko, "en", title="Transport training")
    f.PartnerFactory(slug="citynet", name_ko="시티넷", name_en="CityNet")
    return Catalogue(
        policy={"ko": policy_ko, "en": policy_en},
        news_ko=news_ko,
        archive={"ko": archive_ko, "en": archive_en},
        draft=draft,
        programme={"ko": programme_ko, "en": programme_en},
        document=document,
    )
