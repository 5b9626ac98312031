"""The home page and the demo content."""
