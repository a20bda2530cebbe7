from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("gremien/<slug:slug>/planen/", views.schedule, name="schedule"),
    path("gremien/<slug:slug>/kalender.ics", views.feed_body, name="feed_body"),
    path("", views.network_calendar, name="calendar"),
    path("kalender.ics", views.feed_network, name="feed_network"),
    path("kalender/", views.calendar_settings, name="calendar_settings"),
    path("kalender/<str:token>.ics", views.feed_personal, name="feed_personal"),
    path("antwort/<str:token>/", views.mail_reply, name="mail_reply"),
    path("gast/<str:token>/", views.guest_page, name="guest_page"),
    path("<id:pk>/", views.detail, name="detail"),
    path("<id:pk>/sitzung.ics", views.meeting_ics, name="ics"),
    path("<id:pk>/bearbeiten/", views.edit, name="edit"),
    path("<id:pk>/absagen/", views.cancel, name="cancel"),
    path("<id:pk>/antworten/", views.reply, name="reply"),
    path("<id:pk>/tagesordnung/", views.propose, name="propose"),
    path("<id:pk>/rueckmeldungen/", views.replies, name="replies"),
    path("<id:pk>/rueckmeldungen.csv", views.replies_csv, name="replies_csv"),
    path("<id:pk>/anwesenheit/", views.attendance, name="attendance"),
    path("<id:pk>/gaeste/", views.guests, name="guests"),
    path("<id:pk>/gaeste/<id:guest_pk>/entfernen/", views.guest_remove, name="guest_remove"),
]
