"""A personal survey can be saved half filled, continued later from the mail link, and changed until it closes."""

from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from surveys import services, spam
from surveys.models import Participant, Response, SurveyPage

from .conftest import ids


def test_an_invitee_saves_continues_in_another_browser_and_edits_the_sent_answer(make_survey, coordinator):
    survey = make_survey(audience=SurveyPage.Audience.INVITED, anonymity=SurveyPage.Anonymity.PERSONAL)
    services.invite(coordinator, survey, ["kita-leitung@example.org"])
    participant = Participant.objects.get(survey=survey)
    link = reverse("surveys:invitation", args=[services.tokens.make_token(participant)])
    q = ids(survey)

    saved = Client().post(link, {"page": 0, "action": "save", f"q-{q[1]}": "Kita", f"q-{q[2]}": "35", "consent": "on"})
    assert saved.status_code == 302
    draft = Response.objects.get(survey=survey)
    assert draft.submitted_on is None and draft.consent_version == survey.consent_version

    later = Client()
    page = later.get(link)
    assert "Sie setzen Ihre zwischengespeicherten Antworten fort." in page.text
    assert 'value="35"' in page.text
    later.post(link, {"page": 0, "action": "next", f"q-{q[1]}": "Kita", f"q-{q[2]}": "35", "consent": "on"})
    sent = later.post(
        link, {"page": 1, "action": "submit", f"q-{q[4]}": "2", "consent": "on", "started": spam.started_token()}
    )
    assert sent.status_code == 302
    participant.refresh_from_db()
    assert participant.answered

    editing = Client()
    page = editing.get(link)
    assert "Sie können Ihre Antworten bis zum Ende der Umfrage ändern" in page.text
    editing.post(link, {"page": 0, "action": "next", f"q-{q[1]}": "Kita", f"q-{q[2]}": "40", "consent": "on"})
    editing.post(link, {"page": 1, "action": "submit", f"q-{q[4]}": "5", "consent": "on"})

    response = Response.objects.get(survey=survey)
    assert response.participant == participant
    assert response.answers.get(question=q[2]).number == 40
    assert response.answers.get(question=q[4]).number == 5


def test_after_the_survey_closes_the_answer_can_no_longer_be_changed(make_survey, coordinator, make_user):
    person = make_user()
    survey = make_survey(audience=SurveyPage.Audience.MEMBERS, anonymity=SurveyPage.Anonymity.PERSONAL)
    q = ids(survey)
    services.submit(person, survey, {q[1]: {"choice": "Schule", "other": ""}, q[4]: 3}, consent=True)
    SurveyPage.objects.filter(pk=survey.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    survey.refresh_from_db()
    browser = Client()
    browser.force_login(person)

    page = browser.post(reverse("surveys:answer", args=[survey.pk]), {"page": 1, "action": "submit", f"q-{q[4]}": "1"})

    assert page.status_code == 403 and "geschlossen" in page.text
    assert Response.objects.get(survey=survey).answers.get(question=q[4]).number == 3
