import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.shortcuts import redirect, resolve_url

SIGNED_IN_AT = "signed_in_at"
LAST_SEEN = "last_seen"
# The session is written (and its 30 minutes renewed) at most this often, not on every request.
RENEW_AFTER = 60


@receiver(user_logged_in)  # connected when the app is ready (agencies.apps)
def remember_sign_in(sender, request, user, **kwargs):
    request.session[SIGNED_IN_AT] = request.session[LAST_SEEN] = time.time()


class SessionLifetimeMiddleware:
    """Ends a session after 30 minutes without a request (SESSION_COOKIE_AGE) and 12 hours after
    sign-in in any case (SESSION_ABSOLUTE_LIFETIME)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            started = request.session.get(SIGNED_IN_AT)
            last_seen = request.session.get(LAST_SEEN, started)
            if (
                started is None
                or now - started > settings.SESSION_ABSOLUTE_LIFETIME.total_seconds()
                or now - last_seen > settings.SESSION_COOKIE_AGE
            ):
                logout(request)  # deletes the session on the server
                return redirect(f"{resolve_url(settings.LOGIN_URL)}?next={request.path}")
            if now - last_seen > RENEW_AFTER:
                request.session[LAST_SEEN] = now  # saved with a fresh expiry
        return self.get_response(request)
