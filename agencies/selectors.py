"""Reads of agencies."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from agencies.models import Agency, AgencySuccession, User


def agency_list() -> list[Agency]:
    """Every agency with the number of measures it answers for, grouped by kind."""
    return list(
        Agency.objects.select_related("parent")
        .annotate(measure_count=Count("responsibilities"))
        .order_by("kind", "name")
    )


@dataclass
class Lineage:
    """Whom an agency carries on from, and who carries it on, with the dates."""

    predecessors: list[AgencySuccession]
    successors: list[AgencySuccession]

    def __bool__(self):
        return bool(self.predecessors or self.successors)


def agency_lineage(*, agency: Agency) -> Lineage:
    """The agency's predecessors and successors (one step each way). One query."""
    links = list(
        AgencySuccession.objects.filter(Q(predecessor=agency) | Q(successor=agency))
        .select_related("predecessor", "successor")
        .order_by("on", "pk")
    )
    return Lineage(
        predecessors=[link for link in links if link.successor_id == agency.pk],
        successors=[link for link in links if link.predecessor_id == agency.pk],
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
