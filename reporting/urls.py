from django.urls import path

from reporting import dashboard_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("cycles/<int:cycle_pk>/start/", views.report_start, name="report_start"),
    path(
        "cycles/<int:cycle_pk>/dashboard/", dashboard_views.cycle_dashboard, name="cycle_dashboard"
    ),
    path("cycles/<int:cycle_pk>/entries.xlsx", views.cycle_entries_xlsx, name="cycle_entries_xlsx"),
    path("cycles/<int:cycle_pk>/summary/", views.summary_detail, name="summary_detail"),
    path(
        "cycles/<int:cycle_pk>/summary/generate/", views.summary_generate, name="summary_generate"
    ),
    path("cycles/<int:cycle_pk>/summary/send/", views.summary_send, name="summary_send"),
    path(
        "cycles/<int:cycle_pk>/summary/items/<int:item_pk>/",
        views.summary_item_edit,
        name="summary_item_edit",
    ),
    path("cycles/<int:cycle_pk>/summary.xlsx", views.summary_xlsx, name="summary_xlsx"),
    path("cycles/<int:cycle_pk>/summary.docx", views.summary_docx, name="summary_docx"),
    path("reports/", views.report_list, name="report_list"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/submit/", views.report_submit, name="report_submit"),
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
