"""Training programmes and calls with application windows."""
