"""Where documents people upload are kept: outside any public folder, with no public URL."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """Supporting documents, protocols, the summaries as sent: outside STATIC_ROOT and any web
    server's folder. They are served only through views that check who may read them."""

    # Read from settings on each use, so tests (and a changed setting) point it elsewhere.
    @property
    def base_location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise NotImplementedError("Documents have no public URL; use the download view.")


private_storage = PrivateStorage()
