"""Index every live page again, with progress."""

from django.core.management.base import BaseCommand

from portal.search.engine import snapshot
from portal.search.models import SearchEntry
from portal.search.services import search_index_rebuild


class Command(BaseCommand):
    help = "Rebuild the site search index from the live pages."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Only when the index holds nothing yet (a new site, or one that predates it).",
        )

    def handle(self, *args, if_empty: bool = False, **options):
        if if_empty and SearchEntry.objects.exists():
            self.stdout.write("The search index is not empty; nothing to do.")
            return

        def progress(done: int, total: int) -> None:
            self.stdout.write(f"Indexed {done}/{total} pages")

        count = search_index_rebuild(progress=progress)
        # The search's files of the new index (vectors and postings) are written now,
        # rather than by the first search.
        snapshot(wait=True)
        self.stdout.write(self.style.SUCCESS(f"Search index rebuilt: {count} entries."))
