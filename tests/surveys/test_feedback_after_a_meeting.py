"""After a meeting, those who were there get one feedback mail with a personal link; answers land in the survey
engine and its results, and the meeting page shows how many answered."""

import re

from django.urls import reverse

from meetings.models import Attendance, Guest, MeetingReply
from surveys import feedback_requests, spam
from surveys.models import Answer, FeedbackRequest, Response, SurveyPage

from .conftest import SITE_URL, ids, text_of

LINK = re.compile(re.escape(SITE_URL) + r"(/umfragen/einladung/[^\s]+/)")


def test_present_attendees_and_confirmed_guests_get_exactly_one_mail_and_absentees_none(
    make_past_meeting,
    moderator,
    member,
    make_user,
    add_member,
    closed_body,
    smtp_sink,
    django_capture_on_commit_callbacks,
):
    absent = make_user("abwesend@kita-sonnenschein.example.org")
    add_member(absent, closed_body)
    declined = make_user("abgesagt@jugendhaus.example.org")
    add_member(declined, closed_body)
    meeting = make_past_meeting()
    MeetingReply.objects.create(meeting=meeting, user=declined, answer=MeetingReply.Answer.NO)
    for person, present in ((member, True), (moderator, True), (absent, False), (declined, False)):
        Attendance.objects.create(meeting=meeting, user=person, present=present, recorded_by=moderator)
    Guest.objects.create(meeting=meeting, email="reko@landkreis.example.org", name="REKO", answer="yes")
    Guest.objects.create(meeting=meeting, email="nein@landkreis.example.org", name="Absage", answer="no")

    with django_capture_on_commit_callbacks(execute=True):
        feedback, sent = feedback_requests.request_meeting_feedback(moderator, meeting)

    assert sent == 3
    received = sorted(address for entry in smtp_sink.messages for address in entry.rcpt_tos)
    assert received == sorted([member.email, moderator.email, "reko@landkreis.example.org"])
    message = smtp_sink.to(member.email)[0]
    assert message["Subject"] == f"Ihr Feedback, bitte: {feedback.survey.title}"
    assert feedback.survey.title.startswith("Feedback: Sitzung der Lenkungsrunde am ")
    body = text_of(message)
    assert "vielen Dank, dass Sie an die Sitzung „Sitzung der Lenkungsrunde“ am" in body
    assert "Das Feedback ist anonym" in body
    assert LINK.search(body)
    links = {LINK.search(text_of(m.message)).group(1) for m in smtp_sink.messages}
    assert len(links) == 3, "each person has their own link"
    survey = feedback.survey
    assert survey.audience == SurveyPage.Audience.INVITED and survey.live and survey.is_open()


def test_without_recorded_attendance_those_who_confirmed_are_asked_not_the_waiting_list(
    make_past_meeting,
    moderator,
    member,
    make_user,
    add_member,
    closed_body,
    smtp_sink,
    django_capture_on_commit_callbacks,
):
    waiting = make_user("warteliste@example.org")
    add_member(waiting, closed_body)
    meeting = make_past_meeting()
    MeetingReply.objects.create(meeting=meeting, user=member, answer=MeetingReply.Answer.YES)
    MeetingReply.objects.create(meeting=meeting, user=waiting, answer=MeetingReply.Answer.YES, waiting_position=1)
    MeetingReply.objects.create(meeting=meeting, user=moderator, answer=MeetingReply.Answer.MAYBE)

    with django_capture_on_commit_callbacks(execute=True):
        _feedback, sent = feedback_requests.request_meeting_feedback(moderator, meeting)

    assert sent == 1
    assert [entry.rcpt_tos for entry in smtp_sink.messages] == [[member.email]]


def test_answering_through_the_link_stores_the_answers_and_the_results_and_meeting_page_show_them(
    client, logged_in, make_past_meeting, moderator, member, smtp_sink, django_capture_on_commit_callbacks
):
    meeting = make_past_meeting()
    for person in (member, moderator):
        Attendance.objects.create(meeting=meeting, user=person, present=True, recorded_by=moderator)
    moderation = logged_in(moderator)
    page = moderation.get(meeting.get_absolute_url())
    assert "Feedback anfragen" in page.text
    confirm = moderation.get(reverse("surveys:request_meeting_feedback", args=[meeting.pk]))
    assert "2 Personen erhalten je einen persönlichen Link per E-Mail" in confirm.text
    assert "laut erfasster Anwesenheit" in confirm.text

    with django_capture_on_commit_callbacks(execute=True):
        asked = moderation.post(reverse("surveys:request_meeting_feedback", args=[meeting.pk]), {}, follow=True)
    assert "Feedback ist angefragt: 2 Personen erhalten ihren persönlichen Link per E-Mail." in asked.text

    survey = FeedbackRequest.objects.get(meeting=meeting).survey
    q = ids(survey)
    link = LINK.search(text_of(smtp_sink.to(member.email)[0])).group(1)
    form = client.get(link)
    assert form.status_code == 200 and "Wie zufrieden sind Sie insgesamt mit der Sitzung?" in form.text
    done = client.post(
        link,
        {
            "page": 0,
            "action": "submit",
            "started": spam.started_token(),
            f"q-{q[1]}": "4",
            f"q-{q[2]}": "Die Runde zu den Hortplätzen",
            f"q-{q[4]}": "Schulsozialarbeit",
        },
    )
    assert done.status_code == 302
    assert Response.objects.filter(survey=survey, submitted_on__isnull=False).count() == 1
    assert Answer.objects.get(survey=survey, question=q[1]).number == 4

    results = moderation.get(reverse("surveys:results", args=[survey.pk]))
    assert results.status_code == 200
    assert "Die Runde zu den Hortplätzen" in results.text and "Schulsozialarbeit" in results.text
    meeting_page = moderation.get(meeting.get_absolute_url())
    assert "1 von 2 Antworten" in meeting_page.text
    assert reverse("surveys:results", args=[survey.pk]) in meeting_page.text
    again = client.get(link)
    assert again.status_code == 409 and "bereits teilgenommen" in again.text
