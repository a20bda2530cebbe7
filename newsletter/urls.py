from django.urls import include, path

from . import views

app_name = "newsletter"

urlpatterns = [
    path("anmelden/<slug:slug>/", views.subscribe, name="subscribe"),
    path("bestaetigen/<str:token>/", views.confirm, name="confirm"),
    path("verwalten/<str:token>/", views.manage, name="manage"),
    path("abmelden/<str:token>/", views.unsubscribe, name="unsubscribe"),
    # Bounce and complaint webhooks of e-mail providers, e.g. /newsletter/anymail/postmark/tracking/.
    path("anymail/", include("newsletter.webhooks")),
]
