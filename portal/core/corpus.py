"""Importing a JSON Lines collection of policies, news and archive items as board pages."""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.signals import post_save
from django.utils.html import escape
from django.utils.text import slugify
from modelsearch.backends import get_search_backends
from modelsearch.signal_handlers import post_save_signal_handler
from wagtail.models import Locale, Page, ReferenceIndex
from wagtail.signal_handlers import disable_reference_index_auto_update

from portal.archives.models import ArchiveIndexPage, ArchiveKind, ArchivePage
from portal.core.content_version import changes_coalesced
from portal.core.live_pages import LivePageCreator
from portal.core.models import BoardIndexPage, BoardItemPage, Sector
from portal.news.models import NewsIndexPage, NewsPage
from portal.policies.models import PolicyIndexPage, PolicyPage

LANGUAGES = ("ko", "en")
TEXT_FIELDS = ("title", "summary", "body")
# A document's pages get their translation key from its id, so every run finds the page
# of each language again whatever editors did to titles or slugs since.
_KEY_NAMESPACE = uuid.UUID("1e9e90d7-7ab8-42fc-8e31-0a773cbe0e5d")
_ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
_DATE_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}")
# Long enough for a readable URL, short enough to keep it on one line.
_SLUG_LENGTH = 60
_TAG_LENGTH = 100
# Documents written per transaction: one commit (on SQLite, one sync to disk) for many
# pages instead of one per document. Each document still has its own savepoint, so a bad
# line is rolled back alone.
DOCUMENTS_PER_TRANSACTION = 100

Outcome = Literal["created", "updated", "unchanged"]
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class CorpusDocument:
    """One valid line of the file: the fields every language shares and the texts of each."""

    line: int
    id: str
    kind: str
    sector: Sector | None
    date: dt.date
    author: str
    texts: dict[str, dict[str, str]]
    tags: list[str]

    @property
    def languages(self) -> list[str]:
        return [language for language in LANGUAGES if language in self.texts]


@dataclass(frozen=True)
class CorpusLineError:
    """A line that was not imported, and why."""

    line: int
    reason: str
    document_id: str | None = None

    def __str__(self) -> str:
        where = f"line {self.line}"
        if self.document_id:
            where += f" ({self.document_id})"
        return f"{where}: {self.reason}"


@dataclass(frozen=True)
class CorpusPageOutcome:
    """What a run did, or would do, to the page of one document in one language."""

    document_id: str
    language: str
    page_type: str
    outcome: Outcome
    url_path: str | None = None


@dataclass
class CorpusImportReport:
    """The pages created, updated and left unchanged, and the lines that failed."""

    dry_run: bool = False
    lines: int = 0
    pages: list[CorpusPageOutcome] = field(default_factory=list)
    errors: list[CorpusLineError] = field(default_factory=list)

    @property
    def documents(self) -> int:
        """The documents imported (or, in a dry run, that would be)."""
        return self.lines - len(self.errors)

    def count(self, outcome: Outcome) -> int:
        return sum(1 for page in self.pages if page.outcome == outcome)

    @property
    def created(self) -> int:
        return self.count("created")

    @property
    def updated(self) -> int:
        return self.count("updated")

    @property
    def unchanged(self) -> int:
        return self.count("unchanged")


class _LineProblem(Exception):
    """Why one line cannot be imported."""


# -- what each kind of document becomes -------------------------------------------------


def _paragraphs(text: str) -> str:
    """Rich text with one escaped paragraph per line of ``text``."""
    lines = [line.strip() for line in text.splitlines()]
    return "".join(f"<p>{escape(line)}</p>" for line in lines if line)


def _news_values(document: CorpusDocument, language: str) -> dict[str, Any]:
    texts = document.texts[language]
    return {
        "date": document.date,
        "author": document.author,
        "summary": texts["summary"],
        "body": _paragraphs(texts["body"]),
    }


