"""A synonym set holds two to fifty distinct terms of at most a hundred characters."""

import pytest
from django.core.exceptions import ValidationError

from portal.glossary.models import SynonymSet
from portal.glossary.tests.factories import SynonymSetFactory

pytestmark = pytest.mark.django_db


def _codes(synonym_set: SynonymSet) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        synonym_set.full_clean()
    return [error.code for error in caught.value.error_dict["terms"]]


def test_a_valid_set_is_trimmed_and_loses_its_duplicates():
    synonym_set = SynonymSet(
        name="  Public   bicycle ",
        terms=" 따릉이 \n\nDdareungi\nddareungi\n  Seoul   Bike\n따릉이\n",
    )
    synonym_set.full_clean()
    assert synonym_set.name == "Public bicycle"
    assert synonym_set.terms == "따릉이\nDdareungi\nSeoul Bike"
    assert synonym_set.term_list == ["따릉이", "Ddareungi", "Seoul Bike"]


@pytest.mark.parametrize(
    "terms",
    ["따릉이", "따릉이\n\n   \n", " \n\t\n", "Seoul Bike\nseoul bike\nSEOUL BIKE"],
    ids=["one-term", "one-term-and-blank-lines", "blank-lines", "one-term-in-three-cases"],
)
def test_a_set_needs_two_distinct_terms(terms):
    assert _codes(SynonymSet(name="Too few", terms=terms)) == ["too_few_terms"]


def test_empty_terms_get_only_the_fields_own_error():
    assert _codes(SynonymSet(name="Empty", terms="")) == ["blank"]


def test_a_term_longer_than_a_hundred_characters_is_refused():
    synonym_set = SynonymSet(name="Long", terms="가" * 100 + "\n" + "b" * 101)
    assert _codes(synonym_set) == ["term_too_long"]


def test_a_term_of_exactly_a_hundred_characters_is_accepted():
    SynonymSet(name="Long", terms="가" * 100 + "\n" + "b" * 100).full_clean()


def test_a_set_holds_at_most_fifty_terms():
    SynonymSet(name="Fifty", terms="\n".join(f"term {n}" for n in range(50))).full_clean()
    too_many = SynonymSet(name="Fifty-one", terms="\n".join(f"term {n}" for n in range(51)))
    assert _codes(too_many) == ["too_many_terms"]


def test_duplicates_do_not_count_towards_the_limit():
    terms = "\n".join(f"term {n}" for n in range(50)) + "\nTERM 0\nTerm 1"
    SynonymSet(name="Fifty", terms=terms).full_clean()


def test_names_are_unique():
    SynonymSetFactory(name="Subway")
    with pytest.raises(ValidationError) as caught:
        SynonymSet(name="Subway", terms="지하철\nsubway").full_clean()
    assert "name" in caught.value.error_dict


def test_the_preview_shows_the_first_terms_on_one_line():
    short = SynonymSet(name="Short", terms="지하철\nsubway\nmetro")
    assert short.terms_preview == "지하철 · subway · metro"
    long = SynonymSet(name="Long", terms="\n".join(f"t{n}" for n in range(8)))
    assert long.terms_preview == "t0 · t1 · t2 · t3 · t4 · t5 …"
