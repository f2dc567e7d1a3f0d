"""Where documents people upload are kept: outside any public folder, with no public URL. They
are served only through views that check who may read them (core.documents.open_stored).

The storage is settings.STORAGES["private"]: by default a folder (PRIVATE_MEDIA_ROOT), which
app servers share when there are several (a network mount); or, configured, an S3-compatible
bucket through django-storages, private and without public links."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages


class PrivateStorage(FileSystemStorage):
    """A folder outside STATIC_ROOT and any web server's folder."""

    # Read from settings on each use, so tests (and a changed setting) point it elsewhere.
    @property
    def base_location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise NotImplementedError("Documents have no public URL; use the download view.")


def private_storage() -> Storage:
    """The documents' storage, for FileField(storage=…): a callable, so that migrations name
    the setting rather than one storage."""
    return storages["private"]