def _archive_values(document: CorpusDocument, language: str) -> dict[str, Any]:
    texts = document.texts[language]
    return {
        # The collection's archive items are brochures, case notes and guides: printed
        # material to read, which is what the brochure kind stands for.
        "kind": ArchiveKind.BROCHURE,
        "date": document.date,
        # The archive board filters by publication year.
        "publication_year": document.date.year,
        "author": document.author,
        "summary": texts["summary"],
        "body": _paragraphs(texts["body"]),
    }


def _policy_values(document: CorpusDocument, language: str) -> dict[str, Any]:
    texts = document.texts[language]
    return {
        "date": document.date,
        "summary": texts["summary"],
        # The collection has one overview text per policy, not a brief's four sections;
        # it opens with the problem the policy answered, so it becomes the background and
        # the other sections stay free for editors (an import never overwrites them).
        "background": _paragraphs(texts["body"]),
        "department": document.author,
    }


@dataclass(frozen=True)
class _Kind:
    model: type[BoardItemPage]
    board: type[BoardIndexPage]
    author_field: str
    values: Callable[[CorpusDocument, str], dict[str, Any]]


_KINDS: dict[str, _Kind] = {
    "policy": _Kind(PolicyPage, PolicyIndexPage, "department", _policy_values),
    "news": _Kind(NewsPage, NewsIndexPage, "author", _news_values),
    "archive": _Kind(ArchivePage, ArchiveIndexPage, "author", _archive_values),
}


def corpus_translation_key(*, document_id: str) -> uuid.UUID:
    """The translation key shared by the pages of one document in every language."""
    return uuid.uuid5(_KEY_NAMESPACE, document_id)


def corpus_slug(*, document_id: str, title_en: str | None) -> str:
    """The id, followed by the English title's first words when there is one.

    Ids are unique in a collection, so the slug is unique on its board; it is given only
    when the page is created, so a corrected title never changes a published URL.
    """
    slug = slugify(document_id)
    for word in slugify(title_en or "").split("-"):
        if not word or len(slug) + 1 + len(word) > _SLUG_LENGTH:
            break
        slug = f"{slug}-{word}"
    return slug


# -- reading and checking lines ---------------------------------------------------------


def _parse_texts(data: dict, problems: list[str]) -> dict[str, dict[str, str]]:
    found: dict[str, dict[str, str]] = {}
    broken: set[str] = set()
    for name in TEXT_FIELDS:
        value = data.get(name)
        if not isinstance(value, dict):
            problems.append(
                f"missing {name}"
                if value is None
                else f"{name} must be an object of texts by language ('ko', 'en')"
            )
            broken.add(name)
            continue
        for language, text in value.items():
            if language not in LANGUAGES:
                problems.append(f"{name} has an unknown language {language!r}")
                broken.add(name)
            elif text is not None and not isinstance(text, str):
                problems.append(f"{name}.{language} must be a string")
                broken.add(name)
            elif text and text.strip():
                found.setdefault(language, {})[name] = text.strip()
    if not found and not broken:
        problems.append("no text in any language: title, summary and body need 'ko' or 'en'")
    for language in LANGUAGES:
        if language not in found:
            continue
        missing = [name for name in TEXT_FIELDS if name not in found[language]]
        missing = [name for name in missing if name not in broken]
        if missing:
            verb = "has" if len(missing) == 1 else "have"
            problems.append(
                f"{' and '.join(missing)} {verb} no {language!r} text, which the other fields have"
            )
    return found


def _parse_date(value: Any, problems: list[str]) -> dt.date | None:
    if value is None:
        problems.append("missing date")
        return None
    if isinstance(value, str) and _DATE_PATTERN.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    problems.append(f"bad date {value!r} (expected YYYY-MM-DD)")
    return None


def _parse_tags(value: Any, problems: list[str]) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(tag, str) for tag in value):
        problems.append("tags must be a list of strings")
        return []
    tags = list(dict.fromkeys(tag.strip() for tag in value if tag.strip()))
    too_long = [tag for tag in tags if len(tag) > _TAG_LENGTH]
    if too_long:
        problems.append(f"tag longer than {_TAG_LENGTH} characters: {too_long[0][:20]!r}…")
    return tags


