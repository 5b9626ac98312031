"""Reading a synonym set's terms from the text editors type: one term per line."""

import unicodedata

MIN_TERMS = 2
MAX_TERMS = 50
MAX_TERM_LENGTH = 100


def parse_terms(text: str) -> list[str]:
    """The distinct terms of ``text`` in the order written.

    Each line is one term, trimmed, with runs of spaces inside it made single; empty lines
    are dropped and a term that repeats an earlier one case-insensitively is dropped too.
    Text is compared in Unicode NFC, so Hangul pasted in decomposed form (as some systems
    copy it) matches the same word typed directly.
    """
    terms: list[str] = []
    seen: set[str] = set()
    for line in unicodedata.normalize("NFC", text).splitlines():
        term = " ".join(line.split())
        key = term.casefold()
        if term and key not in seen:
            seen.add(key)
            terms.append(term)
    return terms


def join_terms(terms: list[str]) -> str:
    """The text of ``terms``, one per line, as the model stores it."""
    return "\n".join(terms)
