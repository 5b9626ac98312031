"""Listings: pagination, filters, bad query strings, previous/next on detail pages."""

import datetime as dt

import pytest

from portal.core.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def news_posts(tree):
    sector = f.SectorFactory(slug="transportation", name_ko="교통", name_en="Transportation")
    posts = []
    for n in range(23):
        posts.append(
            f.NewsPageFactory(
                parent=tree.news["ko"],
                title=f"소식 {n:02d}",
                slug=f"post-{n:02d}",
                date=dt.date(2019 + n % 2, 1, 1) + dt.timedelta(days=n),
                sector=sector if n % 3 == 0 else None,
            )
        )
    return posts


def titles(response) -> list[str]:
    return [item.title for item in response.context["items_page"].object_list]


def test_listing_shows_ten_items_per_page_newest_first(client, news_posts):
    response = client.get("/ko/news/")
    assert response.status_code == 200
    page = response.context["items_page"]
    assert page.paginator.count == 23
    assert len(page.object_list) == 10
    dates = [item.date for item in page.object_list]
    assert dates == sorted(dates, reverse=True)


def test_third_page_holds_the_remainder(client, news_posts):
    response = client.get("/ko/news/?page=3")
    assert len(response.context["items_page"].object_list) == 3


@pytest.mark.parametrize("page", ["abc", "99999", "-1", "0", "1.5", "%00"], ids=str)
def test_bad_page_numbers_never_give_an_error_page(client, news_posts, page):
    response = client.get(f"/ko/news/?page={page}")
    assert response.status_code == 200
    assert len(response.context["items_page"].object_list) > 0


def test_filter_by_sector(client, news_posts):
    response = client.get("/ko/news/?sector=transportation")
    assert response.context["items_page"].paginator.count == 8
    assert all(
        item.sector.slug == "transportation" for item in response.context["items_page"].object_list
    )


def test_filter_by_year(client, news_posts):
    response = client.get("/ko/news/?year=2020")
    assert response.context["items_page"].paginator.count == 11
    assert all(item.date.year == 2020 for item in response.context["items_page"].object_list)


@pytest.mark.parametrize("query", ["sector=nope", "year=abc", "year=1850"], ids=str)
def test_unknown_filter_values_show_a_message_and_every_item(client, news_posts, query):
    response = client.get(f"/ko/news/?{query}")
    assert response.status_code == 200
    assert response.context["filter_form"].errors
    assert response.context["items_page"].paginator.count == 23
    assert 'role="alert"' in response.content.decode()


def test_a_bad_filter_value_leaves_the_other_filters_applied(client, news_posts):
    response = client.get("/ko/news/?sector=transportation&year=abc")
    assert "year" in response.context["filter_form"].errors
    assert response.context["items_page"].paginator.count == 8


def test_filter_messages_are_in_the_visitors_language(client, news_posts):
    korean = client.get("/ko/news/?sector=nope").context["filter_form"].errors["sector"][0]
    english = client.get("/en/news/?sector=nope")
    assert "nope" in korean
    assert english.status_code == 200
    assert korean != str(english.context["filter_form"].errors["sector"][0])


def test_detail_page_links_to_newer_and_older_posts_on_the_same_board(client, news_posts):
    middle = sorted(news_posts, key=lambda p: p.date)[10]
    response = client.get(middle.url)
    ordered = sorted(news_posts, key=lambda p: p.date)
    assert response.context["newer"].pk == ordered[11].pk
    assert response.context["older"].pk == ordered[9].pk


def test_a_new_page_not_yet_saved_has_no_neighbours(news_posts):
    """The admin previews a new item before it is saved: it has no id yet."""
    from portal.core.selectors import board_neighbours
    from portal.news.models import NewsPage

    unsaved = NewsPage(title="미리보기", date=dt.date(2020, 1, 15))
    assert board_neighbours(item=unsaved) == {"newer": None, "older": None}


def test_archive_board_filters_by_kind(client, tree):
    f.ArchivePageFactory(parent=tree.archives["ko"], kind="brochure")
    f.ArchivePageFactory(parent=tree.archives["ko"], kind="interview")
    response = client.get("/ko/archives/?kind=interview")
    assert [item.kind for item in response.context["items_page"].object_list] == ["interview"]


def test_unpublished_items_are_not_listed(client, tree):
    f.NewsPageFactory(parent=tree.news["ko"], title="초안", live=False)
    assert client.get("/ko/news/").context["items_page"].paginator.count == 0
