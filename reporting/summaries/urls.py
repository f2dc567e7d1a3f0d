from django.urls import path

from reporting.summaries import views

urlpatterns = [
    path("cycles/<int:cycle_pk>/dashboard/", views.cycle_dashboard, name="cycle_dashboard"),
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
]
