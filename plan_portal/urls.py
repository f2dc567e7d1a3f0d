from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from agencies import audit_views
from agencies.forms import SignInForm

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            redirect_authenticated_user=True, authentication_form=SignInForm
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", include("agencies.account_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("agencies/", include("agencies.urls")),
    path("audit/", audit_views.audit_log, name="audit_log"),
    path("commissions/", include("commissions.urls")),
    path("", include("publication.urls")),
    path("", include("measures.urls")),
    path("", include("reporting.urls")),
    path("", include("reporting.summaries.urls")),
]

if settings.BENCHMARK_FLOOR:  # benchmarks/run only (benchmarks/README.md)
    from plan_portal.benchmark_views import benchmark_floor

    urlpatterns.insert(0, path("benchmark/floor/", benchmark_floor, name="benchmark_floor"))
