"""A Bedarfsabfrage reaches each invited person exactly once; reminders go only to those who have not answered."""

import re

from django.core import mail
from django.urls import reverse

from surveys import services, spam
from surveys.models import SurveyPage

from .conftest import SITE_URL, ids

LINK = re.compile(re.escape(SITE_URL) + r"(/umfragen/einladung/[^\s]+/)")


def link_in(message):
    return LINK.search(message.body).group(1)


def test_members_of_two_bodies_are_invited_once_even_when_they_sit_in_both_and_when_invited_again(
    make_survey, make_body, make_user, add_member, coordinator, django_capture_on_commit_callbacks
):
    kita, schule = make_body("FG Kita"), make_body("FG Schule")
    both = make_user("leitung@kita-am-see.example.org")
    only_school = make_user("sozialarbeit@grundschule.example.org")
    add_member(both, kita)
    add_member(both, schule)
    add_member(only_school, schule)
    survey = make_survey(audience=SurveyPage.Audience.INVITED, bodies=[kita, schule])

    with django_capture_on_commit_callbacks(execute=True):
        first = services.invite(coordinator, survey, ["traeger@awo.example.org"])
    with django_capture_on_commit_callbacks(execute=True):
        second = services.invite(coordinator, survey, ["traeger@awo.example.org"])

    assert (first, second) == (3, 0)
    assert sorted(m.to[0] for m in mail.outbox) == [
        "leitung@kita-am-see.example.org",
        "sozialarbeit@grundschule.example.org",
        "traeger@awo.example.org",
    ]
    assert all(m.subject == f"Einladung zur Umfrage „{survey.title}“" for m in mail.outbox)
    assert "Die Umfrage ist anonym" in mail.outbox[0].body


def test_a_reminder_reaches_only_who_has_not_answered_and_its_link_works(
    client, make_survey, coordinator, django_capture_on_commit_callbacks
):
    survey = make_survey(audience=SurveyPage.Audience.INVITED)
    with django_capture_on_commit_callbacks(execute=True):
        services.invite(coordinator, survey, ["a@example.org", "b@example.org"])
    q = ids(survey)
    link = link_in(next(m for m in mail.outbox if m.to == ["a@example.org"]))
    client.post(link, {"page": 0, "action": "next", f"q-{q[1]}": "Schule"})
    client.post(link, {"page": 1, "action": "submit", "started": spam.started_token(), f"q-{q[4]}": "3"})
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        count = services.remind(coordinator, survey)

    assert count == 1
    assert [m.to for m in mail.outbox] == [["b@example.org"]]
    assert mail.outbox[0].subject.startswith("Erinnerung: Umfrage")
    page = client.get(link_in(mail.outbox[0]))
    assert page.status_code == 200 and "Seite 1 von 2" in page.text


def test_the_owner_invites_and_reminds_from_the_invitations_page(
    logged_in, make_survey, coordinator, django_capture_on_commit_callbacks
):
    survey = make_survey(audience=SurveyPage.Audience.INVITED)
    browser = logged_in(coordinator)
    url = reverse("surveys:invitations", args=[survey.pk])

    with django_capture_on_commit_callbacks(execute=True):
        invited = browser.post(url, {"action": "invite", "emails": "jugendhaus@example.org\nkein-mail"})
        assert invited.status_code == 200 and "keine gültige E-Mail-Adresse" in invited.text
        invited = browser.post(url, {"action": "invite", "emails": "jugendhaus@example.org"}, follow=True)

    assert "1 Einladungen sind unterwegs." in invited.text
    assert "jugendhaus@example.org" in invited.text
    assert [m.to for m in mail.outbox] == [["jugendhaus@example.org"]]
