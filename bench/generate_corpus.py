"""A synthetic bilingual corpus of N documents, in the format `manage.py import_corpus`
reads, built from the sentences, titles and tags of the evaluation corpus.

    .venv/bin/python bench/generate_corpus.py 10000 --out var/bench/corpus-10000.jsonl

Deterministic: the same N and --seed give the same file, byte for byte. Each document
takes its kind, sector and language pair from one source document and its text from the
sentences of that source and of others of the same sector, so the vocabulary, the mix of
kinds and sectors, and the share of documents in only one language follow the source.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import sys
from collections import defaultdict
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "documents.jsonl"
# Sentence ends: Western punctuation, and the Korean declarative ending before a space.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|(?<=다\.)\s*")
FIRST_DAY = dt.date(2000, 1, 1)
DAYS = (dt.date(2025, 12, 31) - FIRST_DAY).days


def sentences(text: str) -> list[str]:
    return [part.strip() for part in _SENTENCE_END.split(text or "") if len(part.strip()) > 10]


def load(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


class Pools:
    """Sentences by sector and language, and tags by sector, from the source."""

    def __init__(self, documents: list[dict]):
        self.sentences: dict[tuple[str, str], list[str]] = defaultdict(list)
        self.tags: dict[str, list[str]] = defaultdict(list)
        for document in documents:
            for language, body in document.get("body", {}).items():
                pool = self.sentences[(document["sector"], language)]
                pool.extend(sentences(body))
                pool.extend(sentences(document.get("summary", {}).get(language, "")))
            self.tags[document["sector"]].extend(document.get("tags", []))

    def text(self, rng: random.Random, sector: str, language: str, count: int) -> str:
        pool = self.sentences[(sector, language)]
        return " ".join(rng.choice(pool) for _ in range(count)) if pool else ""


def synthesise(number: int, source: dict, pools: Pools, rng: random.Random) -> dict:
    """Document ``number``, modelled on ``source``."""
    sector = source["sector"]
    languages = sorted(source["title"])
    document = {
        "id": f"S{number:07d}",
        "kind": source["kind"],
        "sector": sector,
        "date": (FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS))).isoformat(),
        "author": source.get("author", "seoulsolution"),
        "title": {},
        "summary": {},
        "body": {},
        "tags": sorted(set(rng.sample(pools.tags[sector], min(3, len(pools.tags[sector]))))),
    }
    case = {"ko": f" — 사례 {number}", "en": f" — case {number}"}
    for language in languages:
        document["title"][language] = source["title"][language] + case.get(language, "")
        document["summary"][language] = pools.text(rng, sector, language, 2)
        document["body"][language] = "\n\n".join(
            pools.text(rng, sector, language, rng.randint(3, 6)) for _ in range(rng.randint(2, 4))
        )
    return document


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("count", type=int)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--source", type=Path, default=SOURCE)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    sources = load(args.source)
    pools = Pools(sources)
    rng = random.Random(args.seed)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8") as handle:
        for number in range(1, args.count + 1):
            document = synthesise(number, rng.choice(sources), pools, rng)
            handle.write(json.dumps(document, ensure_ascii=False, sort_keys=True) + "\n")
    print(f"{args.count} documents written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
