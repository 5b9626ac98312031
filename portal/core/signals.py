"""Every change of published content changes the content version (see
``content_version``): publishing, unpublishing, moving or deleting a page, a change of
privacy, and a change of what pages show beside their own content."""

from __future__ import annotations

from django.apps import apps
from django.db.models.signals import post_delete, post_save
from wagtail.models import Locale, Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from portal.core.content_version import content_changed

# Models whose rows appear on pages other than their own.
SHOWN_ON_PAGES = [
    "core.Sector",
    "partners.Partner",
    "glossary.SynonymSet",  # search results
    "programmes.ProgrammeApplication",  # places left on a programme's page
]


def _changed(**kwargs) -> None:
    content_changed()


def _settings_saved(sender, created: bool, **kwargs) -> None:
    # The first read of the settings creates their row with the defaults every page has
    # shown so far: nothing changes for visitors.
    if not created:
        content_changed()


def _page_deleted(sender, instance, **kwargs) -> None:
    if isinstance(instance, Page):
        content_changed()


def connect() -> None:
    page_published.connect(_changed, dispatch_uid="content_version_publish")
    page_unpublished.connect(_changed, dispatch_uid="content_version_unpublish")
    post_page_move.connect(_changed, dispatch_uid="content_version_move")
    page_slug_changed.connect(_changed, dispatch_uid="content_version_slug")
    post_delete.connect(_page_deleted, dispatch_uid="content_version_page_delete")
    post_save.connect(
        _settings_saved, sender=apps.get_model("core.PortalSettings"), dispatch_uid="cv_settings"
    )
    for model in [Site, Locale, PageViewRestriction] + [apps.get_model(m) for m in SHOWN_ON_PAGES]:
        label = model._meta.label_lower
        post_save.connect(_changed, sender=model, dispatch_uid=f"content_version_save_{label}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"content_version_del_{label}")
