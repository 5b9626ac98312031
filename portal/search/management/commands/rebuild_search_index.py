"""Index every live page again, with progress."""

from django.core.management.base import BaseCommand

from portal.search.services import search_index_rebuild


class Command(BaseCommand):
    help = "Rebuild the site search index from the live pages."

    def handle(self, *args, **options):
        def progress(done: int, total: int) -> None:
            self.stdout.write(f"Indexed {done}/{total} pages")

        count = search_index_rebuild(progress=progress)
        self.stdout.write(self.style.SUCCESS(f"Search index rebuilt: {count} entries."))
