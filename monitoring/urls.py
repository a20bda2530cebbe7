from django.urls import path

from . import views

app_name = "monitoring"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("indikatoren/<slug:slug>/", views.indicator_detail, name="indicator_detail"),
    path("verwalten/", views.manage, name="manage"),
    path("verwalten/indikatoren/neu/", views.indicator_create, name="indicator_create"),
    path("verwalten/indikatoren/<slug:slug>/", views.indicator_edit, name="indicator_edit"),
    path("verwalten/indikatoren/<slug:slug>/werte/", views.values_edit, name="values_edit"),
    path("verwalten/import/", views.import_values, name="import"),
]
