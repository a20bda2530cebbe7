from django.urls import path

from . import feedback_views

app_name = "feedback"

urlpatterns = [
    path("", feedback_views.feedback, name="form"),
    path("eingang/", feedback_views.feedback_inbox, name="inbox"),
]
