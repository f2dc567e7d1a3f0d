"""Reads of agencies."""

from django.conf import settings
from django.db.models import Count
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from agencies.models import Agency, User


def agency_list() -> list[Agency]:
    """Every agency with the number of measures it answers for, grouped by kind."""
    return list(
        Agency.objects.select_related("parent")
        .annotate(measure_count=Count("responsibilities"))
        .order_by("kind", "name")
    )


def two_factor_required(user: User) -> bool:
    """Whether the user must sign in with a second factor: the secretariat and whoever can open
    the admin site (settings.OTP_REQUIRED_FOR_PRIVILEGED; officers and observers may choose)."""
    return settings.OTP_REQUIRED_FOR_PRIVILEGED and (
        user.is_superuser or user.is_staff or user.role == User.Role.SECRETARIAT
    )


def totp_device(*, user: User, confirmed: bool = True) -> TOTPDevice | None:
    """The user's authenticator app, confirmed by a first code (or the one awaiting it)."""
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("pk").first()


def recovery_codes_left(*, user: User) -> int:
    """How many of the user's single-use recovery codes are unused."""
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
