"""StreamField blocks for free-form pages and the home page's features."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageBlock

RICH_TEXT_FEATURES = ["h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link"]


class FaqBlock(blocks.StructBlock):
    """A question and its answer, shown as a disclosure that works without JavaScript."""

    question = blocks.CharBlock(label=_("Question"), max_length=300)
    answer = blocks.RichTextBlock(label=_("Answer"), features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "help"
        label = _("Question and answer")
        template = "core/blocks/faq_block.html"


class StandardBodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        label=_("Heading"),
        max_length=200,
        form_classname="title",
        template="core/blocks/heading_block.html",
    )
    paragraph = blocks.RichTextBlock(label=_("Paragraph"), features=RICH_TEXT_FEATURES)
    image = ImageBlock(label=_("Image"))
    faq = FaqBlock()

    class Meta:
        label = _("Body")


class FeatureBlock(blocks.StructBlock):
    """A page the home page features, with the heading and text editors choose."""

    page = blocks.PageChooserBlock(label=_("Page"))
    heading = blocks.CharBlock(
        label=_("Heading"), required=False, help_text=_("Leave empty to use the page's title.")
    )
    text = blocks.TextBlock(label=_("Text"))
    link_label = blocks.CharBlock(
        label=_("Link label"), required=False, help_text=_("Leave empty for “Read more”.")
    )

    class Meta:
        icon = "pick"
        label = _("Feature")
        template = "core/blocks/feature_block.html"
