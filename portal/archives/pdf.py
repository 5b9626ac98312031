"""Checking an uploaded document: a real PDF, within the limits, and its text by page.

The file is read by ``portal.archives.pdf_reader`` in a child process limited in time
(``DOCUMENT_CHECK_SECONDS``) and memory (``DOCUMENT_CHECK_MEMORY_BYTES``): whatever the
file does to the reader, the worker that serves the upload only waits, then refuses it.
"""

from __future__ import annotations

import base64
import json
import logging
import resource
import subprocess
import sys
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

logger = logging.getLogger(__name__)

# Fewer characters than this over the whole file: no readable text (a scan, images only).
MIN_READABLE_CHARS = 20

_MESSAGES = {
    "not_pdf": _(
        "This file is not a PDF: its content is not that of a PDF, whatever its name. "
        "Export the document as PDF and upload that file."
    ),
    "damaged": _(
        "This PDF is damaged and cannot be read. Export it again and upload the new file."
    ),
    "encrypted": _("This PDF is protected by a password. Upload a copy saved without a password."),
    "unsafe": _(
        "This PDF could not be read within the limits the site sets (time and memory): it "
        "may be built to overload the server. Export it again, or split it into smaller files."
    ),
}


@dataclass(frozen=True)
class PdfFacts:
    """What a checked PDF holds: its number of pages and the text of each."""

    pages: int
    texts: list[str]
    thumbnail_png: bytes = b""

    @property
    def language(self) -> str:
        """ "ko" when most letters of the text are Hangul, "en" when they are Latin, "" for
        a file without readable text."""
        if not self.text_readable:
            return ""
        sample = "".join(self.texts)[:20000]
        hangul = sum(1 for char in sample if "\uac00" <= char <= "\ud7a3")
        latin = sum(1 for char in sample if char.isascii() and char.isalpha())
        return "ko" if hangul >= latin / 3 else "en"

    @property
    def text_readable(self) -> bool:
        return sum(len(text.strip()) for text in self.texts) >= MIN_READABLE_CHARS


def _limits() -> None:
    memory = settings.DOCUMENT_CHECK_MEMORY_BYTES
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    seconds = settings.DOCUMENT_CHECK_SECONDS
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))


def check_pdf(data: bytes) -> PdfFacts:
    """The facts of the PDF ``data``, or ``ValidationError`` with the reason it is refused."""
    command = [
        sys.executable,
        "-m",
        "portal.archives.pdf_reader",
        str(settings.DOCUMENT_MAX_PAGES),
        str(settings.DOCUMENT_MAX_TEXT_CHARS),
    ]
    try:
        done = subprocess.run(
            command,
            input=data,
            capture_output=True,
            timeout=settings.DOCUMENT_CHECK_SECONDS,
            preexec_fn=_limits,  # noqa: PLW1509 - only sets limits, before exec
            cwd=settings.BASE_DIR,
            check=False,
        )
        result = json.loads(done.stdout.decode("utf-8") or "null")
    except subprocess.TimeoutExpired:
        result = None
    except (ValueError, UnicodeDecodeError):
        result = None
    if not isinstance(result, dict):
        # Killed by a limit, or crashed: a file that does this is not accepted.
        logger.warning("document check gave no answer (limits reached or reader crashed)")
        raise ValidationError(_MESSAGES["unsafe"], code="unsafe")
    refused = result.get("refused")
    if refused == "too_many_pages":
        raise ValidationError(
            ngettext(
                "This PDF has %(pages)s pages; the most a document may have is %(limit)s.",
                "This PDF has %(pages)s pages; the most a document may have is %(limit)s.",
                result["pages"],
            )
            % {"pages": result["pages"], "limit": settings.DOCUMENT_MAX_PAGES},
            code="too_many_pages",
        )
    if refused:
        raise ValidationError(_MESSAGES.get(refused, _MESSAGES["damaged"]), code=refused)
    try:
        picture = base64.b64decode(result.get("thumbnail") or "", validate=True)
    except ValueError:
        picture = b""
    return PdfFacts(
        pages=int(result["pages"]),
        texts=[str(text) for text in result["texts"]],
        thumbnail_png=picture,
    )
