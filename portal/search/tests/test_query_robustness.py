"""Whatever a visitor types, the search answers: generated queries against the engine's
entry point and against the search page and its suggestions."""

import datetime as dt
import json

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from portal.core.tests import factories as f
from portal.search.results import MAX_QUERY_LENGTH, SearchFilters, SearchPage
from portal.search.selectors import search_page, title_suggestions

pytestmark = pytest.mark.django_db

# The examples reuse one set of pages built by the fixtures (only reads happen), hence the
# function-scoped fixture check is off. Derandomised so that a run on CI is reproducible;
# no deadline, because the first query loads the embedding model.
ROBUST = settings(
    max_examples=1000,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Operators and punctuation of every search syntax a visitor may know or a probe may try.
SYNTAX = [
    '"', "'", "`", "*", "?", "~", "^", ":", "-", "+", "!", "|", "||", "&", "&&", "\\", "/",
    "(", ")", "[", "]", "{", "}", "<", ">", "「", "」", "『", "』", "（", "）", "【", "】",
    "NEAR", "NEAR/3", "OR", "AND", "NOT", "or", "and", "not", "AND NOT", "-(", "^2", "~0.5",
    "title:", "body:", "*:*", "%", "_", ";", "--", "/*", "*/", "' OR '1'='1", "\\x00",
    "&amp;", "&#0;", "<mark>", "</mark>", "<script>", "${", "{{", "}}", "$1", "%s", "%(q)s",
]  # fmt: skip
WORDS = [
    "서울", "서울시의", "버스", "버스를", "대중교통", "공유도시", "따릉이", "교통", "정책", "은", "를",
    "bus", "buses", "Seoul", "sharing", "city", "public", "bike", "policy", "the", "a", "of",
    "COVID-19", "e-Government", "2020", "0", "1e9", "-1", "ᄀ", "ㅎㅎ", "가나다라마바사",
]  # fmt: skip
ODD = [
    "\x00", "\x01", "\x07", "\x08", "\x1b", "\x7f", "\x85", "\t", "\n", "\r", "\u00a0",
    "\u200b", "\u200d", "\u2028", "\u202e", "\ufeff", "\ufffd", "\U000e0001", "🚌", "🚲",
    "👩‍👩‍👧", "🇰🇷", "é", "é", "ﬁ", "Ⅻ", "①", "𝔹𝕦𝕤", "Ǆ", "İ", "ß", "ς", "٣", "ー",
]  # fmt: skip

fragment = st.one_of(
    st.sampled_from(SYNTAX),
    st.sampled_from(WORDS),
    st.sampled_from(ODD),
    st.text(max_size=6),  # any code point but lone surrogates, control characters included
)
queries = st.one_of(
    st.text(max_size=60),
    st.lists(fragment, max_size=14).map(" ".join),
    st.lists(fragment, max_size=14).map("".join),
    st.lists(fragment, min_size=30, max_size=120).map(" ".join),  # past the length limit
    st.text(alphabet=st.sampled_from('가나다 버스()"*-:^'), min_size=150, max_size=700),
)
filters = st.builds(
    SearchFilters,
    sector=st.sampled_from(["", "transportation", "no-such-sector"]),
    kind=st.sampled_from(["", "policy", "news", "archive", "programme", "poem"]),
    year=st.none() | st.integers(min_value=-1, max_value=3000),
    language=st.sampled_from(["", "ko", "en", "fr"]),
)
# What the page's query string may hold besides q: good values, bad values, garbage.
raw_value = st.one_of(st.sampled_from(["", "1", "2", "policy", "ko", "2019"]), st.text(max_size=12))
NASTY_EXAMPLES = [
    "",
    " ",
    "\x00",
    '"',
    '"""',
    "*",
    "NEAR",
    "OR OR",
    "AND NOT -",
    "(((((",
    ")]}>",
    '서울시의 "버스 -노선" OR (따릉이* NEAR/2 공유)',
    "a" * (MAX_QUERY_LENGTH + 1),
    "버스 " * 500,
    "\U0010ffff",
]


@pytest.fixture
def pages(tree):
    """A few published (so indexed) pages in both languages, enough for queries to match."""
    sector = f.SectorFactory(slug="transportation", name_ko="교통", name_en="Transportation")
    policy = f.publish(
        f.PolicyPageFactory(
            parent=tree.policies["ko"],
            title='버스 중앙차로 (BRT) "서울형"',
            slug="median-bus-lanes",
            summary="서울시의 버스 중앙차로: 속도 * 2, 사고 -30%",
            sector=sector,
        )
    )
    f.translate(policy, "en", title="Median bus lanes: NEAR OR AND", summary="Buses (BRT) [2004]")
    f.publish(
        f.NewsPageFactory(
            parent=tree.news["ko"],
            title="따릉이 대여소 확대 🚲",
            slug="ddareungi",
            date=dt.date(2020, 6, 1),
        )
    )
    f.publish(
        f.ArchivePageFactory(parent=tree.archives["ko"], title="공유도시 서울", slug="sharing")
    )


def _assert_sane(result: SearchPage, per_page: int) -> None:
    assert isinstance(result, SearchPage)
    assert len(result.query) <= MAX_QUERY_LENGTH
    assert result.total >= 0
    assert len(result.hits) <= per_page
    assert result.page >= 1


@ROBUST
@given(query=queries, language=st.sampled_from(["ko", "en"]), page=st.integers(-5, 50))
@example(query="서울시의 버스", language="ko", page=1)
# Lone surrogates cannot come from a browser (not UTF-8), but from a caller of the selector.
@example(query="\ud800버스 \udfff", language="ko", page=1)
def test_search_page_answers_any_query(pages, query, language, page):
    result = search_page(query=query, language=language, filters=SearchFilters(), page=page)
    _assert_sane(result, per_page=10)
    for hit in result.hits:
        assert "<script" not in hit.snippet_html


@settings(ROBUST, max_examples=400)
@given(query=queries, language=st.sampled_from(["ko", "en"]), chosen=filters)
def test_search_page_answers_any_query_with_any_filters(pages, query, language, chosen):
    result = search_page(query=query, language=language, filters=chosen, per_page=5)
    _assert_sane(result, per_page=5)


@settings(ROBUST, max_examples=300)
@given(prefix=queries, language=st.sampled_from(["ko", "en"]))
def test_title_suggestions_answer_any_prefix(pages, prefix, language):
    suggestions = title_suggestions(prefix=prefix, language=language)
    assert len(suggestions) <= 8


@pytest.mark.parametrize("query", NASTY_EXAMPLES, ids=repr)
def test_the_search_page_answers_known_troublemakers(client, pages, query):
    for language in ("ko", "en"):
        response = client.get(f"/{language}/search/", {"q": query})
        assert response.status_code == 200


@settings(ROBUST, max_examples=500)
@given(
    query=queries,
    language=st.sampled_from(["ko", "en"]),
    sector=raw_value,
    kind=raw_value,
    year=raw_value,
    lang=raw_value,
    page=raw_value,
)
def test_the_search_page_answers_any_query_string(
    client, pages, query, language, sector, kind, year, lang, page
):
    params = {"q": query, "sector": sector, "kind": kind, "year": year, "lang": lang, "page": page}
    response = client.get(f"/{language}/search/", params)
    assert response.status_code == 200
    assert len(response.context["query"]) <= MAX_QUERY_LENGTH


@settings(ROBUST, max_examples=300)
@given(query=queries, language=st.sampled_from(["ko", "en"]))
def test_suggestions_answer_any_query(client, pages, query, language):
    response = client.get(f"/{language}/search/suggest/", {"q": query})
    assert response.status_code == 200
    data = json.loads(response.content)
    assert len(data["query"]) <= MAX_QUERY_LENGTH
    assert isinstance(data["suggestions"], list)
