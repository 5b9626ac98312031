"""The form of every document upload and replacement in the admin: checked before saving."""

from __future__ import annotations

from wagtail.documents.forms import BaseDocumentForm

from portal.archives.pdf import check_pdf


class CheckedDocumentForm(BaseDocumentForm):
    """Refuses a file that is not a readable, unencrypted PDF within the limits, with the
    reason; a refused replacement leaves the stored document as it was (nothing is saved).
    """

    def clean_file(self):
        file = self.cleaned_data.get("file")
        if file and "file" in self.changed_data:
            file.seek(0)
            facts = check_pdf(file.read())
            file.seek(0)
            # Stored with the document once it is saved (``services.store_document_facts``).
            self.instance._checked_pdf = facts
        return file
