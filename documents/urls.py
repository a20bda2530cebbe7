from django.urls import path

from . import views

app_name = "documents"

# Documents and files are addressed by random keys (models.new_key): no URL can be guessed or counted up.
urlpatterns = [
    path("gremien/<slug:slug>/", views.library, name="library"),
    path("gremien/<slug:slug>/hochladen/", views.upload, name="upload"),
    path("gremien/<slug:slug>/ordner/", views.folder_create, name="folder_create"),
    path("dokument/<slug:key>/", views.detail, name="detail"),
    path("dokument/<slug:key>/neue-version/", views.upload_version, name="upload_version"),
    path("dokument/<slug:key>/bearbeiten/", views.edit, name="edit"),
    path("datei/<slug:key>/", views.download, name="download"),
]
