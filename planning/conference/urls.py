"""The conference's routes, included by planning.urls under `<year>/konferenz/` (namespace `planning`)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.conference, name="conference"),
    path("verwalten/", views.manage, name="conference_manage"),
    path("foren/neu/", views.workshop_create, name="conference_workshop_create"),
    path("foren/<id:pk>/", views.workshop_edit, name="conference_workshop_edit"),
    path("anmeldungen/", views.registrations, name="conference_registrations"),
    path("anmeldungen.csv", views.registrations_csv, name="conference_registrations_csv"),
    path("namensliste/", views.name_list, name="conference_name_list"),
    path("namensliste.pdf", views.name_list_pdf, name="conference_name_list_pdf"),
    path("namensschilder.pdf", views.badges_pdf, name="conference_badges_pdf"),
    path("bericht/", views.report, name="conference_report"),
    path("bericht-landkreis.pdf", views.county_report_pdf, name="conference_county_report"),
    path("anmeldung/<str:token>/foren/", views.wishes, name="conference_wishes"),
]
