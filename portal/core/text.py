"""Pure text helpers used by templates."""


def truncate_title(title: str, max_chars: int) -> tuple[str, bool]:
    """Cut ``title`` after ``max_chars`` characters and end it with '..', as the seed's
    boards do; returns the text to show and whether it was cut."""
    if len(title) <= max_chars:
        return title, False
    return title[:max_chars] + "..", True
