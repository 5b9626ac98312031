"""Policy cases, structured as policy briefs."""
