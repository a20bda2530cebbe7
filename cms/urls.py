from django.urls import path

from . import views

app_name = "cms"

urlpatterns = [
    path("<id:page_id>/anmelden/", views.event_register, name="event_register"),
]
