"""Documents of the body's library attached to a meeting as agenda papers: chosen in the schedule and edit
forms, listed on the meeting page with each document's own permission."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from documents import services as document_services
from meetings.models import Meeting
from tests.documents.conftest import pdf_file


@pytest.fixture
def papers(member, moderator, closed_body):
    def put(title, visibility="members", by=member):
        upload = pdf_file(f"{title}.pdf")
        return document_services.upload_document(by, closed_body, upload, title=title, visibility=visibility)

    return {
        "members": put("Haushaltsentwurf 2027"),
        "network": put("Bedarfsabfrage Kita", "network"),
        "public": put("Konzept Familienzentrum", "public", by=moderator),
    }


def test_the_moderator_chooses_papers_when_scheduling(closed_body, moderator, logged_in, papers, smtp_sink):
    browser = logged_in(moderator)
    form = browser.get(reverse("meetings:schedule", args=[closed_body.slug])).text
    assert "Sitzungsunterlagen aus der Ablage" in form and "Haushaltsentwurf 2027" in form

    day = (timezone.localdate() + timedelta(days=10)).isoformat()
    response = browser.post(
        reverse("meetings:schedule", args=[closed_body.slug]),
        {
            "title": "Haushaltsklausur",
            "start": f"{day}T09:00",
            "end": f"{day}T12:00",
            "place": "Rathaus Teltow",
            "visibility": "public",
            "reminder": "day_before",
            "documents": [papers["members"].pk, papers["public"].pk],
        },
        follow=True,
    )

    meeting = Meeting.objects.get()
    assert set(meeting.documents.all()) == {papers["members"], papers["public"]}
    assert "Sitzungsunterlagen" in response.text and "Haushaltsentwurf 2027" in response.text


def test_the_meeting_page_shows_each_paper_only_to_whoever_may_read_it(
    schedule, papers, member, professional, logged_in, client
):
    meeting = schedule(title="Offene Sitzung", visibility="public", documents=list(papers.values()))

    members_view = logged_in(member).get(meeting.get_absolute_url()).text
    professionals_view = logged_in(professional).get(meeting.get_absolute_url()).text
    public_view = client.get(meeting.get_absolute_url()).text

    for title in ("Haushaltsentwurf 2027", "Bedarfsabfrage Kita", "Konzept Familienzentrum"):
        assert title in members_view
    assert "Bedarfsabfrage Kita" in professionals_view and "Konzept Familienzentrum" in professionals_view
    assert "Haushaltsentwurf 2027" not in professionals_view
    assert "Eine weitere Unterlage ist nur für Mitglieder" in professionals_view
    assert "Konzept Familienzentrum" in public_view
    assert "Haushaltsentwurf 2027" not in public_view and "Bedarfsabfrage Kita" not in public_view
    assert "2 weitere Unterlagen sind nur für Mitglieder" in public_view
    assert papers["public"].current.get_absolute_url() in public_view


def test_editing_replaces_the_papers(schedule, papers, moderator, logged_in):
    meeting = schedule(documents=[papers["members"]])
    start = meeting.local_start
    browser = logged_in(moderator)
    form = browser.get(reverse("meetings:edit", args=[meeting.pk])).text
    assert f'value="{papers["members"].pk}"' in form and "checked" in form

    browser.post(
        reverse("meetings:edit", args=[meeting.pk]),
        {
            "title": meeting.title,
            "start": start.strftime("%Y-%m-%dT%H:%M"),
            "end": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "place": meeting.place,
            "visibility": meeting.visibility,
            "reminder": meeting.reminder,
            "documents": [papers["network"].pk],
        },
    )

    assert list(meeting.documents.all()) == [papers["network"]]


def test_papers_of_another_body_are_refused_and_nothing_is_scheduled(
    schedule, moderator, open_body, make_user, add_member
):
    person = make_user()
    add_member(person, open_body)
    outsider_document = document_services.upload_document(person, open_body, pdf_file(), title="Fremd")

    with pytest.raises(ValidationError) as refused:
        schedule(documents=[outsider_document])

    assert refused.value.message_dict["documents"] == ["Unterlagen können nur aus der Ablage dieses Gremiums kommen."]
    assert not Meeting.objects.exists()


def test_the_form_offers_only_the_bodys_own_documents(
    closed_body, open_body, moderator, logged_in, papers, make_user, add_member
):
    person = make_user()
    add_member(person, open_body)
    foreign = document_services.upload_document(person, open_body, pdf_file(), title="Papier der FG Schule")
    day = (timezone.localdate() + timedelta(days=10)).isoformat()

    response = logged_in(moderator).post(
        reverse("meetings:schedule", args=[closed_body.slug]),
        {
            "title": "Sitzung",
            "start": f"{day}T09:00",
            "end": f"{day}T10:00",
            "place": "Rathaus",
            "visibility": "members",
            "reminder": "none",
            "documents": [foreign.pk],
        },
    )

    assert response.status_code == 200 and "Papier der FG Schule" not in response.text
    assert "ist keine gültige Auswahl" in response.text
    assert not Meeting.objects.exists()
