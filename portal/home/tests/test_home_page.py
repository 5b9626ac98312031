"""The home page shows what editors chose: boards, counts, partners and features."""

import datetime as dt

import pytest
from wagtail.blocks import StreamValue

from portal.core.tests import factories as f

pytestmark = pytest.mark.django_db


def test_home_shows_the_latest_four_news_posts(client, tree):
    for n in range(6):
        f.NewsPageFactory(parent=tree.news["ko"], title=f"소식 {n}", date=dt.date(2020, 6, 1 + n))
    response = client.get("/ko/")
    assert [p.title for p in response.context["latest_news"]] == [
        "소식 5",
        "소식 4",
        "소식 3",
        "소식 2",
    ]


def test_home_news_count_is_chosen_by_editors(client, tree):
    for n in range(6):
        f.NewsPageFactory(parent=tree.news["ko"], date=dt.date(2020, 6, 1 + n))
    home = tree.home["ko"]
    home.news_count = 2
    f.publish(home)
    assert len(client.get("/ko/").context["latest_news"]) == 2


def test_home_without_a_chosen_board_still_renders(client, tree):
    home = tree.home["ko"]
    home.news_index = None
    home.archive_index = None
    f.publish(home)
    response = client.get("/ko/")
    assert response.status_code == 200
    assert response.context["latest_news"] == []


def test_features_link_to_the_chosen_pages(client, tree):
    miti = f.StandardPageFactory(
        parent=tree.home["ko"], title="MITI – 메트로폴리스 국제교육원", slug="miti"
    )
    home = tree.home["ko"]
    home.features = StreamValue(
        home.features.stream_block,
        [("feature", {"page": miti, "heading": "", "text": "교육 기관", "link_label": ""})],
    )
    f.publish(home)
    html = client.get("/ko/").content.decode()
    assert "MITI – 메트로폴리스 국제교육원" in html
    assert 'href="/ko/miti/"' in html
