"""A closed or not yet open survey says so; its title (it may name a meeting or a body) only to the people it asks."""

from surveys.models import SurveyPage


def test_a_closed_invitation_survey_hides_its_title_from_a_stranger(client, make_survey):
    survey = make_survey(audience=SurveyPage.Audience.INVITED, title="Feedback: Klausur der Lenkungsrunde", closes=-0.5)

    page = client.get(f"/umfragen/{survey.pk}/antworten/")

    assert page.status_code == 403
    assert "Umfrage nicht geöffnet" in page.text and "geschlossen" in page.text
    assert "Klausur der Lenkungsrunde" not in page.text


def test_a_closed_members_survey_shows_its_title_to_a_member_of_its_body(logged_in, make_survey, member, closed_body):
    survey = make_survey(
        audience=SurveyPage.Audience.BODIES, bodies=[closed_body], title="Bedarfsabfrage Kita", closes=-0.5
    )

    page = logged_in(member).get(f"/umfragen/{survey.pk}/antworten/")

    assert page.status_code == 403
    assert "Bedarfsabfrage Kita" in page.text and "geschlossen" in page.text


def test_a_closed_public_survey_shows_its_title_to_everyone(client, make_survey):
    survey = make_survey(title="Bürgerumfrage Seehof", closes=-0.5)

    page = client.get(f"/umfragen/{survey.pk}/antworten/")

    assert "Bürgerumfrage Seehof" in page.text and "geschlossen" in page.text
