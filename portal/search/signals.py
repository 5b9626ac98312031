"""Keep the index in step with the pages: each receiver calls one service."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from wagtail.models import PageViewRestriction
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from portal.search import services
from portal.search.models import SearchEntry


def _on_publish(sender, instance, **kwargs) -> None:
    services.search_index_page(page=instance)


def _on_unpublish(sender, instance, **kwargs) -> None:
    services.search_index_page(page=instance)


def _on_move(sender, instance, **kwargs) -> None:
    services.search_update_urls(page=instance)


def _on_restriction_changed(sender, instance, **kwargs) -> None:
    services.search_update_privacy(page=instance.page)


def _on_entry_deleted(sender, instance, **kwargs) -> None:
    services.search_entry_forget(entry_id=instance.pk)


def connect() -> None:
    page_published.connect(_on_publish, dispatch_uid="portal_search_publish")
    page_unpublished.connect(_on_unpublish, dispatch_uid="portal_search_unpublish")
    post_page_move.connect(_on_move, dispatch_uid="portal_search_move")
    page_slug_changed.connect(_on_move, dispatch_uid="portal_search_slug")
    # A page made private (or public again) with no new revision: the restriction covers
    # the page and everything below it.
    post_save.connect(
        _on_restriction_changed, sender=PageViewRestriction, dispatch_uid="portal_search_restrict"
    )
    post_delete.connect(
        _on_restriction_changed, sender=PageViewRestriction, dispatch_uid="portal_search_unrestrict"
    )
    post_delete.connect(_on_entry_deleted, sender=SearchEntry, dispatch_uid="portal_search_del")