def _parse(*, line: int, data: Any, sectors: dict[str, Sector]) -> CorpusDocument:
    if not isinstance(data, dict):
        raise _LineProblem("not a JSON object")
    problems: list[str] = []

    document_id = data.get("id")
    max_id = BoardItemPage._meta.get_field("source_id").max_length
    if document_id in (None, ""):
        problems.append("missing id")
    elif not isinstance(document_id, str) or not _ID_PATTERN.fullmatch(document_id):
        problems.append(f"bad id {document_id!r} (letters, digits, '-' and '_')")
    elif len(document_id) > max_id:
        problems.append(f"id longer than {max_id} characters")

    kind_name = data.get("kind")
    kind = _KINDS.get(kind_name) if isinstance(kind_name, str) else None
    if kind is None:
        problems.append(f"unknown kind {kind_name!r} (expected {', '.join(sorted(_KINDS))})")

    sector = None
    sector_slug = data.get("sector")
    if sector_slug is not None:
        sector = sectors.get(sector_slug) if isinstance(sector_slug, str) else None
        if sector is None:
            problems.append(f"unknown sector {sector_slug!r}")

    date = _parse_date(data.get("date"), problems)

    author = data.get("author")
    if not isinstance(author, str) or not author.strip():
        problems.append("missing author")
    elif kind is not None:
        limit = kind.model._meta.get_field(kind.author_field).max_length
        if len(author.strip()) > limit:
            problems.append(f"author longer than {limit} characters")

    texts = _parse_texts(data, problems)
    limit = Page._meta.get_field("title").max_length
    for language, language_texts in texts.items():
        if len(language_texts.get("title", "")) > limit:
            problems.append(f"title.{language} longer than {limit} characters")

    tags = _parse_tags(data.get("tags"), problems)

    if problems:
        raise _LineProblem("; ".join(problems))
    return CorpusDocument(
        line=line,
        id=document_id,
        kind=kind_name,
        sector=sector,
        date=date,
        author=author.strip(),
        texts=texts,
        tags=tags,
    )


def _read_lines(path: Path) -> list[tuple[int, bytes]]:
    """The file's non-blank lines with their numbers. Split as bytes: a JSON string may
    hold characters that ``str.splitlines`` would take for line breaks."""
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    return [(number, line) for number, line in enumerate(raw.splitlines(), 1) if line.strip()]


# -- writing pages ----------------------------------------------------------------------


def _assign(page: models.Model, values: dict[str, Any]) -> bool:
    """Set ``values`` on ``page``; whether anything changed."""
    changed = False
    for name, value in values.items():
        model_field = page._meta.get_field(name)
        attname = name
        if isinstance(model_field, models.ForeignKey):
            attname = model_field.attname
            value = getattr(value, "pk", value)
        if getattr(page, attname) != value:
            setattr(page, attname, value)
            changed = True
    return changed


def _tags_differ(page: BoardItemPage, tags: list[str]) -> bool:
    return set(page.tags.names()) != set(tags)


def _validate(page: Page) -> None:
    """Check a page that is not written (a dry run) as saving it would."""
    # A page not yet in the tree has no path; its slug is checked against its siblings
    # separately.
    page.full_clean(exclude=["path", "depth", "numchild", "url_path"])


def _reason(error: Exception) -> str:
    if isinstance(error, ValidationError) and hasattr(error, "message_dict"):
        return "; ".join(
            f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items()
        )
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


