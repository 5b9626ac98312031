"""The glossary as the search reads it: the enabled synonym sets, cached."""

from django.core.cache import cache

from portal.glossary.models import SynonymSet
from portal.glossary.terms import MIN_TERMS, parse_terms

# Bump the suffix whenever the cached value changes shape, so a deploy never reads a value
# an older release wrote to a shared cache.
SYNONYM_SETS_CACHE_KEY = "glossary:synonym-sets:v1"
# Saving or deleting a set clears the key at once (services.glossary_changed). The timeout
# bounds staleness where that cannot reach: the default cache is in-process memory, so other
# server processes keep their copy until it expires.
SYNONYM_SETS_CACHE_TIMEOUT = 10 * 60


def synonym_sets() -> list[tuple[str, ...]]:
    """The terms of every enabled set, each set a tuple in the order editors wrote them.

    One query when the cache is cold, none when it is warm.
    """
    cached = cache.get(SYNONYM_SETS_CACHE_KEY)
    if cached is not None:
        return cached
    sets = []
    for text in (
        SynonymSet.objects.filter(enabled=True)
        .order_by("name", "pk")
        .values_list("terms", flat=True)
    ):
        # Sets saved around the model's validation (a shell, a data migration) may hold
        # stray spaces or a single term; a set of one term expands nothing.
        terms = tuple(parse_terms(text))
        if len(terms) >= MIN_TERMS:
            sets.append(terms)
    cache.set(SYNONYM_SETS_CACHE_KEY, sets, SYNONYM_SETS_CACHE_TIMEOUT)
    return sets
