"""Writes of a user's sign-in security: the second factor (django-otp). Each function is one user
action in a transaction; a refused one raises TwoFactorRefused and changes nothing but
django-otp's count of failed codes, which makes the next try wait (1, 2, 4… seconds)."""

import math
import time
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import devices_for_user
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from agencies import selectors
from agencies.models import Agency, User
from core.exceptions import ActionRefused

RECOVERY_CODE_COUNT = 10


class TwoFactorRefused(Exception):
    """A code or a step refused: the message says why, in words for the user."""


def _normalized(code: str) -> str:
    # People copy codes with spaces or hyphens ("123 456", "abcd-2345"); recovery codes are
    # lower case.
    return "".join(code.split()).replace("-", "").lower()


def _already_used(device: TOTPDevice, token: int) -> bool:
    """Whether the code is the device's current one but was accepted before (TOTPDevice.last_t
    refuses a code the second time)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return totp.verify(token, device.tolerance)


def _refusal(device, code: str) -> str | None:
    """None if the device accepts the code (a TOTP code once, a recovery code once); otherwise
    why not, with the failure counted on the device."""
    allowed, details = device.verify_is_allowed()
    if not allowed:
        locked_until = (details or {}).get("locked_until")
        wait = (locked_until - timezone.now()).total_seconds() if locked_until else 1
        return _("Слишком много неверных кодов подряд. Повторите попытку через %(seconds)d с.") % {
            "seconds": max(math.ceil(wait), 1)
        }
    if device.verify_token(code):
        return None
    if isinstance(device, TOTPDevice) and code.isdigit() and _already_used(device, int(code)):
        return _("Этот код уже использован. Дождитесь следующего кода в приложении.")
    return _("Неверный код.")


def _is_totp_code(code: str) -> bool:
    return code.isdigit() and len(code) == 6


def totp_device_start(*, user: User) -> TOTPDevice:
    """The user's authenticator app awaiting its first code: the pending one, so that the QR code
    stays the same on reload, or a new one with a fresh secret. Refused if one is confirmed."""
    with transaction.atomic():
        if selectors.totp_device(user=user) is not None:
            raise TwoFactorRefused(_("Приложение-аутентификатор уже подключено."))
        device = selectors.totp_device(user=user, confirmed=False)
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


def totp_device_confirm(*, device: TOTPDevice, code: str) -> list[str]:
    """Confirms the pending authenticator with a first code from it, and returns the user's new
    recovery codes, to be shown once. Refused for a wrong code or a confirmed device."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        if device.confirmed:
            raise TwoFactorRefused(_("Приложение-аутентификатор уже подключено."))
        refusal = _refusal(device, _normalized(code))
        if refusal is None:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user_id=device.user_id, confirmed=False).delete()
            codes = _replace_recovery_codes(device.user)
    # Raised outside the transaction, so that the failure count stays.
    if refusal is not None:
        raise TwoFactorRefused(refusal)
    return codes


def two_factor_verify(*, user: User, code: str) -> TOTPDevice | StaticDevice:
    """The user's device that accepts the code: six digits from the authenticator app (each code
    once) or one of the recovery codes (each once). Refused for a wrong or used code, and for a
    while after several wrong ones."""
    code = _normalized(code)
    model = TOTPDevice if _is_totp_code(code) else StaticDevice
    with transaction.atomic():
        # Locked, so that one code cannot pass twice in concurrent requests.
        device = model.objects.devices_for_user(user).select_for_update().order_by("pk").first()
        refusal = _("Неверный код.") if device is None else _refusal(device, code)
    if refusal is not None:
        raise TwoFactorRefused(refusal)
    return device


def _replace_recovery_codes(user: User) -> list[str]:
    device = StaticDevice.objects.filter(user=user).order_by("pk").first()
    if device is None:
        device = StaticDevice.objects.create(user=user, name="recovery codes", confirmed=True)
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_codes_generate(*, user: User) -> list[str]:
    """Replaces the user's recovery codes with new ones, returned to be shown once; the old ones
    stop working. The caller has checked that this session passed the second factor."""
    if selectors.totp_device(user=user) is None:
        raise TwoFactorRefused(_("Сначала подключите приложение-аутентификатор."))
    with transaction.atomic():
        return _replace_recovery_codes(user)


def two_factor_reset(*, user: User) -> int:
    """Removes the user's authenticator and recovery codes (an admin's action, for a lost phone):
    the user enrols again at the next request if the second factor is required, and may otherwise.
    Returns how many devices were removed."""
    with transaction.atomic():
        devices = list(devices_for_user(user, confirmed=None))
        for device in devices:
            device.delete()
    return len(devices)


# Agencies


@dataclass(frozen=True)
class NewAgency:
    code: str
    name: str
    kind: str
    abbreviation: str = ""
    by_agreement: bool = False


def agency_create(*, new: NewAgency) -> Agency:
    """A new executing body (named by a new plan, say). Refused with the reason, nothing
    written, for a code or name already taken or a field that does not validate."""
    if Agency.objects.filter(code=new.code).exists():
        raise ActionRefused(_("Ведомство с кодом «%(code)s» уже есть.") % {"code": new.code})
    agency = Agency(
        code=new.code,
        name=new.name,
        kind=new.kind,
        abbreviation=new.abbreviation,
        by_agreement=new.by_agreement,
    )
    try:
        agency.full_clean()
    except ValidationError as error:
        raise ActionRefused(f"{new.name}: {' '.join(error.messages)}") from error
    try:
        with transaction.atomic():
            agency.save()
    except IntegrityError:
        raise ActionRefused(
            _("Ведомство с кодом «%(code)s» уже есть.") % {"code": new.code}
        ) from None
    return agency
