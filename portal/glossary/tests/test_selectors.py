"""The search reads the enabled sets from the cache: one query cold, none warm, fresh after edits."""

import pytest
from django.core.cache import cache

from portal.glossary.models import SynonymSet
from portal.glossary.selectors import SYNONYM_SETS_CACHE_KEY, synonym_sets
from portal.glossary.services import glossary_changed
from portal.glossary.tests.factories import SynonymSetFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sets():
    return {
        "bike": SynonymSetFactory(name="Public bicycle", terms="따릉이\nDdareungi\nSeoul Bike"),
        "water": SynonymSetFactory(name="Tap water", terms="수돗물\n아리수\nArisu"),
        "off": SynonymSetFactory(name="Disabled", terms="야시장\nnight market", enabled=False),
    }


def test_only_enabled_sets_are_returned_in_order_of_name(sets):
    assert synonym_sets() == [("따릉이", "Ddareungi", "Seoul Bike"), ("수돗물", "아리수", "Arisu")]


def test_a_cold_cache_costs_one_query_and_a_warm_one_none(sets, django_assert_num_queries):
    with django_assert_num_queries(1):
        cold = synonym_sets()
    with django_assert_num_queries(0):
        warm = synonym_sets()
    assert warm == cold


def test_an_empty_glossary_is_cached_too(django_assert_num_queries):
    with django_assert_num_queries(1):
        assert synonym_sets() == []
    with django_assert_num_queries(0):
        assert synonym_sets() == []


def test_a_set_saved_without_validation_is_read_cleanly():
    SynonymSet.objects.create(name="Raw", terms="  지하철 \n\nsubway\nSUBWAY\n")
    SynonymSet.objects.create(name="Single", terms="only one")
    assert synonym_sets() == [("지하철", "subway")]


def test_saving_a_set_refreshes_the_cache(sets, django_assert_num_queries):
    synonym_sets()
    bike = sets["bike"]
    bike.terms += "\npublic bicycle"
    bike.save()
    assert cache.get(SYNONYM_SETS_CACHE_KEY) is None
    with django_assert_num_queries(1):
        assert ("따릉이", "Ddareungi", "Seoul Bike", "public bicycle") in synonym_sets()


def test_enabling_and_disabling_a_set_refreshes_the_cache(sets):
    synonym_sets()
    sets["off"].enabled = True
    sets["off"].save()
    assert ("야시장", "night market") in synonym_sets()
    sets["water"].enabled = False
    sets["water"].save()
    assert ("수돗물", "아리수", "Arisu") not in synonym_sets()


def test_deleting_a_set_refreshes_the_cache(sets):
    synonym_sets()
    sets["water"].delete()
    assert synonym_sets() == [("따릉이", "Ddareungi", "Seoul Bike")]


def test_deleting_through_a_queryset_refreshes_the_cache(sets):
    synonym_sets()
    SynonymSet.objects.filter(enabled=True).delete()
    assert synonym_sets() == []


def test_glossary_changed_clears_the_cache_again_at_commit(
    sets, django_capture_on_commit_callbacks
):
    synonym_sets()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        glossary_changed()
    assert cache.get(SYNONYM_SETS_CACHE_KEY) is None
    # A search between the change and the commit caches the sets again...
    synonym_sets()
    assert cache.get(SYNONYM_SETS_CACHE_KEY) is not None
    # ...and the commit drops that copy.
    for callback in callbacks:
        callback()
    assert cache.get(SYNONYM_SETS_CACHE_KEY) is None
