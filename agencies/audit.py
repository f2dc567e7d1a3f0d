"""The audit trail: who did what, when and from where.

`audit_record` writes one AuditEvent. Services call it inside the transaction of the change they
make, so a rolled-back change leaves no event and a committed one always has its event. Services
do not receive the request: ClientAddressMiddleware keeps the client's address in a context
variable for the duration of each request. Sign-ins, failed sign-ins and sign-outs come from
django.contrib.auth's signals (connected in agencies.apps). `audit_events` is the search page's
read (kept here rather than in agencies.selectors, with the rest of the trail)."""

import contextvars
import datetime
import ipaddress

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from agencies.models import AuditEvent, User

Action = AuditEvent.Action
USERNAME_LENGTH = AuditEvent._meta.get_field("username").max_length
DESCRIPTION_LENGTH = AuditEvent._meta.get_field("description").max_length

_client_address: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "client_address", default=None
)


def _valid_address(value: str) -> str | None:
    # The column is `inet` on PostgreSQL: a malformed header must not fail the change it audits.
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_address(request) -> str | None:
    """The client's IP address: REMOTE_ADDR, or, when the portal runs behind its own proxy
    (AUDIT_TRUST_X_FORWARDED_FOR), the last X-Forwarded-For address — the one that proxy
    appended. Earlier addresses are whatever the client chose to send, so they are ignored."""
    if settings.AUDIT_TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            address = _valid_address(forwarded.split(",")[-1])
            if address:
                return address
    return _valid_address(request.META.get("REMOTE_ADDR") or "")


def current_client_address() -> str | None:
    """The address of the request being served; None outside requests (commands, shell)."""
    return _client_address.get()


class ClientAddressMiddleware:
    """Makes the request's client address available to services for the audit trail."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _client_address.set(client_address(request))
        try:
            return self.get_response(request)
        finally:
            _client_address.reset(token)


def audit_record(*, action, user=None, obj=None, description="", details=None) -> AuditEvent:
    """Write one event: `user` (None or anonymous for nobody) acted on `obj` (any model instance,
    or None). The address is the current request's. Call it inside the transaction of the change
    it records."""
    if user is not None and not user.is_authenticated:
        user = None
    username = user.get_username() if user is not None else ""
    return _write(action, user, username, obj, description, details)


def _write(action, user, username, obj, description, details) -> AuditEvent:
    description = description or (str(obj) if obj is not None else "")
    return AuditEvent.objects.create(
        action=action,
        user=user,
        username=username[:USERNAME_LENGTH],
        ip_address=current_client_address(),
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=obj.pk if obj is not None else None,
        description=description[:DESCRIPTION_LENGTH],
        details=details or {},
    )


# Receivers of django.contrib.auth's signals


def record_sign_in(sender, request, user, **kwargs):
    audit_record(action=Action.SIGN_IN, user=user, obj=user)


def record_sign_in_failure(sender, credentials, request=None, **kwargs):
    # Only the name tried, never the password (Django masks it in `credentials` anyway). No
    # account is linked: the name may belong to nobody.
    username = str(credentials.get(User.USERNAME_FIELD) or "")
    details = {"locked_out": True} if getattr(request, "axes_locked_out", False) else {}
    _write(Action.SIGN_IN_FAILED, None, username, None, "", details)


def record_sign_out(sender, request, user, **kwargs):
    if user is not None:  # signing out without a session is not an event
        audit_record(action=Action.SIGN_OUT, user=user, obj=user)


# The one read: the search page's


def _start_of_day(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_default_timezone())


def audit_events(
    *, search="", username="", action="", date_from=None, date_to=None
) -> QuerySet[AuditEvent]:
    """Events matching every filter given, newest first, with their users. `search` looks in the
    username, the description and the IP address; `username` is the exact name (it finds the
    events of deleted accounts and failed sign-ins too); the dates are calendar days in
    Asia/Almaty, both included."""
    events = AuditEvent.objects.select_related("user").order_by("-created_at", "-pk")
    if search:
        events = events.filter(
            Q(username__icontains=search)
            | Q(description__icontains=search)
            | Q(ip_address__icontains=search)
        )
    if username:
        events = events.filter(username=username)
    if action:
        events = events.filter(action=action)
    if date_from:
        events = events.filter(created_at__gte=_start_of_day(date_from))
    if date_to:
        events = events.filter(created_at__lt=_start_of_day(date_to + datetime.timedelta(days=1)))
    return events
