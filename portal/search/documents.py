"""What of a page goes into the search index, by page type."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from wagtail.models import Page

from portal.archives.models import DocumentPageText
from portal.core.text import field_text

# Page types the search covers: the kind shown to visitors and the fields whose text
# forms the body, in reading order.
SEARCHABLE: dict[str, tuple[str, tuple[str, ...]]] = {
    "policies.policypage": (
        "policy",
        ("background", "implementation", "obstacles", "results", "department"),
    ),
    "news.newspage": ("news", ("body", "author")),
    "archives.archivepage": ("archive", ("body", "author")),
    "programmes.programmepage": ("programme", ("description", "organiser")),
}
KINDS = ("policy", "news", "archive", "programme")


@dataclass(frozen=True)
class SearchDocument:
    kind: str
    title: str
    summary: str
    tags: list[str]
    body: str
    date: dt.date | None
    sector_id: int | None
    # The attached PDF, if any, and the text of each of its pages: (number, text).
    document_id: int | None = None
    document_pages: tuple[tuple[int, str], ...] = ()


def is_searchable(page: Page) -> bool:
    return page.specific_class is not None and page.specific_class._meta.label_lower in SEARCHABLE


def page_document(page: Page) -> SearchDocument | None:
    """The searchable content of a page, or ``None`` for types the search leaves out."""
    specific = page.specific
    entry = SEARCHABLE.get(type(specific)._meta.label_lower)
    if entry is None:
        return None
    kind, body_fields = entry
    tags_manager = getattr(specific, "tags", None)
    tags = [tag.name for tag in tags_manager.all()] if tags_manager is not None else []
    return SearchDocument(
        kind=kind,
        title=specific.title,
        summary=field_text(specific, "summary"),
        tags=tags,
        body="\n".join(text for name in body_fields if (text := field_text(specific, name))),
        date=getattr(specific, "date", None) or getattr(specific, "recruitment_start", None),
        sector_id=getattr(specific, "sector_id", None),
        document_id=getattr(specific, "document_id", None),
        document_pages=document_pages(getattr(specific, "document_id", None)),
    )


# At most this much of a PDF's text is indexed (about 100 pages of a brochure): analysis
# costs about 25 ms per thousand Korean characters, once per upload.
MAX_DOCUMENT_CHARS = 200_000


def document_pages(document_id: int | None) -> tuple[tuple[int, str], ...]:
    """The text of each page of the document, up to ``MAX_DOCUMENT_CHARS`` in all."""
    if document_id is None:
        return ()
    pages, collected = [], 0
    rows = DocumentPageText.objects.filter(document_id=document_id).order_by("number")
    for number, text in rows.values_list("number", "text"):
        if collected >= MAX_DOCUMENT_CHARS:
            break
        text = text[: MAX_DOCUMENT_CHARS - collected]
        collected += len(text)
        pages.append((number, text))
    return tuple(pages)
