from django.urls import path

from . import views

app_name = "notices"

urlpatterns = [
    path("", views.notice_list, name="list"),
    path("<id:pk>/", views.notice_open, name="open"),
    path("alle-gelesen/", views.mark_all_read, name="mark_all_read"),
]
