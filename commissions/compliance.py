"""The Resolution's periodic obligations as dates: the half-years in which every commission must
meet at least once (measure 1), and the month the akimats had to approve their regional plans
(clause 2). Days are calendar days in Kazakhstan (Asia/Almaty)."""

import calendar
import datetime
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True, order=True)
class HalfYear:
    year: int
    half: int  # 1: January–June, 2: July–December

    @classmethod
    def of(cls, day: datetime.date) -> "HalfYear":
        return cls(day.year, 1 if day.month <= 6 else 2)

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, 1 if self.half == 1 else 7, 1)

    @property
    def end(self) -> datetime.date:
        """The last day of the half-year (30 June or 31 December)."""
        return (
            datetime.date(self.year, 6, 30) if self.half == 1 else datetime.date(self.year, 12, 31)
        )

    @property
    def label(self) -> str:
        if self.half == 1:
            return str(_("I полугодие %(year)s")) % {"year": self.year}
        return str(_("II полугодие %(year)s")) % {"year": self.year}

    @property
    def key(self) -> str:
        return f"{self.year}-h{self.half}"

    def next(self) -> "HalfYear":
        return HalfYear(self.year, 2) if self.half == 1 else HalfYear(self.year + 1, 1)

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end


def plan_half_years(plan) -> list["HalfYear"]:
    """The half-years of measure 1's obligation: from the one in which the Resolution was
    adopted (the second half of 2018 for Resolution No. 609) to the last of the plan's years."""
    half, last = HalfYear.of(plan.resolution_date), HalfYear(plan.end_year, 2)
    halves = []
    while half <= last:
        halves.append(half)
        half = half.next()
    return halves


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later; the month's last day where it has no such day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def regional_plans_due(plan) -> datetime.date:
    """Clause 2: "в месячный срок" from the Resolution. A period of a month ends on the same day
    of the next month: 1 November 2018 for the Resolution of 1 October 2018. A plan approved on
    that day is on time."""
    return add_months(plan.resolution_date, 1)
