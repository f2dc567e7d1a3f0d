"""/api/v1/ (the API, each of its views logged: publication.http) and /public/ (the pages)."""

from django.urls import URLPattern, include, path, re_path

from publication import http, views
from publication.api import api


def _logged(patterns):
    return [
        URLPattern(p.pattern, http.logged(p.callback), p.default_args, p.name) for p in patterns
    ]


api_patterns, api_app_name, api_namespace = api.urls

urlpatterns = [
    path("api/v1/", include((_logged(api_patterns), api_app_name), namespace=api_namespace)),
    re_path(r"^api/(?P<rest>.*)$", http.not_found, name="api_not_found"),
    path("public/", views.public_plan_list, name="public_plan_list"),
    path("public/plans/<slug:code>/", views.public_plan_detail, name="public_plan_detail"),
]
