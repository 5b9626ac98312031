"""Settings modules: base holds everything, the others override only what differs."""
