from django.urls import path

from . import feedback_request_views, views

app_name = "surveys"

urlpatterns = [
    path("<id:pk>/antworten/", views.answer, name="answer"),
    path("einladung/<str:token>/", views.invitation, name="invitation"),
    path("<id:pk>/danke/", views.thanks, name="thanks"),
    path("<id:pk>/ergebnisse/", views.public_results, name="public_results"),
    path("<id:pk>/auswertung/", views.results, name="results"),
    path("<id:pk>/auswertung/antworten.csv", views.export_csv, name="export_csv"),
    path("<id:pk>/auswertung/antworten.xlsx", views.export_xlsx, name="export_xlsx"),
    path("<id:pk>/auswertung/freitexte/", views.moderate, name="moderate"),
    path("<id:pk>/auswertung/veroeffentlichen/", views.publish, name="publish"),
    path("<id:pk>/einladungen/", views.invitations, name="invitations"),
    path(
        "feedback/sitzung/<id:pk>/",
        feedback_request_views.request_meeting_feedback,
        name="request_meeting_feedback",
    ),
    path(
        "feedback/konferenz/<id:year>/",
        feedback_request_views.request_conference_feedback,
        name="request_conference_feedback",
    ),
]
