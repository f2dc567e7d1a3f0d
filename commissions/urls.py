from django.urls import path

from commissions import views

urlpatterns = [
    path("", views.meeting_list, name="meeting_list"),
    path("meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/delete/", views.meeting_delete, name="meeting_delete"),
    path("meetings/<int:pk>/protocol/", views.meeting_document, name="meeting_document"),
    path("meetings/<int:pk>/decisions/", views.decision_add, name="decision_add"),
    path("decisions/<int:pk>/", views.decision_edit, name="decision_edit"),
    path("decisions/<int:pk>/delete/", views.decision_delete, name="decision_delete"),
    path("assignments/", views.assignment_list, name="assignment_list"),
    path("assignments/<int:pk>/complete/", views.assignment_complete, name="assignment_complete"),
    path("assignments/<int:pk>/reopen/", views.assignment_reopen, name="assignment_reopen"),
    path("compliance/", views.compliance, name="commission_compliance"),
    path("regional-plans/", views.regional_plan_list, name="regional_plan_list"),
    path(
        "regional-plans/<slug:plan_code>/edit/",
        views.regional_plan_edit,
        name="regional_plan_edit",
    ),
    path(
        "regional-plans/documents/<int:pk>/",
        views.regional_plan_document,
        name="regional_plan_document",
    ),
]
