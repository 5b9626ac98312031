"""Read one PDF from standard input and print what it is as JSON: run as a child process.

    python -m portal.archives.pdf_reader MAX_PAGES MAX_TEXT_CHARS < file.pdf

Plain Python and pypdf, no Django: ``portal.archives.pdf`` starts it with a time and a
memory limit, so that a file made to exhaust a worker (a page tree of millions of nodes,
nesting thousands deep, a stream that inflates to gigabytes) exhausts this process instead.

The output is one object: ``{"pages": N, "texts": [...], "thumbnail": "..."}`` for a PDF
that was read (one text per page, the text cut once ``MAX_TEXT_CHARS`` are collected; the
first page as a base64 PNG, or "" when it cannot be drawn), or
``{"refused": CODE}`` with CODE one of ``not_pdf``, ``damaged``, ``encrypted``,
``too_many_pages`` (then with ``"pages"``) and ``unsafe``.
"""

from __future__ import annotations

import io
import json
import re
import sys

# A PDF starts with this, at most this far into the file (some writers put bytes before).
PDF_MAGIC = b"%PDF-"
MAGIC_WINDOW = 1024
# Arrays or dictionaries opened this many times in a row: no document needs it, and a
# parser that recurses into each level is what it is made against.
MAX_NESTING = 256
_DEEP_NESTING = re.compile(rb"(?:\[\s*){%d}|(?:<<\s*){%d}" % (MAX_NESTING, MAX_NESTING))


def read(data: bytes, *, max_pages: int, max_text_chars: int) -> dict:
    if PDF_MAGIC not in data[:MAGIC_WINDOW]:
        return {"refused": "not_pdf"}
    if _DEEP_NESTING.search(data):
        return {"refused": "unsafe"}
    from pypdf import PdfReader
    from pypdf.errors import LimitReachedError, PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            return {"refused": "encrypted"}
        pages = len(reader.pages)
    except RecursionError:
        return {"refused": "unsafe"}
    except LimitReachedError:
        return {"refused": "unsafe"}
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError):
        return {"refused": "damaged"}
    if pages == 0:
        return {"refused": "damaged"}
    if pages > max_pages:
        return {"refused": "too_many_pages", "pages": pages}
    texts: list[str] = []
    collected = 0
    for page in reader.pages:
        text = ""
        if collected < max_text_chars:
            try:
                # The content read whole first: a stream that inflates past pypdf's
                # limit raises here, where text extraction would skip it silently.
                contents = page.get_contents()
                if contents is not None:
                    contents.get_data()
                text = page.extract_text() or ""
            except (RecursionError, LimitReachedError):
                return {"refused": "unsafe"}
            except Exception:  # noqa: BLE001 - one unreadable page leaves the others
                text = ""
            text = text[: max_text_chars - collected]
            collected += len(text)
        texts.append(text)
    return {"pages": pages, "texts": texts, "thumbnail": thumbnail(data)}


# Width in pixels of the first page's picture (shown at half that on the page: sharp on
# high-density screens).
THUMBNAIL_WIDTH = 360


def thumbnail(data: bytes) -> str:
    """The first page as a PNG, base64-encoded; "" when it cannot be drawn."""
    import base64

    try:
        import pypdfium2

        document = pypdfium2.PdfDocument(data)
        try:
            page = document[0]
            width = page.get_width() or 1
            bitmap = page.render(scale=THUMBNAIL_WIDTH / width)
            image = bitmap.to_pil()
            out = io.BytesIO()
            image.convert("RGB").save(out, format="PNG", optimize=True)
            return base64.b64encode(out.getvalue()).decode("ascii")
        finally:
            document.close()
    except Exception:  # noqa: BLE001 - a picture is a convenience, never a reason to refuse
        return ""


def main() -> int:
    max_pages, max_text_chars = int(sys.argv[1]), int(sys.argv[2])
    data = sys.stdin.buffer.read()
    try:
        result = read(data, max_pages=max_pages, max_text_chars=max_text_chars)
    except MemoryError:
        result = {"refused": "unsafe"}
    except Exception:  # noqa: BLE001 - whatever else a broken file provokes
        result = {"refused": "damaged"}
    sys.stdout.write(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
