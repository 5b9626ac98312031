"""Keep the index in step with the pages: each receiver calls one service."""

from __future__ import annotations

from django.db.models.signals import post_delete
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from portal.search import services
from portal.search.models import SearchEntry


def _on_publish(sender, instance, **kwargs) -> None:
    services.search_index_page(page=instance)


def _on_unpublish(sender, instance, **kwargs) -> None:
    services.search_index_page(page=instance)


def _on_move(sender, instance, **kwargs) -> None:
    services.search_index_subtree(page=instance)


def _on_entry_deleted(sender, instance, **kwargs) -> None:
    services.search_entry_forget(entry_id=instance.pk)


def connect() -> None:
    page_published.connect(_on_publish, dispatch_uid="portal_search_publish")
    page_unpublished.connect(_on_unpublish, dispatch_uid="portal_search_unpublish")
    post_page_move.connect(_on_move, dispatch_uid="portal_search_move")
    page_slug_changed.connect(_on_move, dispatch_uid="portal_search_slug")
    post_delete.connect(_on_entry_deleted, sender=SearchEntry, dispatch_uid="portal_search_del")
