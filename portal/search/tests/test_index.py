"""The index follows the pages, and finds them the way visitors ask."""

import pytest
from django.core.management import call_command
from wagtail.models import Page

from portal.core.tests import factories as f
from portal.search.backends import get_backend
from portal.search.models import SearchEntry
from portal.search.results import SearchFilters
from portal.search.selectors import search_page

pytestmark = pytest.mark.django_db


_slugs = iter(range(1, 1_000_000))


def policy(tree, language="ko", **fields):
    fields.setdefault("slug", f"policy-{next(_slugs)}")
    fields.setdefault("summary", "")
    fields.setdefault("background", "")
    page = f.PolicyPageFactory(parent=tree.policies[language], **fields)
    return f.publish(page)


def found_titles(query, language="ko", **filters):
    return [
        hit.title
        for hit in search_page(
            query=query, language=language, filters=SearchFilters(**filters)
        ).hits
    ]


@pytest.mark.parametrize("text", ["서울시의 교육 정책", "서울시는 교육을 지원한다"])
def test_seoulsi_finds_a_page_that_only_inflects_it(tree, text):
    policy(tree, title="청소년 교육 지원", summary=text)
    assert found_titles("서울시") == ["청소년 교육 지원"]


def test_part_of_a_compound_finds_the_compound(tree):
    policy(tree, title="대중교통 요금 개편", summary="요금 체계를 바꾸었다")
    assert found_titles("교통") == ["대중교통 요금 개편"]


def test_a_query_with_a_particle_finds_the_bare_noun(tree):
    policy(tree, title="버스 노선 개편", summary="노선을 새로 짰다")
    assert found_titles("버스를") == ["버스 노선 개편"]


def test_an_english_question_finds_a_korean_only_page(tree):
    policy(
        tree,
        title="서울 공공자전거 따릉이",
        summary="시민 누구나 스마트폰으로 공공자전거를 빌리고 대여소에 반납한다.",
    )
    policy(tree, title="치매안심센터 운영", summary="어르신 치매 검사와 상담을 제공한다.")
    page = search_page(query="public bicycle rental", language="en")
    assert page.hits[0].title == "서울 공공자전거 따릉이"
    assert page.hits[0].other_language_only
    assert page.hits[0].language == "ko"


def test_one_result_per_item_in_the_visitors_language(tree):
    ko = policy(tree, title="청계천 복원", summary="청계천 고가도로를 철거하고 하천을 복원했다.")
    f.translate(ko, "en", title="Cheonggyecheon Restoration", summary="The stream was restored.")
    english = search_page(query="청계천", language="en")
    assert [hit.title for hit in english.hits] == ["Cheonggyecheon Restoration"]
    assert not english.hits[0].other_language_only
    assert english.hits[0].languages == ("en", "ko")
    korean = search_page(query="Cheonggyecheon", language="ko")
    assert [hit.title for hit in korean.hits] == ["청계천 복원"]


def test_unpublish_edit_and_delete_update_the_index_at_once(tree):
    page = policy(tree, title="야간 버스", summary="심야에 운행하는 버스")
    assert found_titles("심야") == ["야간 버스"]
    page.summary = "새벽에 운행하는 버스"
    page = f.publish(page)
    assert found_titles("심야") == []
    assert found_titles("새벽") == ["야간 버스"]
    page.unpublish()
    assert found_titles("새벽") == []
    f.publish(page)
    assert found_titles("새벽") == ["야간 버스"]
    entry_id = SearchEntry.objects.get(page=page).pk
    Page.objects.get(pk=page.pk).delete()
    assert found_titles("새벽") == []
    assert entry_id not in get_backend().match(terms=["새벽"])


def test_moving_a_page_updates_its_address(tree):
    page = policy(tree, title="주택 바우처", summary="임대료 지원")
    Page.objects.get(pk=page.pk).move(tree.news["ko"], pos="last-child")
    assert search_page(query="바우처", language="ko").hits[0].url.startswith("/ko/news/")


def test_private_pages_are_not_found_and_come_back_when_public(tree):
    from wagtail.models import PageViewRestriction

    page = policy(tree, title="내부 문서", summary="직원 전용 자료")
    assert found_titles("직원") == ["내부 문서"]
    restriction = PageViewRestriction.objects.create(page=page, restriction_type="login")
    assert found_titles("직원") == []
    restriction.delete()
    assert found_titles("직원") == ["내부 문서"]
    PageViewRestriction.objects.create(page=tree.policies["ko"], restriction_type="login")
    assert found_titles("직원") == []


