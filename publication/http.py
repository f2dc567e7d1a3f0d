"""What every response of the API gets around the view django-ninja makes: the request log, an
ETag with conditional GET, JSON for a method the API does not take (it only reads) and for an
address it does not have."""

import functools
import hashlib

from django.http import Http404, HttpResponse, JsonResponse
from django.utils.cache import patch_vary_headers
from django.views.decorators.csrf import csrf_exempt

from agencies.audit import client_address
from publication.models import ApiRequestLog

PATH_LENGTH = ApiRequestLog._meta.get_field("path").max_length


def error_response(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"error": code, "message": message}, status=status)


def _etag(response: HttpResponse) -> str:
    return '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'


def _matches(header: str, etag: str) -> bool:
    tags = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    return etag in tags or "*" in tags


def finish(request, response: HttpResponse) -> HttpResponse:
    """Conditional GET and caching headers, then one row of the request log."""
    if request.method in ("GET", "HEAD") and response.status_code == 200:
        etag = _etag(response)
        response["ETag"] = etag
        if _matches(request.headers.get("If-None-Match", ""), etag):
            not_modified = HttpResponse(status=304)
            not_modified["ETag"] = etag
            response = not_modified
    if response.status_code == 405:
        allowed = response.get("Allow", "GET")
        response = error_response(
            405,
            "method_not_allowed",
            f"The API only reads: {request.method} is not allowed here (allowed: {allowed}).",
        )
        response["Allow"] = allowed
    # Each system sees the same data, but only with its token: no shared cache keeps it.
    response["Cache-Control"] = "private, no-cache"
    patch_vary_headers(response, ["Authorization"])
    ApiRequestLog.objects.create(
        token=getattr(request, "api_token", None),
        ip_address=client_address(request),
        method=request.method[:10],
        path=request.get_full_path()[:PATH_LENGTH],
        status_code=response.status_code,
    )
    return response


def logged(view):
    """`view` (one of django-ninja's) with finish() on its response."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            response = view(request, *args, **kwargs)
        except Http404:  # django-ninja's own page at /api/v1/ itself raises it
            response = _not_found()
        return finish(request, response)

    return csrf_exempt(wrapped)


@csrf_exempt
def not_found(request, rest=""):
    """Any other address under /api/: a 404 in JSON, logged like the rest."""
    return finish(request, _not_found())


def _not_found() -> JsonResponse:
    return error_response(404, "not_found", "The API has no such address; see /api/v1/docs.")
