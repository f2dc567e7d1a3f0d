from django.urls import path

from reporting import views

urlpatterns = [
    path("", views.home, name="home"),
    path("cycles/<int:cycle_pk>/start/", views.report_start, name="report_start"),
    path("reports/", views.report_list, name="report_list"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/submit/", views.report_submit, name="report_submit"),
    path("reports/<int:pk>/workbook/", views.report_workbook, name="report_workbook"),
    path("reports/<int:pk>/upload/", views.report_upload, name="report_upload"),
    path("reports/<int:pk>/accept/", views.report_accept, name="report_accept"),
    path("reports/<int:pk>/return/", views.report_return, name="report_return"),
    path("reports/<int:pk>/reopen/", views.report_reopen, name="report_reopen"),
    path("reports/<int:pk>/entries/add/", views.entry_add, name="entry_add"),
    path("reports/<int:pk>/entries/<int:entry_pk>/", views.entry_edit, name="entry_edit"),
    path(
        "reports/<int:pk>/entries/<int:entry_pk>/remove/", views.entry_remove, name="entry_remove"
    ),
    path("documents/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("documents/<int:pk>/delete/", views.attachment_delete, name="attachment_delete"),
]
