"""News posts and the news board render their content in both languages."""

import datetime as dt

import pytest

from portal.core.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(tree):
    sector = f.SectorFactory(slug="health", name_ko="보건", name_en="Health")
    ko = f.NewsPageFactory(
        parent=tree.news["ko"],
        title="서울시 ‘CAC 글로벌 서밋’, 유튜브 조회수 1,000만 회 돌파",
        slug="cac",
        date=dt.date(2020, 6, 11),
        author="seoulsolution",
        body="<p>온라인 국제회의가 성공적으로 막을 내렸다.</p>",
        sector=sector,
    )
    en = f.translate(
        ko,
        "en",
        title="Seoul’s CAC Global Summit Hits Over 10 Million Views on YouTube",
        body="<p>The online conference ended with success.</p>",
    )
    return {"ko": ko, "en": en}


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "ko",
            [
                "CAC 글로벌 서밋",
                "2020-06-11",
                "seoulsolution",
                "등록일",
                "글쓴이",
                "보건",
                "성공적으로",
            ],
        ),
        (
            "en",
            [
                "CAC Global Summit",
                "2020-06-11",
                "seoulsolution",
                "Date",
                "Author",
                "Health",
                "ended with success",
            ],
        ),
    ],
    ids=["ko", "en"],
)
def test_news_page_shows_date_author_sector_and_body(client, post, language, expected):
    response = client.get(f"/{language}/news/cac/")
    assert response.status_code == 200
    html = response.content.decode()
    for text in expected:
        assert text in html


@pytest.mark.parametrize("language", ["ko", "en"])
def test_news_board_lists_posts_with_date_and_author(client, post, language):
    html = client.get(f"/{language}/news/").content.decode()
    assert post[language].title in html
    assert "2020-06-11" in html


def test_news_page_has_breadcrumbs_and_a_link_back_to_the_board(client, post):
    html = client.get("/ko/news/cac/").content.decode()
    assert 'href="/ko/"' in html
    assert 'href="/ko/news/"' in html
