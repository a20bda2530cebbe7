"""An anonymous survey stores nothing that identifies the respondent: asserted on every row written."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from surveys import services, spam
from surveys.models import Answer, Participant, Response, SurveyPage

from .conftest import full_answers, ids


def test_an_invited_anonymous_answer_keeps_only_answered_yes_beside_the_person(
    client, make_survey, make_user, open_body, add_member
):
    person = make_user("leitung@kita-sonnenschein.example.org")
    add_member(person, open_body)
    coordinator_survey = make_survey(audience=SurveyPage.Audience.INVITED, bodies=[open_body])
    services.invite(coordinator_survey.owner, coordinator_survey)
    participant = Participant.objects.get(survey=coordinator_survey)
    q = ids(coordinator_survey)
    link = reverse("surveys:invitation", args=[services.tokens.make_token(participant)])

    client.post(link, {"page": 0, "action": "next", f"q-{q[1]}": "Kita"}, REMOTE_ADDR="198.51.100.23")
    done = client.post(
        link,
        {"page": 1, "action": "submit", "started": spam.started_token(), f"q-{q[4]}": "5"},
        REMOTE_ADDR="198.51.100.23",
    )

    assert done.status_code == 302
    response = Response.objects.get(survey=coordinator_survey)
    assert response.user_id is None and response.participant_id is None
    assert response.consent_text == "" and response.consent_given_at is None
    assert response.submitted_on == timezone.localdate()
    # Every column of the response and its answers: no person, no address, no moment finer than the day.
    row_values = [str(v) for v in Response.objects.filter(pk=response.pk).values().get().values()]
    row_values += [str(v) for a in Answer.objects.filter(response=response).values() for v in a.values()]
    for forbidden in (person.email, str(person.pk) + "@", "198.51.100.23", participant.nonce):
        assert not any(forbidden in value for value in row_values)
    assert Response.objects.filter(pk=response.pk, consent_given_at__isnull=True).exists()
    # The invitation knows only that the person answered.
    assert Participant.objects.filter(pk=participant.pk).values_list("answered", flat=True).get() is True


def test_a_members_anonymous_survey_links_the_person_to_nothing_but_answered(make_user, make_survey):
    person = make_user("fachkraft@jugendhaus.example.org")
    survey = make_survey(audience=SurveyPage.Audience.MEMBERS)

    services.submit(person, survey, full_answers(survey))

    response = Response.objects.get(survey=survey)
    assert (response.user_id, response.participant_id, response.body_id) == (None, None, None)
    assert Participant.objects.filter(survey=survey, user=person, answered=True).exists()


def test_a_personal_survey_stores_the_person_and_the_consent_text_with_its_version(make_user, make_survey):
    person = make_user("beratung@example.org")
    survey = make_survey(audience=SurveyPage.Audience.MEMBERS, anonymity=SurveyPage.Anonymity.PERSONAL)

    services.submit(person, survey, full_answers(survey), consent=True)

    response = Response.objects.get(survey=survey)
    assert response.user == person
    assert response.consent_text == survey.effective_consent_text
    assert response.consent_version == survey.consent_version and len(response.consent_version) == 12
    assert response.consent_given_at is not None


def test_a_personal_survey_refuses_answers_without_consent(make_user, make_survey):
    person = make_user()
    survey = make_survey(audience=SurveyPage.Audience.MEMBERS, anonymity=SurveyPage.Anonymity.PERSONAL)

    with pytest.raises(ValidationError, match="willigen Sie ein"):
        services.submit(person, survey, full_answers(survey), consent=False)
    assert not Response.objects.exists()
