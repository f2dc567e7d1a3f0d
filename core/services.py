"""Writes every app shares."""

from django.db.models import F
from django.utils.translation import gettext as _

from core.exceptions import EditConflict


def claim_version(model, pk, version):
    """The row of `model` (an EditedByPeople), its version moved on, if it is still at `version`
    (the one the user started from); EditConflict with what is stored now otherwise. The
    conditional UPDATE is the guard: of two concurrent saves from one version, only one moves
    it. Call it inside the change's transaction."""
    moved = model.objects.filter(pk=pk, version=version).update(version=F("version") + 1)
    current = model.objects.select_related("updated_by").get(pk=pk)
    if not moved:
        raise EditConflict(
            _("Пока вы редактировали, строку сохранил другой пользователь."), current
        )
    return current
