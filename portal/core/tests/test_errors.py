"""Unknown addresses get a 404 page in the visitor's language, with the site's navigation."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "lang", "nav_title"),
    [("/ko/no-such-page/", "ko", "뉴스"), ("/en/no-such-page/", "en", "News")],
    ids=["korean", "english"],
)
def test_unknown_url_gives_a_localized_404_with_navigation(client, tree, path, lang, nav_title):
    response = client.get(path)
    assert response.status_code == 404
    html = response.content.decode()
    assert f'<html lang="{lang}"' in html
    assert nav_title in html
    assert f'href="/{lang}/news/"' in html
