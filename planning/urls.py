from django.urls import include, path

from . import paper_views, views
from .conference import urls as conference_urls

app_name = "planning"

urlpatterns = [
    path("", views.year_list, name="year_list"),
    path("neu/", views.year_create, name="year_create"),
    path("ergebnisse/", views.tracker, name="tracker_all"),
    path("<id:year>/", views.year_detail, name="year_detail"),
    path("<id:year>/verwalten/", views.year_manage, name="year_manage"),
    path("<id:year>/vorschlaege/", views.proposal_list, name="proposal_list"),
    path("<id:year>/vorschlaege/neu/<slug:slug>/", views.proposal_create, name="proposal_create"),
    path("<id:year>/rangliste/", views.ranking, name="ranking"),
    path("<id:year>/ergebnisse/", views.tracker, name="tracker"),
    path("vorschlaege/<id:pk>/", views.proposal_detail, name="proposal_detail"),
    path("vorschlaege/<id:pk>/bearbeiten/", views.proposal_edit, name="proposal_edit"),
    path("vorschlaege/<id:pk>/status/", views.proposal_transition, name="proposal_transition"),
    path("vorschlaege/<id:pk>/bewerten/", views.proposal_rate, name="proposal_rate"),
    path("vorschlaege/<id:pk>/umsetzungsstand/", views.proposal_report, name="proposal_report"),
    path("<id:year>/konferenz/", include(conference_urls.urlpatterns)),
    # Planungspapier: the draft for a year, the PDF of a paper page.
    path("<id:year>/planungspapier/neu/", paper_views.paper_create, name="paper_create"),
    path("planungspapier/<id:page_id>/pdf/", paper_views.paper_pdf, name="paper_pdf"),
]
