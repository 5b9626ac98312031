"""Snippets of results with the matched words marked."""

from __future__ import annotations

from django.utils.html import escape

from portal.search.analysis import term_spans

SNIPPET_CHARS = 220


def highlight(text: str, terms: set[str], *, length: int = SNIPPET_CHARS) -> str:
    """Escaped HTML of the passage of ``text`` with the most matched words, words in <mark>.

    The passage starts at a word boundary near the first matched word of the best window;
    without any match it is the beginning of the text.
    """
    text = " ".join(text.split())
    if not text:
        return ""
    spans = [(start, end) for start, end, found in term_spans(text) if found & terms]
    start = 0
    if spans:
        best, best_count = spans[0][0], 0
        for begin, _ in spans:
            count = sum(1 for other, _ in spans if begin <= other < begin + length)
            if count > best_count:
                best, best_count = begin, count
        start = max(0, best - length // 5)
        if start:
            space = text.rfind(" ", 0, start)
            start = space + 1 if space != -1 else start
    end = min(len(text), start + length)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    pieces = []
    cursor = start
    for begin, finish in spans:
        if begin < start or finish > end:
            continue
        pieces.append(escape(text[cursor:begin]))
        pieces.append(f"<mark>{escape(text[begin:finish])}</mark>")
        cursor = finish
    pieces.append(escape(text[cursor:end]))
    prefix = "… " if start else ""
    suffix = " …" if end < len(text) else ""
    return prefix + "".join(pieces) + suffix
