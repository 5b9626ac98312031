"""News: the board of dated posts."""
