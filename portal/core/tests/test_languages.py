"""Two languages: the root redirect, <html lang>, and the switcher's targets."""

import pytest

from portal.core.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [
        ("ko-KR,ko;q=0.9,en;q=0.8", "/ko/"),
        ("en-US,en;q=0.9", "/en/"),
        ("fr-FR,fr;q=0.9", "/ko/"),
        ("", "/ko/"),
    ],
    ids=["korean", "english", "unknown-language-falls-back-to-korean", "no-header"],
)
def test_root_redirects_by_accept_language(client, tree, accept_language, expected):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept_language)
    assert response.status_code == 302
    assert response["Location"] == expected
    assert "Accept-Language" in response.get("Vary", "")


@pytest.mark.parametrize("language", ["ko", "en"])
def test_html_lang_matches_the_url_language(client, tree, language):
    response = client.get(f"/{language}/")
    assert response.status_code == 200
    assert f'<html lang="{language}"' in response.content.decode()


def test_switcher_links_to_the_translation_of_the_same_page(client, tree):
    post = f.NewsPageFactory(parent=tree.news["ko"], title="따릉이 소식", slug="bike")
    f.translate(post, "en", title="Bike news")
    html = client.get("/ko/news/bike/").content.decode()
    assert 'href="/en/news/bike/"' in html


def test_switcher_falls_back_to_the_other_home_page_without_a_translation(client, tree):
    f.NewsPageFactory(parent=tree.news["ko"], title="한국어로만 있는 소식", slug="korean-only")
    html = client.get("/ko/news/korean-only/").content.decode()
    assert 'href="/en/"' in html
    assert 'href="/en/news/korean-only/"' not in html


def test_english_pages_show_english_interface_text(client, tree):
    html = client.get("/en/").content.decode()
    assert "Seoul Solution" in html