class _Importer:
    """Creates or updates the pages of each document, each document in a savepoint of its
    own, and keeps the pages it wrote for the indexes that are brought up to date later
    (see ``_deferred_page_indexes``)."""

    def __init__(self, *, dry_run: bool) -> None:
        self.dry_run = dry_run
        self.written: list[BoardItemPage] = []
        self.creator = LivePageCreator()
        self.sectors = {sector.slug: sector for sector in Sector.objects.all()}
        self.locales = {
            locale.language_code: locale
            for locale in Locale.objects.filter(language_code__in=LANGUAGES)
        }
        # Board ids, not pages: the creator reads each board once per transaction and
        # keeps its child count and next tree position itself.
        self.boards: dict[tuple[str, str], int | None] = {
            (kind_name, language): (
                kind.board.objects.live()
                .filter(locale__language_code=language)
                .order_by("path")
                .values_list("pk", flat=True)
                .first()
            )
            for kind_name, kind in _KINDS.items()
            for language in LANGUAGES
        }

    def import_document(self, document: CorpusDocument) -> list[CorpusPageOutcome]:
        kind = _KINDS[document.kind]
        missing = [
            language
            for language in document.languages
            if self.boards[(document.kind, language)] is None
        ]
        if missing:
            raise _LineProblem(
                f"no live {kind.board.__name__} in {' or '.join(map(repr, missing))} "
                "to put it under (run load_seed first?)"
            )
        if self.dry_run:
            return [self.upsert_page(document, language)[0] for language in document.languages]
        with transaction.atomic(), self.creator.document():
            done = [self.upsert_page(document, language) for language in document.languages]
        self.written.extend(page for outcome, page in done if outcome.outcome != "unchanged")
        return [outcome for outcome, _page in done]

    def finish(self) -> None:
        """Publish the pages created since the last call (inside their transaction)."""
        self.creator.finish()

    def take_written(self) -> list[BoardItemPage]:
        """The pages written since the last call."""
        written, self.written = self.written, []
        return written

    def upsert_page(
        self, document: CorpusDocument, language: str
    ) -> tuple[CorpusPageOutcome, BoardItemPage]:
        kind = _KINDS[document.kind]
        locale = self.locales[language]
        texts = document.texts[language]
        values = {
            "title": texts["title"],
            "sector": document.sector,
            "source_id": document.id,
            **kind.values(document, language),
        }
        key = corpus_translation_key(document_id=document.id)
        existing = Page.objects.filter(translation_key=key, locale=locale).first()
        if existing is None:
            page, outcome = self._create(document, language, kind, key, values)
        else:
            if existing.specific_class is not kind.model:
                raise _LineProblem(
                    f"its {language!r} page {existing.url_path} is a "
                    f"{existing.specific_class.__name__}, not a {kind.model.__name__}"
                )
            page, outcome = self._update(document, kind, existing.pk, values)
        return CorpusPageOutcome(
            document_id=document.id,
            language=language,
            page_type=kind.model.__name__,
            outcome=outcome,
            url_path=page.url_path or None,
        ), page

    def _create(
        self,
        document: CorpusDocument,
        language: str,
        kind: _Kind,
        key: uuid.UUID,
        values: dict[str, Any],
    ) -> tuple[Page, Outcome]:
        board = self.boards[(document.kind, language)]
        parent = (
            Page.objects.get(pk=board) if self.dry_run else self.creator.parent(parent_id=board)
        )
        slug = corpus_slug(
            document_id=document.id, title_en=document.texts.get("en", {}).get("title")
        )
        if parent.get_children().filter(slug=slug).exists():
            raise _LineProblem(f"the slug {slug!r} is already used under {parent.url_path}")
        page = kind.model(translation_key=key, locale=self.locales[language], slug=slug, **values)
        if self.dry_run:
            _validate(page)
            return page, "created"
        page.tags.set(document.tags)
        # Published with the others of its transaction (``finish``).
        self.creator.create(parent=parent, page=page)
        return page, "created"

    def _update(
        self, document: CorpusDocument, kind: _Kind, pk: int, values: dict[str, Any]
    ) -> tuple[Page, Outcome]:
        # Read from the database: publishing writes the tree fields back as they are.
        page = kind.model.objects.get(pk=pk)
        changed = _assign(page, values)
        tags_changed = _tags_differ(page, document.tags)
        if not (changed or tags_changed or not page.live):
            return page, "unchanged"
        if self.dry_run:
            _validate(page)
            return page, "updated"
        if tags_changed:
            page.tags.set(document.tags)
        page.save_revision().publish()
        return page, "updated"


