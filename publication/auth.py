"""Who may read the API: a system holding a token an admin issued and has not revoked, within
its rate limit (settings.API_RATE_LIMIT requests a minute, counted in the cache, which every app
server shares when REDIS_URL is set)."""

import time

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from ninja.security import HttpBearer

from publication.models import ApiToken, token_digest

RATE_WINDOW = 60  # seconds


class ApiError(Exception):
    """A refusal the API answers as JSON: {"error": code, "message": text}."""

    def __init__(self, status: int, code: str, message: str, headers: dict | None = None):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.headers = headers or {}


def _unauthorized(code: str, message: str) -> ApiError:
    return ApiError(401, code, message, {"WWW-Authenticate": f'Bearer error="{code}"'})


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`. An unknown or revoked token is a 401 naming which, a
    token over its limit a 429 with Retry-After. The token is kept on the request for the
    request log (publication.urls)."""

    def authenticate(self, request, token):
        found = ApiToken.objects.filter(token_hash=token_digest(token)).first()
        if found is None:
            raise _unauthorized("invalid_token", "The token is not known to the portal.")
        request.api_token = found
        if found.is_revoked:
            raise _unauthorized(
                "token_revoked",
                f"The token was revoked on {found.revoked_at:%Y-%m-%d}; ask the portal's "
                "administrator for a new one.",
            )
        check_rate(found)
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        return found


def check_rate(token: ApiToken) -> None:
    """At most API_RATE_LIMIT requests in each minute of the clock, per token."""
    now = time.time()
    window = int(now // RATE_WINDOW)
    # By the token's hash, not its id: an id may be reused (SQLite), a hash is not.
    key = f"api-rate:{token.token_hash[:32]}:{window}"
    cache.add(key, 0, timeout=RATE_WINDOW * 2)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=RATE_WINDOW * 2)
        count = 1
    if count > settings.API_RATE_LIMIT:
        retry_after = max(1, int((window + 1) * RATE_WINDOW - now) + 1)
        raise ApiError(
            429,
            "rate_limited",
            f"More than {settings.API_RATE_LIMIT} requests a minute with this token; "
            f"try again in {retry_after} s.",
            {"Retry-After": str(retry_after)},
        )
