"""Korean and English analysis: what a text gives to the index and to a query."""

import pytest

from portal.search.analysis import (
    analyse,
    compound_parts,
    english_terms,
    romanise,
    romanised_key,
    spelling_variants,
    term_spans,
)


def terms(text, **kwargs):
    return analyse(text, **kwargs).terms


def findable(text):
    found = analyse(text)
    return set(found.terms) | set(found.parts)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("서울시의", ["서울시"]),
        ("서울시는", ["서울시"]),
        ("버스를", ["버스"]),
        ("지하철에서", ["지하철"]),
        ("자전거와 버스를", ["자전거", "버스"]),
    ],
    ids=["genitive", "topic", "object", "locative", "conjunction"],
)
def test_korean_particles_are_dropped(text, expected):
    assert terms(text) == expected


def test_korean_endings_are_dropped_and_stems_kept():
    assert terms("예약했다") == ["예약"]
    assert "제한" in terms("차량 운행을 제한하는 조치")
    assert "심하" in terms("미세먼지가 심할 때")


def test_korean_grammar_stems_say_nothing():
    assert terms("지진이 나면 어떻게 대피해야 하나요") == ["지진", "대피"]


def test_numbers_and_foreign_words_are_kept():
    assert terms("2015년 Seoul Bike 도입") == ["2015", "seoul", "bike", "도입"]
    assert "120" in terms("120 다산콜센터")


def test_compound_noun_parts_are_findable():
    assert "교통" in findable("대중교통")
    assert "센터" in findable("다산콜센터")
    assert compound_parts("교통") == []
    assert set(compound_parts("대중교통")) >= {"대중", "교통", "대중교", "중교통"}


def test_english_is_lower_cased_stemmed_without_stop_words():
    assert english_terms("The Buses of Seoul's Networks") == ["bus", "seoul", "network"]
    assert english_terms("testing tested tests") == ["test", "test", "test"]
    assert english_terms("and the of") == []


def test_hyphenated_words_are_found_whole_and_in_parts():
    found = terms("COVID-19 drive-through")
    assert {"covid", "19", "covid19", "drive", "drivethrough"} <= set(found)


def test_mixed_korean_and_english_text():
    found = terms("서울시 Ddareungi 정책은 public bicycles를")
    assert found == ["서울시", "ddareungi", "정책", "public", "bicycl"]


def test_romanisation_follows_the_revised_system():
    assert romanise("따릉이") == "ttareungi"
    assert romanise("청계천") == "cheonggyecheon"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Ddareungi", "ttareungi"),
        ("따릉이", "Ttareungi"),
        ("Cheonggyecheon", "Chonggyechon"),
        ("청계천", "Cheonggyecheon"),
        ("Yeouido", "Yoido"),
    ],
)
def test_romanised_names_share_one_key(a, b):
    assert romanised_key(a) == romanised_key(b) != ""


def test_queries_carry_romanisation_keys_for_every_latin_word():
    assert romanised_key("ttareungi") in analyse("ttareungi", for_query=True).parts
    assert romanised_key("따릉이") in analyse("서울 따릉이 대여", for_query=True).parts
    assert romanised_key("따릉이") in analyse("따릉이 대여소", names=True).parts


@pytest.mark.parametrize(
    "text", ["", "   ", "\x00\x01", '"*()[]{}', "NEAR OR AND", "😀", "ㅋㅋㅋ", "'" * 50]
)
def test_odd_input_gives_no_error(text):
    analyse(text)
    analyse(text, for_query=True)


def test_term_spans_point_at_the_words():
    text = "서울시의 대중교통 정책"
    spans = term_spans(text)
    assert [text[s:e] for s, e, _ in spans] == ["서울시의", "대중교통", "정책"]
    assert "교통" in spans[1][2]


def test_spelling_variants_come_in_two_tiers():
    likely, mistyped = spelling_variants("recyl")
    assert "recycl" in likely  # a letter left out
    assert "bus" in spelling_variants("buss")[0]  # a letter doubled
    assert "reycl" in likely and "ercyl" not in likely  # two swapped, first letter kept
    assert "prevent" in spelling_variants("prevens")[1]  # one letter mistyped
    assert "ecyl" not in likely | mistyped  # no letter dropped but a doubled one
