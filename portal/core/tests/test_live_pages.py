"""``LivePageCreator`` writes what ``add_child`` then ``save_revision().publish()`` write."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from wagtail.models import Page, PageLogEntry, Revision
from wagtail.signals import page_published

from portal.core.live_pages import LivePageCreator
from portal.policies.models import PolicyPage

pytestmark = pytest.mark.django_db

# What differs between two pages however they are made.
VOLATILE = {
    "pk",
    "id",
    "page_ptr",
    "path",
    "url_path",
    "slug",
    "title",
    "draft_title",
    "translation_key",
    "first_published_at",
    "last_published_at",
    "latest_revision_created_at",
    "latest_revision",
    "live_revision",
}


def policy(locale, slug: str) -> PolicyPage:
    return PolicyPage(
        title=f"Policy {slug}",
        slug=slug,
        locale=locale,
        summary="A summary.",
        date=dt.date(2020, 1, 2),
    )


def snapshot(page: Page) -> dict:
    page = PolicyPage.objects.get(pk=page.pk)
    revisions = list(Revision.objects.filter(object_id=str(page.pk)))
    content = {k: v for k, v in revisions[0].content.items() if k not in VOLATILE}
    fields = {
        field.attname: getattr(page, field.attname)
        for field in PolicyPage._meta.concrete_fields
        if field.name not in VOLATILE and field.attname.removesuffix("_id") not in VOLATILE
    }
    logs = list(
        PageLogEntry.objects.filter(page_id=page.pk)
        .order_by("pk")
        .values_list("action", "content_type_id", "content_changed", "data", "user_id")
    )
    return {
        "fields": fields,
        "revisions": len(revisions),
        "revision_type": (revisions[0].content_type_id, revisions[0].base_content_type_id),
        "content": content,
        "latest_is_live": page.latest_revision_id == page.live_revision_id == revisions[0].pk,
        "logs": logs,
        "published_at_set": page.first_published_at is not None,
        "url_path_ends": page.url_path.removesuffix(f"{page.slug}/"),
    }


def test_creates_the_rows_publishing_would(tree, locales):
    board = tree.policies["en"]
    wagtail_way = policy(locales["en"], "one")
    board.add_child(instance=wagtail_way)
    wagtail_way.save_revision().publish()

    creator = LivePageCreator()
    seen = []

    def receiver(sender, instance, revision, **kwargs):
        seen.append((sender, instance.pk, revision.pk))

    page_published.connect(receiver)
    try:
        with transaction.atomic():
            ours = creator.create(parent=board, page=policy(locales["en"], "two"))
            assert seen == []  # published with the batch
            creator.finish()
    finally:
        page_published.disconnect(receiver)

    assert snapshot(ours) == snapshot(wagtail_way)
    assert [log[0] for log in snapshot(ours)["logs"]] == ["wagtail.create", "wagtail.publish"]
    assert snapshot(ours)["content"]["summary"] == "A summary."
    assert snapshot(ours)["fields"]["live"] is True
    assert seen == [(PolicyPage, ours.pk, PolicyPage.objects.get(pk=ours.pk).live_revision_id)]
    board = Page.objects.get(pk=board.pk)
    assert board.numchild == 2
    assert [page.slug for page in board.get_children()] == ["one", "two"]
    assert Page.find_problems() == ([], [], [], [], [])


def test_many_pages_under_several_parents_keep_the_tree_sound(tree, locales):
    creator = LivePageCreator()
    with transaction.atomic():
        for index in range(5):
            for language in ("ko", "en"):
                creator.create(
                    parent=tree.policies[language], page=policy(locales[language], f"p{index}")
                )
        assert len(creator.finish()) == 10
    for language in ("ko", "en"):
        board = Page.objects.get(pk=tree.policies[language].pk)
        assert board.numchild == 5
        assert [page.slug for page in board.get_children()] == [f"p{i}" for i in range(5)]
    assert Page.find_problems() == ([], [], [], [], [])
    # A page added the usual way afterwards goes after them.
    board = Page.objects.get(pk=tree.policies["en"].pk)
    board.add_child(instance=policy(locales["en"], "later"))
    assert [page.slug for page in board.get_children()][-1] == "later"


def test_an_invalid_page_is_refused_and_nothing_is_written(tree, locales):
    creator = LivePageCreator()
    before = Page.objects.count()
    with transaction.atomic():
        invalid = policy(locales["en"], "x")
        invalid.title = ""
        with pytest.raises(ValidationError):
            creator.create(parent=tree.policies["en"], page=invalid)
        assert creator.finish() == []
    assert Page.objects.count() == before


def test_a_document_rolled_back_gives_its_positions_back(tree, locales):
    creator = LivePageCreator()
    with transaction.atomic():
        creator.create(parent=tree.policies["en"], page=policy(locales["en"], "kept"))
        with pytest.raises(RuntimeError), transaction.atomic(), creator.document():
            creator.create(parent=tree.policies["en"], page=policy(locales["en"], "dropped"))
            raise RuntimeError("the document's second language was bad")
        creator.create(parent=tree.policies["en"], page=policy(locales["en"], "next"))
        pages = creator.finish()
    assert [page.slug for page in pages] == ["kept", "next"]
    board = Page.objects.get(pk=tree.policies["en"].pk)
    assert board.numchild == 2
    assert [page.slug for page in board.get_children()] == ["kept", "next"]
    assert Page.find_problems() == ([], [], [], [], [])
    assert Revision.objects.filter(object_id__in=[str(p.pk) for p in pages]).count() == 2
