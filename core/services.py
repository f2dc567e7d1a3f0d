"""Writes every app shares."""

from django.db.models import F
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from core.exceptions import EditConflict, Gone


def locked_row(queryset, pk, *, gone: str | Promise):
    """The row `pk` of `queryset`, locked until the transaction ends (SELECT … FOR UPDATE on
    PostgreSQL; SQLite's IMMEDIATE transactions hold the whole database). Gone with the message
    `gone` if it was deleted meanwhile: a request that lost the race to a deletion says so and
    changes nothing. Lock a parent before its children, as every service here does."""
    try:
        return queryset.select_for_update(of=("self",)).get(pk=pk)
    except queryset.model.DoesNotExist:
        raise Gone(str(gone)) from None


def claim_version(model, pk, version, *, gone: str | Promise):
    """The row of `model` (an EditedByPeople), its version moved on, if it is still at `version`
    (the one the user started from); EditConflict with what is stored now otherwise, and Gone
    with the message `gone` if the row was deleted meanwhile. The conditional UPDATE is the
    guard: of two concurrent saves from one version, only one moves it. Call it inside the
    change's transaction."""
    moved = model.objects.filter(pk=pk, version=version).update(version=F("version") + 1)
    current = model.objects.select_related("updated_by").filter(pk=pk).first()
    if current is None:
        raise Gone(str(gone))
    if not moved:
        raise EditConflict(
            _("Пока вы редактировали, строку сохранил другой пользователь."), current
        )
    return current
