from django.urls import path

from . import views

app_name = "planning"

urlpatterns = [
    path("", views.year_list, name="year_list"),
    path("neu/", views.year_create, name="year_create"),
    path("<int:year>/", views.year_detail, name="year_detail"),
    path("<int:year>/verwalten/", views.year_manage, name="year_manage"),
    path("<int:year>/vorschlaege/", views.proposal_list, name="proposal_list"),
    path("<int:year>/vorschlaege/neu/<slug:slug>/", views.proposal_create, name="proposal_create"),
    path("<int:year>/rangliste/", views.ranking, name="ranking"),
    path("<int:year>/ergebnisse/", views.tracker, name="tracker"),
    path("vorschlaege/<int:pk>/", views.proposal_detail, name="proposal_detail"),
    path("vorschlaege/<int:pk>/bearbeiten/", views.proposal_edit, name="proposal_edit"),
    path("vorschlaege/<int:pk>/status/", views.proposal_transition, name="proposal_transition"),
    path("vorschlaege/<int:pk>/bewerten/", views.proposal_rate, name="proposal_rate"),
    path("vorschlaege/<int:pk>/umsetzungsstand/", views.proposal_report, name="proposal_report"),
]
