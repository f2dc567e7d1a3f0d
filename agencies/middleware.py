import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.shortcuts import redirect, resolve_url
from django.urls import reverse

from agencies import selectors

SIGNED_IN_AT = "signed_in_at"
LAST_SEEN = "last_seen"
# Whether the user had an authenticator app at sign-in: then this session must pass its code.
HAS_AUTHENTICATOR = "has_authenticator"
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


@receiver(user_logged_in)
def remember_authenticator(sender, request, user, **kwargs):
    # Read once at sign-in, not on every request; enrolment and verification update it.
    request.session[HAS_AUTHENTICATOR] = selectors.totp_device(user=user) is not None


def redirect_with_next(url_name, request):
    return redirect(f"{reverse(url_name)}?{urlencode({'next': request.get_full_path()})}")


class TwoFactorMiddleware:
    """After the password, the second factor: a signed-in user who has an authenticator app is
    sent to the code page, and one who must use it (selectors.two_factor_required) but has none
    to enrolment, until verified; meanwhile only those pages, logout, static files and the
    language switcher open. Needs django_otp.middleware.OTPMiddleware before it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not user.is_verified():
            if request.session.get(HAS_AUTHENTICATOR):
                step = "two_factor_verify"
            elif selectors.two_factor_required(user):
                step = "two_factor_enrol"
            else:
                step = None
            if step and not self.is_exempt(request):
                return redirect_with_next(step, request)
        return self.get_response(request)

    @staticmethod
    def is_exempt(request):
        path = request.path_info
        open_pages = ("two_factor_verify", "two_factor_enrol", "logout", "admin:logout")
        return (
            path in {reverse(name) for name in open_pages}
            or path.startswith(settings.STATIC_URL)
            or path.startswith("/i18n/")
        )
