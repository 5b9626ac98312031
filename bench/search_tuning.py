"""Sweep the ranking parameters on judged queries: how the fused ranking was tuned.

Runs against a site that already holds the corpus (``make corpus``), with the same code
path as ``manage.py search_eval``; prints nDCG@10 overall and per group for each setting,
best first. The chosen defaults live in ``portal.search.engine.RankingParams``; a setting
is worth choosing only on a plateau, where its neighbours score alike.

    .venv/bin/python bench/search_tuning.py [QUERIES.jsonl]
"""

from __future__ import annotations

import dataclasses
import itertools
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GRID = {
    "alpha": [0.3, 0.4, 0.5, 0.6],
    "floor": [0.2, 0.3],
    "feedback_items": [0, 2, 3],
    "feedback_lexical": [0.0, 0.3, 0.6],
    "feedback_vector": [0.0, 0.5, 1.0],
}


def main() -> int:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    import django

    django.setup()
    from portal.search.engine import DEFAULT_PARAMS
    from portal.search.evaluation import evaluate, read_queries
    from portal.search.selectors import search_page

    path = (
        Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared/corpus/queries_dev.jsonl"
    )
    queries = read_queries(path)
    rows = []
    for values in itertools.product(*GRID.values()):
        params = dataclasses.replace(DEFAULT_PARAMS, **dict(zip(GRID, values, strict=True)))

        def ranker(query, k, ids, params=params):
            page = search_page(query=query.text, language=query.language, per_page=k, params=params)
            return [ids[hit.translation_key] for hit in page.hits if hit.translation_key in ids]

        result = evaluate(queries, ranker=ranker)
        groups = result["groups"]
        rows.append(
            (
                result["overall"]["ndcg@10"],
                groups["en"]["ndcg@10"],
                groups["ko"]["ndcg@10"],
                groups["cross"]["ndcg@10"],
                values,
            )
        )
    rows.sort(reverse=True)
    print("| overall | en | ko | cross | " + " | ".join(GRID) + " |")
    print("|---" * (4 + len(GRID)) + "|")
    for overall, en, ko, cross, values in rows:
        print(
            f"| {overall:.4f} | {en:.4f} | {ko:.4f} | {cross:.4f} | "
            + " | ".join(map(str, values))
            + " |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
