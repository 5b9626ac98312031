"""Import a JSON Lines collection of policies, news and archive items as pages."""

import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.core.corpus import CorpusImportReport, corpus_import
from portal.search.engine import snapshot
from portal.search.services import search_index_batch

PROGRESS_EVERY = 10


class Command(BaseCommand):
    help = (
        "Import documents from a JSON Lines file (one policy, news post or archive item a "
        "line, in Korean and/or English) as pages under their boards. Running it again "
        "updates the same pages; bad lines are reported and skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The .jsonl file to import.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check every line and report what would change, without writing anything.",
        )

    def handle(self, *args, path: Path, dry_run: bool, **options):
        if not path.is_file():
            raise CommandError(f"{path}: no such file")

        def progress(done: int, total: int) -> None:
            if done % PROGRESS_EVERY == 0 or done == total:
                self.stdout.write(f"{done}/{total} lines")

        try:
            # Publishing each page would index it on its own; the batch indexes them many
            # at a time, analysing them in one worker process per core while this one
            # writes the next pages.
            processes = 0 if dry_run else os.cpu_count() or 1
            with search_index_batch(processes=processes):
                report = corpus_import(path=path, dry_run=dry_run, progress=progress)
                if not dry_run:
                    self.stdout.write("Updating the search index...")
            if not dry_run:
                # The search's files of the new index version (vectors and postings),
                # written now rather than by the first search after the import.
                snapshot(wait=True)
        except OSError as error:
            raise CommandError(f"{path}: {error}") from error

        if options["verbosity"] >= 2:
            for page in report.pages:
                where = page.url_path or "(new)"
                self.stdout.write(
                    f"{page.outcome}: {page.document_id} {page.language} {page.page_type} {where}"
                )
        for error in report.errors:
            self.stderr.write(str(error))
        self.stdout.write(self._summary(report))
        if report.errors:
            raise CommandError(f"{len(report.errors)} of {report.lines} lines were not imported.")

    def _summary(self, report: CorpusImportReport) -> str:
        would = " would be" if report.dry_run else ""
        summary = (
            f"{report.documents} documents: "
            f"{report.created} pages{would} created, {report.updated} updated, "
            f"{report.unchanged} unchanged; {len(report.errors)} lines with errors."
        )
        if report.dry_run:
            summary = f"Dry run, nothing was written. {summary}"
        return self.style.ERROR(summary) if report.errors else self.style.SUCCESS(summary)
