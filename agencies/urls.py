from django.urls import path

from agencies import views

urlpatterns = [
    path("", views.agency_list, name="agency_list"),
    path("<slug:code>/", views.agency_detail, name="agency_detail"),
]
