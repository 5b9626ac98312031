"""Measure the search on judged queries: nDCG@k, MRR and Recall@k."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.search.engine import snapshot
from portal.search.evaluation import (
    GROUPS,
    QueryFileError,
    evaluate,
    project_ranking,
    read_queries,
    stock_ranking,
)


class Command(BaseCommand):
    help = (
        "Run judged queries (JSONL: qid, lang, query, relevant) through the search page's "
        "code and print nDCG@k, MRR and Recall@k overall and per group (en, ko, cross)."
    )

    def add_arguments(self, parser):
        parser.add_argument("queries", type=Path)
        parser.add_argument("--k", type=int, default=10)
        parser.add_argument("--json", action="store_true", help="Print the figures as JSON.")
        parser.add_argument(
            "--baseline",
            action="store_true",
            help="Also run the queries through Wagtail's stock search over the same pages.",
        )
        parser.add_argument("--per-query", action="store_true", help="Show every query's nDCG.")

    def handle(self, *args, queries: Path, k: int, json: bool, baseline: bool, **options):
        if k < 1:
            raise CommandError("--k must be at least 1.")
        try:
            judged = read_queries(queries)
        except FileNotFoundError as error:
            raise CommandError(f"No such file: {queries}") from error
        except QueryFileError as error:
            raise CommandError(f"{queries}: {error}") from error
        if not judged:
            raise CommandError(f"{queries} holds no queries.")
        # The index's search files written before the first query, not apart from it.
        snapshot(wait=True)
        result = evaluate(judged, k=k, ranker=project_ranking)
        stock = evaluate(judged, k=k, ranker=stock_ranking) if baseline else None
        if json:
            self._print_json(result, stock)
            return
        self._print_table("Seoul Solution search", result, k)
        if options["per_query"]:
            for row in result["queries"]:
                self.stdout.write(
                    f"  {row['qid']}: nDCG@{k} {row['ndcg']:.3f}  {row['ranked'][:5]}"
                )
        if stock:
            self._print_table("Wagtail stock search (baseline)", stock, k)
        self.stdout.write(f"nDCG@{k} {result['overall'][f'ndcg@{k}']:.4f}")

    def _print_json(self, result: dict, stock: dict | None) -> None:
        payload = {"overall": result["overall"], "groups": result["groups"]}
        if stock:
            payload["baseline"] = {"overall": stock["overall"], "groups": stock["groups"]}
        self.stdout.write(json.dumps(payload, ensure_ascii=False))

    def _print_table(self, title: str, result: dict, k: int) -> None:
        self.stdout.write(title)
        self.stdout.write(
            f"  {'group':<8} {'queries':>7} {'nDCG@' + str(k):>9} {'MRR':>7} {'R@' + str(k):>7}"
        )
        rows = [("overall", result["overall"])] + [(g, result["groups"][g]) for g in GROUPS]
        for name, figures in rows:
            self.stdout.write(
                f"  {name:<8} {figures['queries']:>7} {figures[f'ndcg@{k}']:>9.4f} "
                f"{figures['mrr']:>7.4f} {figures[f'recall@{k}']:>7.4f}"
            )
