"""News posts and the news board."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.search import index

from portal.core.blocks import RICH_TEXT_FEATURES
from portal.core.models import BoardIndexPage, BoardItemPage


class NewsPageTag(TaggedItemBase):
    """The link between a news post and one of its tags."""

    content_object = ParentalKey(
        "news.NewsPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class NewsPage(BoardItemPage):
    """A dated post with its author, like the posts on the seed's news board."""

    date = models.DateField(_("registration date"))
    author = models.CharField(_("author"), max_length=100)
    summary = models.TextField(
        _("summary"),
        blank=True,
        help_text=_("One or two sentences for listings and search results."),
    )
    body = RichTextField(_("body"), features=RICH_TEXT_FEATURES)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    tags = ClusterTaggableManager(
        verbose_name=_("tags"),
        through=NewsPageTag,
        blank=True,
        help_text=_("Keywords in Korean or English, separated by commas."),
    )

    content_panels = BoardItemPage.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("date"),
                FieldPanel("author"),
                FieldPanel("sector"),
                FieldPanel("tags"),
            ],
            heading=_("About this post"),
        ),
        FieldPanel("summary"),
        FieldPanel("image"),
        FieldPanel("body"),
    ]
    search_fields = BoardItemPage.search_fields + [
        index.SearchField("summary", boost=2),
        index.SearchField("body"),
        index.FilterField("date"),
        index.FilterField("sector"),
        index.RelatedFields("sector", [index.SearchField("name_ko"), index.SearchField("name_en")]),
        index.RelatedFields("tags", [index.SearchField("name")]),
    ]

    parent_page_types = ["news.NewsIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("news post")
        verbose_name_plural = _("news posts")


class NewsIndexPage(BoardIndexPage):
    """The news board."""

    item_model = NewsPage
    parent_page_types = ["home.HomePage"]
    subpage_types = ["news.NewsPage"]

    class Meta:
        verbose_name = _("news board")
        verbose_name_plural = _("news boards")
