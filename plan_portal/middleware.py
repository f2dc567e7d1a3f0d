"""What the portal does to every request before any view runs, and to every response."""

from csp.middleware import CSPMiddleware
from django.core.exceptions import SuspiciousOperation
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.security import SecurityMiddleware


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


class SecurityHeadersMiddleware:
    """First of MIDDLEWARE: the headers of SecurityMiddleware (X-Content-Type-Options,
    Referrer-Policy, Cross-Origin-Opener-Policy, HSTS over https), XFrameOptionsMiddleware and
    django-csp on every response, also on one made before those ran: the 400 for a host not in
    ALLOWED_HOSTS (DisallowedHost, raised inside SecurityMiddleware or CommonMiddleware, is
    answered where it is raised) and the static files WhiteNoise serves before the rest. It runs
    their response side once more; each sets only what is missing, so a page's own choice
    (a CSP a view replaced) stands."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header_setters = [
            middleware(get_response)
            for middleware in (SecurityMiddleware, XFrameOptionsMiddleware, CSPMiddleware)
        ]

    def __call__(self, request):
        response = self.get_response(request)
        for setter in self.header_setters:
            response = setter.process_response(request, response)
        return response
