"""Requests refused before any view runs."""

from django.core.exceptions import SuspiciousOperation


class NulInAddress(SuspiciousOperation):
    """A NUL byte in the request's path or query string."""


def refuse_nul_in_address(get_response):
    """No address of the portal holds a NUL byte, yet a view would pass one to the database,
    which PostgreSQL refuses with an error (a 500 page) and SQLite looks up. Such a request is a
    400 before any view; forms refuse NUL in what they receive in a body."""

    def middleware(request):
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            raise NulInAddress("A NUL byte in the address.")
        return get_response(request)

    return middleware