def test_a_batch_leaves_out_the_pages_of_a_private_section(tree):
    from wagtail.models import PageViewRestriction

    from portal.search.services import search_index_batch

    PageViewRestriction.objects.create(page=tree.policies["en"], restriction_type="login")
    with search_index_batch():
        policy(tree, title="공개 자료", summary="누구나 보는 자료")
        policy(tree, "en", title="Staff only", summary="internal material")
    assert SearchEntry.objects.filter(title="공개 자료").exists()
    assert not SearchEntry.objects.filter(title="Staff only").exists()


def test_rebuild_command_indexes_everything_with_progress(tree, capsys):
    policy(tree, title="미세먼지 저감", summary="노후 경유차 운행 제한")
    SearchEntry.objects.all().delete()
    assert found_titles("미세먼지") == []
    call_command("rebuild_search_index")
    out = capsys.readouterr().out
    assert "Indexed 1/1" in out
    assert found_titles("미세먼지") == ["미세먼지 저감"]


def test_title_weighs_more_than_body(tree):
    policy(tree, title="공원 조성", summary="시민을 위한 휴식 공간", background="<p>하천 정비</p>")
    policy(tree, title="하천 정비", summary="물길을 되살렸다")
    assert found_titles("하천")[0] == "하천 정비"


def test_facets_count_the_results_and_filters_apply(tree):
    transport = f.SectorFactory(slug="transportation", name_ko="교통", name_en="Transport")
    water = f.SectorFactory(slug="water", name_ko="상수도", name_en="Water")
    policy(tree, title="버스 개편", summary="버스 노선", sector=transport)
    policy(tree, title="버스 정류장", summary="버스 정류장 개선", sector=transport)
    policy(tree, title="수돗물 버스", summary="버스로 수돗물 홍보", sector=water)
    page = search_page(query="버스", language="ko")
    sectors = {facet.value: facet.count for facet in page.facets["sector"]}
    assert sectors == {"transportation": 2, "water": 1}
    assert {facet.value: facet.count for facet in page.facets["kind"]} == {"policy": 3}
    filtered = search_page(query="버스", language="ko", filters=SearchFilters(sector="water"))
    assert [hit.title for hit in filtered.hits] == ["수돗물 버스"]


def test_snippets_mark_the_matched_words(tree):
    policy(tree, title="교통 정책", summary="서울시는 대중교통을 확대했다.")
    hit = search_page(query="교통", language="ko").hits[0]
    assert "<mark>대중교통을</mark>" in hit.snippet_html


def test_snippets_escape_the_text(tree):
    policy(tree, title="특수문자", summary="<script>alert(1)</script> 안전 교육")
    hit = search_page(query="안전", language="ko").hits[0]
    assert "<script>" not in hit.snippet_html
    assert "&lt;script&gt;" in hit.snippet_html


def test_long_queries_are_cut(tree):
    page = search_page(query="교통 " * 100, language="ko")
    assert page.truncated
    assert len(page.query) <= 200


def test_glossary_synonyms_expand_the_query(tree):
    from portal.glossary.models import SynonymSet

    SynonymSet.objects.create(name="Public bicycle", terms="따릉이\nSeoul Bike\n공공자전거")
    policy(tree, title="따릉이 대여소 확대", summary="대여소를 늘렸다")
    page = search_page(query="Seoul Bike stations", language="ko")
    assert "따릉이" in page.expansions
    assert page.hits[0].title == "따릉이 대여소 확대"


def test_a_misspelt_english_word_finds_the_right_one(tree):
    policy(
        tree,
        language="en",
        title="Flood prevention tunnels",
        summary="Deep tunnels hold rain water.",
    )
    policy(tree, language="en", title="Bus lanes", summary="Median lanes for buses.")
    assert found_titles("flood prevension", language="en")[0] == "Flood prevention tunnels"
    assert found_titles("buss", language="en") == ["Bus lanes"]


def test_a_new_slug_of_a_board_updates_the_addresses_below_it(
    tree, django_capture_on_commit_callbacks
):
    policy(tree, title="주택 바우처", summary="임대료 지원", slug="vouchers")
    board = Page.objects.get(pk=tree.policies["ko"].pk).specific
    board.slug = "cases"
    # Wagtail announces a new slug once the transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        f.publish(board)
    assert search_page(query="바우처", language="ko").hits[0].url == "/ko/cases/vouchers/"
