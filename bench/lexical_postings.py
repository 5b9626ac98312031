"""What a lexical match over postings held in memory would cost, before building one.

The lexical match is most of a search's time at 100,000 documents (see
docs/benchmarks.md): FTS5's ``bm25()`` and the PostgreSQL postings both score every entry
that holds any query term. This reads the analysed terms of a site kept by
``bench/search_latency.py --site`` into compressed-row postings (one array of entry
rows and one of weighted term frequencies per term, as ``backends.postgres`` weights
them), repeats them ``--times`` times (as ``bench/replicate_index.py`` repeats the
entries), and for every judged development query sums BM25 over its terms' postings
with numpy and keeps the best 1,000, timing that and checking on the unrepeated index
that the best entries are the database's. It prints the time per query, the postings'
size, and, for comparison, the database's own match on the same site.

    .venv/bin/python bench/lexical_postings.py --site /tmp/sites/10000-sqlite --times 10
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from search_latency import CORPUS, ROOT, percentile  # this folder is on the path


def setup(site: Path) -> None:
    state = json.loads((site / "site.json").read_text())
    os.environ["PORTAL_DATA_DIR"] = str(site.resolve())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    if state.get("database_url"):
        os.environ["DATABASE_URL"] = state["database_url"]
    else:
        os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def read_postings():
    """Entry ids, lengths, and per term its (row, weighted frequency) pairs, as arrays."""
    import numpy as np

    from portal.search.backends.base import LexicalFields
    from portal.search.backends.postgres import term_frequencies
    from portal.search.models import SearchEntry

    vocabulary: dict[str, int] = {}
    rows, terms, frequencies, entry_ids, lengths = [], [], [], [], []
    fields = ("pk", "title_terms", "summary_terms", "body_terms", "parts")
    entries = SearchEntry.objects.order_by("pk").values_list(*fields).iterator(chunk_size=500)
    for row, (pk, title, summary, body, parts) in enumerate(entries):
        analysed = LexicalFields(title.split(), summary.split(), body.split(), parts.split())
        entry_ids.append(pk)
        lengths.append(analysed.length())
        for term, frequency in term_frequencies(analysed).items():
            rows.append(row)
            terms.append(vocabulary.setdefault(term, len(vocabulary)))
            frequencies.append(frequency)
    rows = np.array(rows, dtype=np.int32)
    terms = np.array(terms, dtype=np.int32)
    frequencies = np.array(frequencies, dtype=np.float32)
    return (
        vocabulary,
        np.array(entry_ids),
        np.array(lengths, dtype=np.float32),
        rows,
        terms,
        (frequencies),
    )


class Postings:
    """Compressed rows by term: the postings of term ``t`` are ``[starts[t], starts[t+1])``
    of ``rows`` and ``frequencies``."""

    def __init__(self, vocabulary, lengths, rows, terms, frequencies, times: int):
        import numpy as np

        size = len(lengths)
        if times > 1:
            rows = np.concatenate([rows + copy * size for copy in range(times)])
            terms = np.tile(terms, times)
            frequencies = np.tile(frequencies, times)
            lengths = np.tile(lengths, times)
        order = np.lexsort((rows, terms))
        self.rows = rows[order]
        self.frequencies = frequencies[order]
        self.starts = np.searchsorted(terms[order], np.arange(len(vocabulary) + 1))
        self.vocabulary = vocabulary
        self.lengths = lengths
        self.documents = len(lengths)
        self.average = float(lengths.mean()) if len(lengths) else 1.0

    def frequency(self, term: str) -> int:
        """How many entries hold ``term``."""
        number = self.vocabulary.get(term)
        return 0 if number is None else int(self.starts[number + 1] - self.starts[number])

    @property
    def nbytes(self) -> int:
        return self.rows.nbytes + self.frequencies.nbytes + self.starts.nbytes

    def match(self, terms: list[str], limit: int):
        """The best ``limit`` rows by BM25 summed over ``terms``, best first, with scores."""
        import numpy as np

        from portal.search.backends.base import BM25_B, BM25_K1, bm25_idf

        scores = np.zeros(self.documents, dtype=np.float64)
        touched = np.zeros(self.documents, dtype=bool)
        for term in dict.fromkeys(terms):
            number = self.vocabulary.get(term)
            if number is None:
                continue
            start, end = self.starts[number], self.starts[number + 1]
            rows, frequency = self.rows[start:end], self.frequencies[start:end]
            idf = bm25_idf(documents=self.documents, matching=end - start)
            norm = 1 - BM25_B + BM25_B * self.lengths[rows] / self.average
            scores[rows] += idf * frequency * (BM25_K1 + 1) / (frequency + BM25_K1 * norm)
            touched[rows] = True
        found = np.flatnonzero(touched)
        if len(found) > limit:
            found = found[np.argpartition(-scores[found], limit - 1)[:limit]]
        found = found[np.lexsort((found, -scores[found]))]
        return found, scores[found]


def query_terms(text: str) -> list[str]:
    """The terms ``engine.rank`` searches for ``text``."""
    from portal.search import engine
    from portal.search.analysis import analyse

    analysis = analyse(text, for_query=True)
    expansion, _shown = engine.glossary_expansion(analysis.terms)
    corrections = engine.spelling_corrections(analysis.terms)
    return list(dict.fromkeys(analysis.terms + analysis.parts + expansion + corrections))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, required=True, help="a site kept by --site")
    parser.add_argument("--times", type=int, default=10, help="repeat the postings")
    parser.add_argument("--queries", type=Path, default=CORPUS / "queries_dev.jsonl")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    setup(args.site)

    from portal.search import engine
    from portal.search.backends import get_backend

    queries = [json.loads(line) for line in args.queries.read_text().splitlines() if line]
    started = time.perf_counter()
    vocabulary, entry_ids, lengths, rows, terms, frequencies = read_postings()
    print(
        f"read {len(entry_ids)} entries, {len(rows)} postings, {len(vocabulary)} terms "
        f"in {time.perf_counter() - started:.0f} s",
        flush=True,
    )
    searched = [query_terms(query["query"]) for query in queries]

    # The unrepeated postings against the database's own match: the same best entries?
    single = Postings(vocabulary, lengths, rows, terms, frequencies, 1)
    snap = engine.snapshot()
    backend = get_backend()
    # Also the database's match without the terms in half the entries or more (their IDF
    # is floored to 1e-6: they change no score above that), for the same best entries.
    rare = {
        tuple(words): [word for word in words if single.frequency(word) < single.documents / 2]
        or words
        for words in searched
    }

    def best_ten(matches: dict) -> list[int]:
        return sorted(matches, key=lambda entry: (-matches[entry], entry))[:10]

    same_ten, same_ten_rare, database_times, rare_times = 0, 0, [], []
    for _round in range(args.rounds):
        for words in searched:
            begun = time.perf_counter()
            matches = backend.match(terms=words, limit=1000, stats=snap.stats)
            database_times.append((time.perf_counter() - begun) * 1000)
            begun = time.perf_counter()
            rare_matches = backend.match(terms=rare[tuple(words)], limit=1000, stats=snap.stats)
            rare_times.append((time.perf_counter() - begun) * 1000)
            if _round == 0:
                best, _scores = single.match(words, 1000)
                same_ten += entry_ids[best[:10]].tolist() == best_ten(matches)
                same_ten_rare += best_ten(rare_matches) == best_ten(matches)
    del single

    repeated = Postings(vocabulary, lengths, rows, terms, frequencies, args.times)
    times = []
    for _round in range(args.rounds):
        for words in searched:
            begun = time.perf_counter()
            repeated.match(words, 1000)
            times.append((time.perf_counter() - begun) * 1000)
    print(
        f"{len(entry_ids)} entries: the database's match p50 "
        f"{percentile(database_times, 0.5):.1f} ms, p95 {percentile(database_times, 0.95):.1f} "
        f"ms; the same ten best entries from the postings in {same_ten} of {len(searched)} "
        "queries"
    )
    print(
        f"{len(entry_ids)} entries, the database's match without the terms in half the "
        f"entries or more: p50 {percentile(rare_times, 0.5):.1f} ms, p95 "
        f"{percentile(rare_times, 0.95):.1f} ms; the same ten best entries in "
        f"{same_ten_rare} of {len(searched)} queries"
    )
    print(
        f"{repeated.documents} entries ({args.times} times): numpy over the postings p50 "
        f"{percentile(times, 0.5):.1f} ms, p95 {percentile(times, 0.95):.1f} ms, max "
        f"{max(times):.1f} ms; postings {len(repeated.rows)}, "
        f"{repeated.nbytes / 2**20:.0f} MB as int32 rows and float32 frequencies"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
