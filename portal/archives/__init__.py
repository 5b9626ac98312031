"""Archives: brochures, reports, interviews and videos."""
