from django.urls import path

from . import views

app_name = "cms"

urlpatterns = [
    path("<id:page_id>/anmelden/", views.event_register, name="event_register"),
    path("<id:page_id>/meine-anmeldung/", views.own_registration, name="own_registration"),
    path("anmeldung/<str:token>/", views.registration, name="registration"),
]
