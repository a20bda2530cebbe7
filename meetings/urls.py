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
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/sitzung.ics", views.meeting_ics, name="ics"),
    path("<int:pk>/bearbeiten/", views.edit, name="edit"),
    path("<int:pk>/absagen/", views.cancel, name="cancel"),
    path("<int:pk>/antworten/", views.reply, name="reply"),
    path("<int:pk>/tagesordnung/", views.propose, name="propose"),
    path("<int:pk>/rueckmeldungen/", views.replies, name="replies"),
    path("<int:pk>/rueckmeldungen.csv", views.replies_csv, name="replies_csv"),
    path("<int:pk>/anwesenheit/", views.attendance, name="attendance"),
]
