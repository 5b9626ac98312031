"""Reading terms from the text editors type: trimmed, one per line, each once."""

import unicodedata

import pytest

from portal.glossary.terms import join_terms, parse_terms


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("따릉이\nSeoul Bike", ["따릉이", "Seoul Bike"]),
        ("  따릉이  \n\n\t\n Seoul   Bike \r\n", ["따릉이", "Seoul Bike"]),
        ("Seoul Bike\nseoul bike\nSEOUL BIKE\n따릉이", ["Seoul Bike", "따릉이"]),
        ("", []),
        ("\n \n", []),
    ],
    ids=["one-per-line", "trimmed", "case-insensitive-duplicates", "empty", "blank-lines"],
)
def test_parse_terms(text, expected):
    assert parse_terms(text) == expected


def test_decomposed_hangul_is_the_same_term_as_composed():
    decomposed = unicodedata.normalize("NFD", "따릉이")
    assert decomposed != "따릉이"
    assert parse_terms(f"따릉이\n{decomposed}") == ["따릉이"]


def test_join_terms_is_the_inverse_of_parse_terms():
    terms = ["아리수", "Arisu", "tap water"]
    assert parse_terms(join_terms(terms)) == terms
