from django.urls import path

from . import views

app_name = "minutes"

urlpatterns = [
    path("gremien/<slug:slug>/", views.body_list, name="body_list"),
    path("sitzung/<id:meeting_pk>/neu/", views.create, name="create"),
    path("<id:pk>/", views.detail, name="detail"),
    path("<id:pk>/bearbeiten/", views.edit, name="edit"),
    path("<id:pk>/beschluesse/", views.decision_add, name="decision_add"),
    path("<id:pk>/aufgaben/", views.task_add, name="task_add"),
    path("<id:pk>/entfernen/", views.item_remove, name="item_remove"),
    path("<id:pk>/stand/", views.transition, name="transition"),
    path("<id:pk>/versionen/", views.revisions, name="revisions"),
    path("aufgaben/<id:pk>/erledigt/", views.task_done, name="task_done"),
]
