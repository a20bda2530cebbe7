from django.urls import path
from django.views.generic import RedirectView

from . import privacy_views, views

app_name = "network"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="network:body_list"), name="index"),
    path("gremien/", views.body_list, name="body_list"),
    path("gremien/<slug:slug>/", views.body_detail, name="body_detail"),
    path("gremien/<slug:slug>/beitreten/", views.body_join, name="body_join"),
    path("gremien/<slug:slug>/austreten/", views.body_leave, name="body_leave"),
    path("gremien/<slug:slug>/verwalten/", views.body_manage, name="body_manage"),
    path("anfragen/<id:pk>/entscheiden/", views.join_request_decide, name="join_request_decide"),
    path("mitgliedschaften/<id:pk>/", views.membership_update, name="membership_update"),
    path("einladungen/<id:pk>/zuruecknehmen/", views.invitation_revoke, name="invitation_revoke"),
    path("einladung/<str:token>/", views.invitation, name="invitation"),
    path("meine-gremien/", views.my_bodies, name="my_bodies"),
    path("organisationen/", views.organisation_list, name="organisation_list"),
    path("organisationen/<slug:slug>/", views.organisation_detail, name="organisation_detail"),
    path("personen/<id:pk>/", views.person_detail, name="person_detail"),
    path("personen/<id:pk>/bild/", views.person_avatar, name="person_avatar"),
    path("netzwerkkarte/", views.network_map, name="network_map"),
    path("quartiere/", views.district_list, name="district_list"),
    path("quartiere/neu/", views.district_create, name="district_create"),
    path("quartiere/<slug:slug>/", views.district_detail, name="district_detail"),
    path("quartiere/<slug:slug>/bearbeiten/", views.district_edit, name="district_edit"),
    path("profil/", views.profile, name="profile"),
    path("profil/meine-daten/", privacy_views.personal_data, name="personal_data"),
    path("profil/meine-daten/herunterladen/", privacy_views.personal_data_download, name="personal_data_download"),
    path("profil/konto-loeschen/", privacy_views.delete_account, name="delete_account"),
    path("freigaben/", views.approvals, name="approvals"),
]
