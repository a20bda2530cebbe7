"""Guests with advisory status: invited to one meeting (with or without an account) or standing guests of a body."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from meetings import services
from meetings.models import Guest, MeetingReply

from .conftest import calendar_of, next_week_at, text_of


@pytest.fixture
def reko(make_user):
    return make_user("reko@example.org", display_name="Regionalkoordination Mittelmark")


def test_a_moderator_invites_an_existing_professional_who_then_sees_and_answers_only_that_meeting(
    schedule, moderator, professional, smtp_sink, client, django_capture_on_commit_callbacks
):
    meeting = schedule(title="Haushaltsklausur", agenda=["Bericht der Kämmerei"])
    other = schedule(title="Interne Runde", start=next_week_at(10, days=9))
    client.force_login(moderator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("meetings:guests", args=[meeting.pk]),
            {"email": professional.email.upper(), "kind": "expert", "function": "Kämmerei"},
        )

    assert response.status_code == 302
    page = client.get(reverse("meetings:guests", args=[meeting.pk])).content.decode()
    assert "Fachexpertin / Fachexperte" in page and "Kämmerei" in page
    (mail,) = smtp_sink.to(professional.email)
    calendar, part = calendar_of(mail)
    assert part.get_param("method") == "REQUEST"
    (event,) = calendar.events
    assert str(event["UID"]) == meeting.ical_uid
    client.force_login(professional)
    detail = client.get(meeting.get_absolute_url()).content.decode()
    assert "Bericht der Kämmerei" in detail and "Sie sind als Gast eingeladen (beratend)" in detail
    client.post(reverse("meetings:reply", args=[meeting.pk]), {"answer": "yes"})
    assert MeetingReply.objects.get(meeting=meeting, user=professional).answer == "yes"
    assert client.get(other.get_absolute_url()).status_code == 403
    assert client.get(reverse("meetings:replies", args=[meeting.pk])).status_code == 403
    for overview in (reverse("meetings:calendar_settings"), "/netzwerk/meine-gremien/"):
        page = client.get(overview).content.decode()
        assert "Meine Termine" in page and "Haushaltsklausur" in page and "Interne Runde" not in page


def test_a_guest_without_an_account_gets_the_calendar_file_and_answers_on_the_signed_page(
    schedule, moderator, smtp_sink, client, django_capture_on_commit_callbacks
):
    meeting = schedule(title="Fachgespräch Jugendhilfe", agenda=["Bedarfe im Kiez"])
    with django_capture_on_commit_callbacks(execute=True):
        services.invite_guest(moderator, meeting, email="expertin@example.net", name="Dr. Erika Expertin")

    (mail,) = smtp_sink.to("expertin@example.net")
    calendar, _part = calendar_of(mail)
    (event,) = calendar.events
    assert str(event["UID"]) == meeting.ical_uid
    text = text_of(mail)
    assert "Dr. Erika Expertin" in text
    link = re.search(r"Absage: (https://\S+)", text).group(1).replace("https://sozialraum.example.org", "")
    page = client.get(link)
    assert page.status_code == 200
    shown = page.content.decode()
    assert "Bedarfe im Kiez" in shown and "Einladung als Gast (beratend)" in shown
    assert not Guest.objects.get().answer, "opening the link must not answer"

    done = client.post(link.split("?")[0], {"answer": "no"})

    assert "Ihre Rückmeldung „Absage“ ist gespeichert." in done.content.decode()
    assert Guest.objects.get().answer == "no"


def test_a_forged_guest_link_gets_a_german_message(client, db):
    response = client.get(reverse("meetings:guest_page", args=["gefälscht"]))

    assert response.status_code == 400
    assert "Dieser Link ist ungültig" in response.content.decode()


def test_a_standing_guest_is_invited_to_every_coming_meeting_of_the_body_now_and_later(
    schedule, moderator, reko, smtp_sink, client, django_capture_on_commit_callbacks
):
    first = schedule(title="Lenkungsrunde Januar")
    second = schedule(title="Lenkungsrunde Februar", start=next_week_at(16, days=35))
    with django_capture_on_commit_callbacks(execute=True):
        services.invite_guest(moderator, first, email=reko.email, function="Regionalkoordination (REKO)", standing=True)
    later = schedule(title="Lenkungsrunde März", start=next_week_at(16, days=63))

    subjects = sorted(" ".join(str(mail["Subject"]).split()).split(" am ")[0] for mail in smtp_sink.to(reko.email))
    assert subjects == [
        "Einladung: Lenkungsrunde Februar",
        "Einladung: Lenkungsrunde Januar",
        "Einladung: Lenkungsrunde März",
    ]
    client.force_login(reko)
    for meeting in (first, second, later):
        assert client.get(meeting.get_absolute_url()).status_code == 200


def test_a_guest_of_one_date_of_a_series_gets_that_date_only(
    schedule, moderator, professional, smtp_sink, client, django_capture_on_commit_callbacks
):
    start = next_week_at(16)
    first = schedule(title="Jour fixe", start=start, repeat="weekly", repeat_until=(start + timedelta(days=14)).date())
    second = first.series.occurrences.order_by("start")[1]

    with django_capture_on_commit_callbacks(execute=True):
        services.invite_guest(moderator, second, email=professional.email)

    calendar, _part = calendar_of(smtp_sink.to(professional.email)[0])
    (event,) = calendar.events
    assert str(event["UID"]) == first.series.ical_uid and "RRULE" not in event
    assert event["RECURRENCE-ID"].dt == second.recurrence_id
    client.force_login(professional)
    assert client.get(first.get_absolute_url()).status_code == 403
    assert "Alle Termine der Reihe" not in client.get(second.get_absolute_url()).content.decode()


def test_removing_a_guest_ends_the_access_at_once_and_cancels_only_that_date_in_their_calendar(
    schedule, moderator, professional, client, smtp_sink, django_capture_on_commit_callbacks
):
    start = next_week_at(16)
    first = schedule(title="Jour fixe", start=start, repeat="weekly", repeat_until=(start + timedelta(days=14)).date())
    meeting = first.series.occurrences.order_by("start")[1]
    guest = services.invite_guest(moderator, meeting, email=professional.email)
    services.reply_to_meeting(professional, meeting, "yes")

    client.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("meetings:guest_remove", args=[meeting.pk, guest.pk]))

    (mail,) = smtp_sink.to(professional.email)
    calendar, _part = calendar_of(mail)
    (event,) = calendar.events
    assert calendar["METHOD"] == "CANCEL" and "RRULE" not in event
    assert str(event["UID"]) == first.series.ical_uid and event["RECURRENCE-ID"].dt == meeting.recurrence_id

    assert not Guest.objects.exists()
    assert not MeetingReply.objects.filter(user=professional).exists()
    client.force_login(professional)
    assert client.get(meeting.get_absolute_url()).status_code == 403


def test_wrong_guests_get_german_messages_and_nothing_is_stored(schedule, moderator, member):
    meeting = schedule(title="Haushaltsklausur")
    cases = [
        ({"email": member.email}, "ohnehin eingeladen"),
        ({"email": "niemand@example.net"}, "Bitte geben Sie den Namen des Gastes an"),
        ({"email": "niemand@example.net", "name": "Nora", "standing": True}, "Ständige Gäste brauchen ein Konto"),
        ({"email": "niemand@example.net", "name": "Nora", "kind": "boss"}, "Unbekannte Art"),
    ]
    for fields, message in cases:
        with pytest.raises(ValidationError) as refused:
            services.invite_guest(moderator, meeting, **fields)
        assert message in str(refused.value)
    services.invite_guest(moderator, meeting, email="nora@example.net", name="Nora")
    with pytest.raises(ValidationError) as twice:
        services.invite_guest(moderator, meeting, email="NORA@example.net", name="Nora")
    assert "bereits als Gast eingeladen" in str(twice.value)
    assert Guest.objects.count() == 1


def test_only_the_moderation_manages_guests(schedule, member, client):
    meeting = schedule()
    client.force_login(member)

    response = client.post(reverse("meetings:guests", args=[meeting.pk]), {"email": "x@example.net", "name": "X"})

    assert response.status_code == 403
    assert "Gäste laden nur die Moderation" in response.content.decode()
    assert not Guest.objects.exists()
