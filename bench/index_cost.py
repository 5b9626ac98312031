"""What indexing one page costs in the worker processes of an import: the analysis of its
text and its embedding, CPU time per page, Korean and English apart.

    .venv/bin/python bench/index_cost.py            # 300 pages of the generated corpus
    .venv/bin/python bench/index_cost.py --pages 600 --documents 1000

Reads ``var/bench/corpus-N-1.jsonl`` (made by ``bench/generate_corpus.py`` when missing),
builds each page's search document as the index does (title, summary, body), and times
``services._lexical_fields`` (Kiwi for Hangul, the stemmer for Latin text) and the
embedding of ``services.embedding_text`` on one thread, after loading both models.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--documents", type=int, default=500, help="size of the corpus read")
    args = parser.parse_args()
    corpus = ROOT / "var" / "bench" / f"corpus-{args.documents}-1.jsonl"
    if not corpus.exists():
        corpus.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, "bench/generate_corpus.py", str(args.documents), "--seed", "1"]
            + ["--out", str(corpus)],
            cwd=ROOT,
            check=True,
        )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    import django

    django.setup()
    from portal.search import embeddings, services
    from portal.search.analysis import analyse
    from portal.search.documents import SearchDocument

    pages: dict[str, list[SearchDocument]] = {"ko": [], "en": []}
    with corpus.open(encoding="utf-8") as lines:
        for line in lines:
            data = json.loads(line)
            for language in ("ko", "en"):
                if language in data["title"] and len(pages[language]) < args.pages // 2:
                    pages[language].append(
                        SearchDocument(
                            kind=data["kind"],
                            title=data["title"][language],
                            summary=data["summary"][language],
                            tags=data.get("tags", []),
                            body=data["body"][language],
                            date=None,
                            sector_id=None,
                        )
                    )
    analyse("서울 따릉이 Seoul bike")  # loads Kiwi
    embeddings.embed(["서울 따릉이 Seoul bike"])  # loads the encoder
    for language, documents in pages.items():
        analysis, embedding = [], []
        for document in documents:
            start = time.process_time()
            services._lexical_fields(document)
            analysis.append(time.process_time() - start)
            start = time.process_time()
            embeddings.embed([services.embedding_text(document)])
            embedding.append(time.process_time() - start)
        chars = statistics.mean(len(services.embedding_text(d)) for d in documents)
        print(
            f"{language}: {len(documents)} pages of {chars:,.0f} characters on average; "
            f"analysis {statistics.mean(analysis) * 1000:.1f} ms, "
            f"embedding {statistics.mean(embedding) * 1000:.1f} ms of CPU per page"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
