"""Signal receivers of the glossary: one line each, the work is in services."""

from portal.glossary.services import glossary_changed


def synonym_set_changed(sender, **kwargs) -> None:
    glossary_changed()
