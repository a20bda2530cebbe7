"""Invitation mails: MJML HTML and a text part, one-click reply links, notification settings respected."""

import re

from meetings import services
from meetings.models import MeetingReply
from network.models import User

from .conftest import html_of, text_of


def test_members_get_an_invitation_with_text_html_agenda_and_reply_links(schedule, member, smtp_sink, client):
    schedule(title="Jahresplanung", agenda=["Begrüßung", "Bericht der Fokusgruppen"], place="Rathaus Teltow")

    (mail,) = smtp_sink.to(member.email)
    text, html = text_of(mail), html_of(mail)

    assert "Einladung: Jahresplanung" in str(mail["Subject"])
    for part in (text, html):
        assert "Jahresplanung" in part and "Rathaus Teltow" in part and "Bericht der Fokusgruppen" in part
    assert "<mjml" not in html and "<table" in html  # compiled MJML
    links = re.findall(r"https://sozialraum\.example\.org/sitzungen/antwort/[^/\s]+/", text)
    assert len(links) == 3


def test_the_mail_link_asks_first_and_answers_only_on_the_button(schedule, member, smtp_sink, client):
    meeting = schedule()
    text = text_of(smtp_sink.to(member.email)[0])
    no_link = re.search(r"Absage: (https://\S+)", text).group(1).replace("https://sozialraum.example.org", "")

    shown = client.get(no_link)
    assert shown.status_code == 200
    assert "„Absage“ bestätigen" in shown.content.decode()
    assert not MeetingReply.objects.exists(), "a link scanner's GET must not answer"

    confirmed = client.post(no_link)
    assert "Ihre Rückmeldung „Absage“ ist gespeichert." in confirmed.content.decode()
    assert MeetingReply.objects.get(meeting=meeting, user=member).answer == "no"


def test_a_forged_or_expired_link_gets_a_german_400_and_stores_nothing(schedule, member, smtp_sink, client, settings):
    schedule()
    text = text_of(smtp_sink.to(member.email)[0])
    link = re.search(r"Zusage: (https://\S+)", text).group(1).replace("https://sozialraum.example.org", "")
    forged = link[:-6] + ("AAAAA/" if not link.endswith("AAAAA/") else "BBBBB/")

    for method in (client.get, client.post):
        response = method(forged)
        assert response.status_code == 400
        assert "Dieser Rückmelde-Link ist ungültig." in response.content.decode()

    settings.MEETINGS_REPLY_LINK_DAYS = -1
    response = client.post(link)
    assert response.status_code == 400
    assert "Dieser Rückmelde-Link ist abgelaufen." in response.content.decode()
    assert not MeetingReply.objects.exists()


def test_a_link_of_a_cancelled_meeting_explains_instead_of_answering(schedule, moderator, member, smtp_sink, client):
    meeting = schedule()
    text = text_of(smtp_sink.to(member.email)[0])
    link = re.search(r"Zusage: (https://\S+)", text).group(1).replace("https://sozialraum.example.org", "")
    services.cancel_meeting(moderator, meeting)

    response = client.post(link)
    assert response.status_code == 403
    assert "Diese Sitzung wurde abgesagt; Rückmeldungen sind nicht mehr möglich." in response.content.decode()
    assert not MeetingReply.objects.exists()


def test_people_who_want_no_mails_and_outsiders_get_none(
    schedule, make_user, add_member, closed_body, member, smtp_sink
):
    quiet = make_user("ruhe@example.org", notify_by_email=User.Delivery.NEVER)
    add_member(quiet, closed_body)
    outsider = make_user("aussen@example.org")

    schedule()

    assert len(smtp_sink.to(member.email)) == 1
    assert smtp_sink.to(quiet.email) == []
    assert smtp_sink.to(outsider.email) == []


def test_every_member_and_the_moderation_get_exactly_one_invitation(
    schedule, make_user, add_member, closed_body, smtp_sink
):
    for number in range(5):
        add_member(make_user(f"m{number}@example.org"), closed_body)

    schedule()

    received = sorted(address for entry in smtp_sink.messages for address in entry.rcpt_tos)
    assert len(received) == len(set(received)) == 7  # five new members, the member and the moderator
