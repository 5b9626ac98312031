"""Judged-query evaluation of the search: nDCG@k, MRR and Recall@k, overall and per group.

Groups: ``en`` and ``ko`` hold the queries written in that language; ``cross`` the
queries for which some relevant document exists only in the other language (they count
in their language's group as well).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from wagtail.models import Page

from portal.search.documents import SEARCHABLE
from portal.search.selectors import search_page

GROUPS = ("en", "ko", "cross")


class QueryFileError(ValueError):
    """A judged-query file that cannot be read; the message says where and why."""


@dataclass(frozen=True)
class JudgedQuery:
    qid: str
    language: str
    text: str
    relevant: dict[str, int]


def read_queries(path: Path) -> list[JudgedQuery]:
    queries = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
                queries.append(
                    JudgedQuery(
                        qid=str(data["qid"]),
                        language=str(data["lang"]),
                        text=str(data["query"]),
                        relevant={str(k): int(v) for k, v in data["relevant"].items()},
                    )
                )
            except (ValueError, KeyError, TypeError, AttributeError) as error:
                raise QueryFileError(f"line {number}: {error!r}") from error
    return queries


def ndcg(ranked: list[str], relevant: dict[str, int], k: int) -> float:
    gains = sum(
        (2 ** relevant.get(doc, 0) - 1) / math.log2(i + 2) for i, doc in enumerate(ranked[:k])
    )
    ideal = sorted(relevant.values(), reverse=True)[:k]
    best = sum((2**grade - 1) / math.log2(i + 2) for i, grade in enumerate(ideal))
    return gains / best if best else 0.0


def reciprocal_rank(ranked: list[str], relevant: dict[str, int]) -> float:
    for i, doc in enumerate(ranked):
        if relevant.get(doc, 0) >= 1:
            return 1.0 / (i + 1)
    return 0.0


def recall(ranked: list[str], relevant: dict[str, int], k: int) -> float:
    wanted = {doc for doc, grade in relevant.items() if grade >= 1}
    return len(wanted & set(ranked[:k])) / len(wanted) if wanted else 0.0


def source_ids_by_key() -> tuple[dict[str, str], dict[str, set[str]]]:
    """Document id of each item (translation key), and the languages of each document."""
    ids: dict[str, str] = {}
    languages: dict[str, set[str]] = {}
    for label in SEARCHABLE:
        model = apps.get_model(label)
        rows = (
            model.objects.live()
            .exclude(source_id="")
            .values_list("translation_key", "source_id", "locale__language_code")
        )
        for key, source_id, language in rows:
            ids[str(key)] = source_id
            languages.setdefault(source_id, set()).add(language)
    return ids, languages


def is_cross(query: JudgedQuery, languages: dict[str, set[str]]) -> bool:
    return any(query.language not in languages.get(doc, {query.language}) for doc in query.relevant)


def project_ranking(query: JudgedQuery, k: int, ids: dict[str, str]) -> list[str]:
    """Document ids of the first ``k`` results of the search page for the query."""
    page = search_page(query=query.text, language=query.language, per_page=k)
    return [ids[hit.translation_key] for hit in page.hits if hit.translation_key in ids]


def stock_ranking(query: JudgedQuery, k: int, ids: dict[str, str]) -> list[str]:
    """Document ids of Wagtail's stock search over the same pages, one per document."""
    models = [apps.get_model(label) for label in SEARCHABLE]
    results = Page.objects.live().type(*models).search(query.text)
    ranked: list[str] = []
    for page in results[: k * 4]:
        doc = ids.get(str(page.translation_key))
        if doc and doc not in ranked:
            ranked.append(doc)
        if len(ranked) == k:
            break
    return ranked


def _mean(values: list[float]) -> float:
    return round(sum(values) / len(values), 4) if values else 0.0


def evaluate(
    queries: Iterable[JudgedQuery],
    *,
    k: int = 10,
    ranker: Callable[[JudgedQuery, int, dict[str, str]], list[str]] = project_ranking,
) -> dict:
    ids, languages = source_ids_by_key()
    per_group: dict[str, dict[str, list[float]]] = {
        name: {"ndcg": [], "mrr": [], "recall": []} for name in ("overall", *GROUPS)
    }
    details = []
    for query in queries:
        ranked = ranker(query, k, ids)
        scores = {
            "ndcg": ndcg(ranked, query.relevant, k),
            "mrr": reciprocal_rank(ranked, query.relevant),
            "recall": recall(ranked, query.relevant, k),
        }
        groups = ["overall", query.language] + (["cross"] if is_cross(query, languages) else [])
        for group in groups:
            if group in per_group:
                for name, value in scores.items():
                    per_group[group][name].append(value)
        details.append({"qid": query.qid, "ranked": ranked, **scores})

    def summary(group: str) -> dict:
        values = per_group[group]
        return {
            f"ndcg@{k}": _mean(values["ndcg"]),
            "mrr": _mean(values["mrr"]),
            f"recall@{k}": _mean(values["recall"]),
            "queries": len(values["ndcg"]),
        }

    return {
        "overall": summary("overall"),
        "groups": {group: summary(group) for group in GROUPS},
        "queries": details,
    }
