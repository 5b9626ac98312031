"""The search index: one entry per language version of every searchable page."""

from __future__ import annotations

import numpy as np
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.search.embeddings import EMBEDDING_DIMENSIONS  # noqa: F401 (re-exported)


class SearchEntry(models.Model):
    """What the search knows of one live page in one language.

    The analysed tokens live here as text (``*_terms``) and, in the database's own
    full-text structure, in the backend's table (an FTS5 table on SQLite, a postings
    table on PostgreSQL) that the backend keeps in step with this row.
    """

    page = models.OneToOneField(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+", verbose_name=_("page")
    )
    translation_key = models.UUIDField(db_index=True)
    language = models.CharField(_("language"), max_length=8)
    kind = models.CharField(_("kind"), max_length=20)
    sector = models.ForeignKey(
        "core.Sector", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    date = models.DateField(null=True, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    url = models.CharField(max_length=500)
    title = models.TextField()
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)
    title_terms = models.TextField(blank=True)
    summary_terms = models.TextField(blank=True)
    body_terms = models.TextField(blank=True)
    parts = models.TextField(blank=True)
    length = models.PositiveIntegerField(default=0)
    embedding = models.BinaryField()
    # The PDF attached to the page, whose text is part of the body: a match inside it is
    # shown with the page of the PDF it is on (``DocumentPageTerm``).
    document = models.ForeignKey(
        "wagtaildocs.Document", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        indexes = [models.Index(fields=["language", "kind"])]

    def __str__(self) -> str:
        return f"{self.language}: {self.title}"

    def vector(self) -> np.ndarray:
        return np.frombuffer(bytes(self.embedding), dtype=np.float32)


class DocumentPageTerm(models.Model):
    """A term found on one page of an entry's PDF: which page a match inside it is on."""

    entry = models.ForeignKey(SearchEntry, on_delete=models.CASCADE, related_name="+")
    page = models.PositiveIntegerField()
    term = models.CharField(max_length=100)

    class Meta:
        verbose_name = _("document page term")
        verbose_name_plural = _("document page terms")
        indexes = [models.Index(fields=["entry", "term"])]

    def __str__(self) -> str:
        return f"{self.entry_id} p. {self.page}: {self.term}"


class SearchTerm(models.Model):
    """Every Latin-script term the index holds: what a misspelt query word is corrected to.

    Only added to (a term whose pages are gone costs a row and matches nothing); a
    rebuild starts it again.
    """

    term = models.CharField(max_length=100, unique=True)

    class Meta:
        verbose_name = _("search term")
        verbose_name_plural = _("search terms")

    def __str__(self) -> str:
        return self.term


class IndexState(models.Model):
    """One row whose ``version`` changes (to a random number) with every write to the index.

    Each process keeps the embeddings and facets of all entries in memory and reloads
    them when the version it holds is no longer the database's, so that every worker
    sees a change at once.
    """

    version = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("search index state")

    def __str__(self) -> str:
        return f"search index version {self.version}"
