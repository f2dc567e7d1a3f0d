"""Deadlines are calendar days in Kazakhstan: a thing is on time if it happens before the end of
that day in Asia/Almaty (UTC+6 until 1 March 2024, UTC+5 since: zoneinfo, never a fixed
offset)."""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The first instant after `day` ends in Kazakhstan: a thing is on time if it is before."""
    return datetime.datetime.combine(
        day + datetime.timedelta(days=1), datetime.time.min, tzinfo=ZoneInfo(settings.TIME_ZONE)
    )


def days_left(day: datetime.date, today: datetime.date | None = None) -> int:
    """Calendar days from today in Kazakhstan to `day`: 0 on the day itself, negative once it
    has passed."""
    return (day - (today or timezone.localdate())).days
