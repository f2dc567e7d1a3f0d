from base64 import b32encode
from urllib.parse import urlencode

import django_otp
import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_static.models import StaticDevice

from agencies import selectors, services
from agencies.forms import EnrolmentForm, TwoFactorCodeForm
from agencies.middleware import HAS_AUTHENTICATOR
from agencies.models import Agency
from core import pages


@login_required
def agency_list(request):
    agencies = selectors.agency_list()
    groups = [
        (label, [a for a in agencies if a.kind == kind]) for kind, label in Agency.Kind.choices
    ]
    return render(request, "agencies/agency_list.html", {"groups": groups})


@login_required
def agency_detail(request, code):
    agency = get_object_or_404(Agency.objects.select_related("parent"), code=code)
    # What the agency answers for comes from measures (core.pages).
    context = {
        "agency": agency,
        "lineage": selectors.agency_lineage(agency=agency),
        **pages.page_context("agency", agency=agency, user=request.user),
    }
    return render(request, "agencies/agency_detail.html", context)


# The second factor of sign-in (django-otp; agencies.middleware.TwoFactorMiddleware)

NEW_RECOVERY_CODES = "new_recovery_codes"


def _next_url(request) -> str:
    """Where to go after the step: the page first asked for, if it is on this site."""
    candidate = request.POST.get("next") or request.GET.get("next")
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _with_next(url_name, next_url) -> str:
    return f"{reverse(url_name)}?{urlencode({'next': next_url})}"


def _passed(request, device) -> None:
    """This session has passed the second factor with the device."""
    django_otp.login(request, device)
    request.session.cycle_key()  # a new session id for the stronger sign-in
    request.session[HAS_AUTHENTICATOR] = True


def _qr_code(device) -> str:
    """The device's otpauth:// address as an SVG QR code, inline: no script and no style."""
    # Low error correction keeps the code small; a screen is not a torn label.
    svg = segno.make(device.config_url, error="l").svg_inline(
        scale=4, dark="#000", light="#fff", title=_("QR-код для приложения-аутентификатора")
    )
    # Safe: segno writes only path data and the title, which it escapes.
    return mark_safe(svg)  # noqa: S308


@never_cache
@login_required
def two_factor_verify(request):
    """The code asked for after the password (TwoFactorMiddleware sends users here)."""
    user, next_url = request.user, _next_url(request)
    if user.is_verified():
        return redirect(next_url)
    if selectors.totp_device(user=user) is None:
        # Removed by an admin since sign-in: enrol again if required, else carry on.
        request.session[HAS_AUTHENTICATOR] = False
        if selectors.two_factor_required(user):
            return redirect(_with_next("two_factor_enrol", next_url))
        return redirect(next_url)
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.two_factor_verify(user=user, code=form.cleaned_data["code"])
        except services.TwoFactorRefused as refusal:
            form.add_error("code", str(refusal))
        else:
            _passed(request, device)
            if isinstance(device, StaticDevice):
                messages.warning(
                    request,
                    _(
                        "Вы вошли по коду восстановления; он больше не действует. Осталось "
                        "кодов: %(left)d. Новые коды можно создать на странице «Безопасность»."
                    )
                    % {"left": selectors.recovery_codes_left(user=user)},
                )
            return redirect(next_url)
    return render(request, "registration/two_factor_verify.html", {"form": form, "next": next_url})


@never_cache
@login_required
def two_factor_enrol(request):
    """Adding an authenticator app: a QR code and the secret, then a first code confirms it."""
    user, next_url = request.user, _next_url(request)
    if not user.is_verified() and selectors.totp_device(user=user) is not None:
        # Enrolled in another session since this one signed in: the code, not a second app.
        request.session[HAS_AUTHENTICATOR] = True
        return redirect(_with_next("two_factor_verify", next_url))
    try:
        device = services.totp_device_start(user=user)
    except services.TwoFactorRefused as refusal:
        messages.info(request, str(refusal))
        return redirect("security")
    form = EnrolmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.totp_device_confirm(device=device, code=form.cleaned_data["code"])
        except services.TwoFactorRefused as refusal:
            form.add_error("code", str(refusal))
        else:
            _passed(request, device)
            request.session[NEW_RECOVERY_CODES] = codes
            messages.success(request, _("Двухфакторная аутентификация включена."))
            return redirect(_with_next("recovery_codes", next_url))
    secret = b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "next": next_url,
        "qr_code": _qr_code(device),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "required": selectors.two_factor_required(user),
    }
    return render(request, "registration/two_factor_enrol.html", context)


@never_cache
@login_required
def recovery_codes(request):
    """New recovery codes, shown once: after enrolment or after the user asked for new ones."""
    codes = request.session.pop(NEW_RECOVERY_CODES, None)
    if not codes:
        messages.info(
            request,
            _("Коды восстановления показываются один раз. Если они потеряны, создайте новые."),
        )
        return redirect("security")
    context = {"codes": codes, "next": _next_url(request)}
    return render(request, "registration/recovery_codes.html", context)


@login_required
@require_POST
def recovery_codes_generate(request):
    user = request.user
    if not user.is_verified():
        # Enrolled in another session since this one signed in: the code first.
        return redirect(_with_next("two_factor_verify", reverse("security")))
    try:
        request.session[NEW_RECOVERY_CODES] = services.recovery_codes_generate(user=user)
    except services.TwoFactorRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("security")
    return redirect(_with_next("recovery_codes", reverse("security")))


@login_required
def security(request):
    """The user's second factor: whether it is on, how many recovery codes are left."""
    user = request.user
    device = selectors.totp_device(user=user)
    context = {
        "device": device,
        "required": selectors.two_factor_required(user),
        "recovery_codes_left": selectors.recovery_codes_left(user=user) if device else 0,
    }
    return render(request, "registration/security.html", context)
