"""Issuing and revoking the API's tokens (the admin's actions)."""

import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import PermissionRefused
from publication.models import TOKEN_PREFIX_LENGTH, ApiToken, token_digest


def api_token_issue(*, system: str, user) -> tuple[ApiToken, str]:
    """A new token for `system`, issued by `user` (an admin): the row, which keeps only the
    token's hash, and the raw token, to be shown once and never again."""
    if not user.is_superuser:
        raise PermissionRefused(_("Ключи API выдаёт администратор."))
    raw = secrets.token_urlsafe(32)
    token = ApiToken(
        system=system.strip(),
        prefix=raw[:TOKEN_PREFIX_LENGTH],
        token_hash=token_digest(raw),
        created_by=user,
    )
    token.full_clean()
    token.save()
    return token, raw


def api_token_revoke(*, token: ApiToken, user) -> ApiToken:
    """Revoke `token`: its next request is refused. Revoking a revoked token changes nothing."""
    if not user.is_superuser:
        raise PermissionRefused(_("Ключи API отзывает администратор."))
    with transaction.atomic():
        locked = ApiToken.objects.select_for_update().get(pk=token.pk)
        if locked.revoked_at is None:
            locked.revoked_at, locked.revoked_by = timezone.now(), user
            locked.save(update_fields=["revoked_at", "revoked_by"])
    token.refresh_from_db()
    return token
