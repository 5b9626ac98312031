"""Uploaded files on S3-compatible storage (AWS S3, MinIO, Ceph, NCP/NHN Object Storage),
for several app servers that share no folder: ``MEDIA_S3_BUCKET`` turns it on (see
``portal/settings/base.py`` and docs/operations.md).

A file whose type a browser would run or render as a page (HTML, SVG, XML, JavaScript)
is stored as a download of no particular type, as nginx serves such files from the local
folder: whatever an uploader put in it, it never runs in the browser of the person who
opens it.
"""

from __future__ import annotations

import posixpath

from storages.backends.s3 import S3Storage

ACTIVE_TYPES = {".html", ".htm", ".svg", ".svgz", ".xml", ".xhtml", ".js", ".mjs"}


class MediaStorage(S3Storage):
    # Never replace a file that has the same name: a document's old version stays what
    # its revisions point to (Django adds a suffix instead, as on a local folder).
    file_overwrite = False
    # The bucket's own policy decides who may read: no per-object ACL.
    default_acl = None

    def get_object_parameters(self, name: str) -> dict:
        parameters = super().get_object_parameters(name)
        if posixpath.splitext(name)[1].lower() in ACTIVE_TYPES:
            parameters["ContentType"] = "application/octet-stream"
            parameters["ContentDisposition"] = "attachment"
        return parameters
