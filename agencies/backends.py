from django.contrib.auth.backends import ModelBackend

from agencies.models import User


class AgencyModelBackend(ModelBackend):
    """Django's backend, fetching the user's agency with the user: every page shows it."""

    def get_user(self, user_id):
        try:
            user = User._default_manager.select_related("agency").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
