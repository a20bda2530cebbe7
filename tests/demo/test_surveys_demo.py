"""The demo shows a finished survey with published results and an open one, marked as example data."""

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from network.models import User
from surveys.models import Response, SurveyPage


@pytest.fixture
def seeded(db):
    call_command("seed_demo", verbosity=0)


def test_the_demo_has_a_finished_survey_with_public_results_and_an_open_one(seeded):
    finished = SurveyPage.objects.get(slug="buergerumfrage-spielplaetze")
    still_open = SurveyPage.objects.get(slug="bedarfsabfrage-sprachfoerderung")
    visitor = Client()

    results = visitor.get(reverse("surveys:public_results", args=[finished.pk]))
    assert results.status_code == 200
    assert "Wie zufrieden sind Sie mit den Spielplätzen" in results.text
    assert "Ein Treffpunkt für Jugendliche" in results.text or "Am Spielplatz in der Ruhlsdorfer" in results.text
    assert "Beispieldaten" in visitor.get(finished.url).text
    assert finished.has_closed() and still_open.is_open()
    assert Response.objects.filter(survey=still_open).count() == 7

    member = Client()
    member.force_login(User.objects.get(email="fachkraft@example.org"))
    assert "Seite 1 von 2" in member.get(reverse("surveys:answer", args=[still_open.pk])).text
