from django.urls import path

from measures import views

urlpatterns = [
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/<slug:code>/", views.plan_detail, name="plan_detail"),
    path("plans/<slug:code>/measures/<str:number>/", views.measure_detail, name="measure_detail"),
]
