"""Text helpers: titles for templates, plain text out of page fields."""

import html
import re

from django.core.exceptions import FieldDoesNotExist
from wagtail.fields import RichTextField

_TAG = re.compile(r"<[^>]+>")
_BLOCK_END = re.compile(r"</(p|li|h[1-6]|div|blockquote)>|<br\s*/?>", re.IGNORECASE)
_SPACE = re.compile(r"[ \t\r\f\v]+")


def truncate_title(title: str, max_chars: int) -> tuple[str, bool]:
    """Cut ``title`` after ``max_chars`` characters and end it with '..', as the seed's
    boards do; returns the text to show and whether it was cut."""
    if len(title) <= max_chars:
        return title, False
    return title[:max_chars] + "..", True


def plain_text(value: object) -> str:
    """Rich text or plain text as plain text with paragraph breaks."""
    text = str(value or "")
    text = _BLOCK_END.sub("\n", text)
    text = html.unescape(_TAG.sub("", text))
    lines = (_SPACE.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def field_text(page, name: str) -> str:
    """A field's text: rich text without its markup, plain text as written."""
    value = getattr(page, name, "")
    try:
        is_rich = isinstance(page._meta.get_field(name), RichTextField)
    except FieldDoesNotExist:
        is_rich = False
    if is_rich:
        return plain_text(value)
    return "\n".join(line.strip() for line in str(value or "").splitlines() if line.strip())
