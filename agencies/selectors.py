"""Reads of agencies."""

from django.db.models import Count

from agencies.models import Agency


def agency_list() -> list[Agency]:
    """Every agency with the number of measures it answers for, grouped by kind."""
    return list(
        Agency.objects.select_related("parent")
        .annotate(measure_count=Count("responsibilities"))
        .order_by("kind", "name")
    )