class _DeferredPageIndexes:
    """Wagtail's admin search index and reference index of the pages a block writes,
    brought up to date by ``update`` once per page instead of on each of its saves."""

    def __init__(self) -> None:
        self.pending: dict[type[BoardItemPage], set[int]] = {}

    def add(self, pages: list[BoardItemPage]) -> None:
        for page in pages:
            self.pending.setdefault(type(page), set()).add(page.pk)

    def update(self) -> None:
        """Index the pages added since the last call, as they are in the database."""
        pending, self.pending = self.pending, {}
        # One transaction: outside one, each of the many statements would commit alone.
        with transaction.atomic():
            for model, ids in pending.items():
                # With the related rows the admin index reads (sector, tags) fetched
                # together: it reads them three times per page otherwise.
                pages = list(model.get_indexed_objects().filter(pk__in=ids))
                for backend in get_search_backends(with_auto_update=True):
                    backend.add_bulk(model, pages)
                for page in pages:
                    ReferenceIndex.create_or_update_for_object(page)


@contextmanager
def _deferred_page_indexes() -> Iterator[_DeferredPageIndexes]:
    """Inside the block, saving a page of the imported kinds updates neither Wagtail's
    admin search index nor its reference index; the block calls ``update`` instead.

    Creating and publishing a page saves it three times, and each save would index it
    again (a fifth of an import's time). Both indexes are updated for the pages not yet
    done when the block ends, even when it fails: what was committed before is live.
    The admin search's handler is disconnected for the whole process, so this is for
    commands, not for a block inside a request.
    """
    models_ = [kind.model for kind in _KINDS.values()]
    connected = [
        model for model in models_ if post_save.disconnect(post_save_signal_handler, sender=model)
    ]
    deferred = _DeferredPageIndexes()
    try:
        with disable_reference_index_auto_update():
            yield deferred
    finally:
        for model in connected:
            post_save.connect(post_save_signal_handler, sender=model)
        deferred.update()


def corpus_import(
    *, path: Path, dry_run: bool = False, progress: Progress | None = None
) -> CorpusImportReport:
    """Import every valid line of the JSON Lines file at ``path``.

    Each document becomes a page under its board in each language it has, the pages linked
    as translations. A run updates the pages of earlier runs in place and publishes a new
    revision only when something changed. A bad line is reported with its number and
    skipped, and never leaves part of a document behind; ``dry_run`` reports the same
    outcomes and writes nothing. ``progress`` is called after each line with the number of
    lines done and the total.

    Documents are written ``DOCUMENTS_PER_TRANSACTION`` at a time, each in a savepoint of
    its own; Wagtail's admin search and reference indexes are updated after each
    transaction, once for each page it wrote.
    """
    report = CorpusImportReport(dry_run=dry_run)
    lines = _read_lines(path)
    importer = _Importer(dry_run=dry_run)
    first_line: dict[str, int] = {}
    with _deferred_page_indexes() as indexes, changes_coalesced():
        for start in range(0, len(lines), DOCUMENTS_PER_TRANSACTION):
            with nullcontext() if dry_run else transaction.atomic():
                chunk = lines[start : start + DOCUMENTS_PER_TRANSACTION]
                for done, (number, raw) in enumerate(chunk, start + 1):
                    _import_line(importer, report, first_line, number, raw)
                    if progress is not None:
                        progress(done, len(lines))
                if not dry_run:
                    importer.finish()
            indexes.add(importer.take_written())
            indexes.update()
    return report


def _import_line(
    importer: _Importer,
    report: CorpusImportReport,
    first_line: dict[str, int],
    number: int,
    raw: bytes,
) -> None:
    """Import one line, or add why it was not imported to the report."""
    report.lines += 1
    document_id = None
    try:
        try:
            data = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError as error:
            raise _LineProblem("not UTF-8 text") from error
        except json.JSONDecodeError as error:
            raise _LineProblem(f"invalid JSON: {error.msg} at column {error.colno}") from error
        if isinstance(data, dict) and isinstance(data.get("id"), str) and data["id"]:
            document_id = data["id"]
            if document_id in first_line:
                raise _LineProblem(f"duplicate id, first on line {first_line[document_id]}")
            first_line[document_id] = number
        document = _parse(line=number, data=data, sectors=importer.sectors)
        report.pages.extend(importer.import_document(document))
    except (_LineProblem, ValidationError) as error:
        report.errors.append(CorpusLineError(number, _reason(error), document_id))
