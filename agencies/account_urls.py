"""The signed-in user's own account: the security page and the second factor of sign-in."""

from django.urls import path

from agencies import views

urlpatterns = [
    path("security/", views.security, name="security"),
    path("two-factor/", views.two_factor_verify, name="two_factor_verify"),
    path("two-factor/enrol/", views.two_factor_enrol, name="two_factor_enrol"),
    path("two-factor/recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path(
        "two-factor/recovery-codes/new/",
        views.recovery_codes_generate,
        name="recovery_codes_generate",
    ),
]
