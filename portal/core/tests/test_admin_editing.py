"""Editors create, edit and publish every page type in both languages through the admin."""

import pytest
from django.urls import reverse
from wagtail.models import Locale, Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from portal.archives.models import ArchiveIndexPage, ArchivePage
from portal.core.models import StandardPage
from portal.core.tests import factories as f
from portal.home.models import HomePage
from portal.news.models import NewsIndexPage, NewsPage
from portal.partners.models import PartnerIndexPage
from portal.policies.models import PolicyIndexPage, PolicyPage
from portal.programmes.models import ProgrammeIndexPage, ProgrammePage

pytestmark = pytest.mark.django_db


def _board(title):
    return {"title": title, "slug": "", "intro": rich_text("")}


FORMS = {
    NewsIndexPage: _board,
    ArchiveIndexPage: _board,
    PolicyIndexPage: _board,
    PartnerIndexPage: _board,
    ProgrammeIndexPage: _board,
    StandardPage: lambda title: {
        "title": title,
        "intro": "소개",
        "body": streamfield([("heading", "FAQ")]),
    },
    NewsPage: lambda title: {
        "title": title,
        "date": "2020-06-11",
        "author": "seoulsolution",
        "summary": "",
        "body": rich_text("<p>본문 Body</p>"),
    },
    ArchivePage: lambda title: {
        "title": title,
        "kind": "brochure",
        "date": "2020-05-21",
        "author": "seoulsolution",
        "publication_year": "2019",
        "summary": "",
        "body": rich_text(""),
        "external_url": "",
        "video_url": "",
    },
    PolicyPage: lambda title: {
        "title": title,
        "date": "2020-05-21",
        "summary": "요약 Summary",
        "background": rich_text("<p>배경</p>"),
        "implementation": rich_text(""),
        "obstacles": rich_text(""),
        "results": rich_text(""),
        "department": "",
        "department_contact": "",
    },
    ProgrammePage: lambda title: {
        "title": title,
        "summary": "",
        "description": rich_text("<p>설명</p>"),
        "organiser": "Economic Policy Office",
        "contact_email": "",
        "capacity": "",
        "recruitment_start": "2020-07-29",
        "recruitment_end": "2020-08-21",
        "application_opens": "2020-08-20",
        "application_closes": "2020-08-21",
        "questions": inline_formset([]),
    },
}
CHILDREN = {
    NewsIndexPage: NewsPage,
    ArchiveIndexPage: ArchivePage,
    PolicyIndexPage: PolicyPage,
    ProgrammeIndexPage: ProgrammePage,
}


def _add(client, parent: Page, model, title: str, locale: str | None = None) -> Page:
    url = reverse(
        "wagtailadmin_pages:add", args=(model._meta.app_label, model._meta.model_name, parent.pk)
    )
    if locale:
        url += f"?locale={locale}"
    data = {
        "slug": "",
        **FORMS.get(model, lambda t: {"title": t, "intro": ""})(title),
        "action-publish": "publish",
    }
    if model is HomePage:
        data = {
            "title": title,
            "slug": f"home-{locale}",
            "intro": "",
            "news_count": 4,
            "archive_count": 4,
            "features": streamfield([]),
            "action-publish": "publish",
        }
    data["slug"] = (
        data["slug"] or f"{model._meta.model_name}-{locale or parent.locale.language_code}"
    )
    response = client.post(url, nested_form_data(data))
    assert response.status_code == 302, response.content.decode()[:3000]
    page = model.objects.get(
        slug=data["slug"], locale__language_code=locale or parent.locale.language_code
    )
    assert page.live
    return page


def _edit_and_publish(client, page: Page, new_title: str) -> None:
    model = type(page)
    data = {"slug": page.slug, **FORMS[model](new_title), "action-publish": "publish"}
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=(page.pk,)), nested_form_data(data)
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    page.refresh_from_db()
    assert page.title == new_title
    assert page.live and not page.has_unpublished_changes


@pytest.mark.parametrize("language", ["ko", "en"])
def test_editor_builds_a_whole_site_in_one_language(admin_client, locales, language):
    root = Page.get_first_root_node()
    home = _add(admin_client, root, HomePage, f"Home {language}", locale=language)
    assert home.locale.language_code == language
    for board_model in [
        NewsIndexPage,
        ArchiveIndexPage,
        PolicyIndexPage,
        PartnerIndexPage,
        ProgrammeIndexPage,
    ]:
        board = _add(admin_client, home, board_model, f"{board_model.__name__} {language}")
        child_model = CHILDREN.get(board_model)
        if child_model:
            item = _add(admin_client, board, child_model, f"{child_model.__name__} {language}")
            assert item.locale.language_code == language
            _edit_and_publish(admin_client, item, f"{child_model.__name__} {language} (edited)")
    standard = _add(admin_client, home, StandardPage, f"About {language}")
    _edit_and_publish(admin_client, standard, f"About {language} (edited)")


def test_editor_translates_a_korean_post_into_english(admin_client, tree):
    post = f.NewsPageFactory(parent=tree.news["ko"], title="따릉이 소식", slug="bike")
    f.publish(post)
    en = Locale.objects.get(language_code="en")
    response = admin_client.post(
        reverse("wagtail_localize:submit_page_translation", args=(post.pk,)), {"locales": [en.pk]}
    )
    assert response.status_code == 302
    translated = post.get_translation(en)
    assert translated.translation_key == post.translation_key
    assert translated.get_parent().pk == tree.news["en"].pk


def test_a_programme_that_closes_before_it_opens_is_refused_in_the_admin(admin_client, tree):
    data = FORMS[ProgrammePage]("잘못된 일정")
    data.update(
        {
            "slug": "bad",
            "application_opens": "2020-08-21",
            "application_closes": "2020-08-20",
            "action-publish": "publish",
        }
    )
    url = reverse(
        "wagtailadmin_pages:add", args=("programmes", "programmepage", tree.programmes["ko"].pk)
    )
    response = admin_client.post(url, nested_form_data(data))
    assert response.status_code == 200
    assert not ProgrammePage.objects.filter(slug="bad").exists()
