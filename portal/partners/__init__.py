"""Partner organisations and their directory page."""
