"""A meeting's feedback is asked once: a second request, by the service or the page, is refused with the date of
the first and sends nothing."""

from django.urls import reverse

from meetings.models import Attendance
from surveys import feedback_requests
from surveys.models import FeedbackRequest, Participant, SurveyPage


def test_a_second_request_is_refused_with_a_german_message_and_sends_no_mail(
    make_past_meeting, moderator, member, coordinator, smtp_sink, django_capture_on_commit_callbacks
):
    meeting = make_past_meeting()
    Attendance.objects.create(meeting=meeting, user=member, present=True, recorded_by=moderator)
    with django_capture_on_commit_callbacks(execute=True):
        feedback_requests.request_meeting_feedback(moderator, meeting)
    assert len(smtp_sink.messages) == 1

    with django_capture_on_commit_callbacks(execute=True):
        try:
            feedback_requests.request_meeting_feedback(coordinator, meeting)
        except feedback_requests.AlreadyRequested as refusal:
            message = " ".join(refusal.messages)
        else:
            raise AssertionError("a second request went through")

    assert message.startswith("Feedback wurde bereits am ") and "jede Person wird nur einmal gefragt" in message
    assert len(smtp_sink.messages) == 1
    assert FeedbackRequest.objects.filter(meeting=meeting).count() == 1
    assert SurveyPage.objects.filter(title__startswith="Feedback:").count() == 1
    assert Participant.objects.filter(email=member.email).count() == 1


def test_the_page_says_so_instead_of_asking_again(
    logged_in, make_past_meeting, moderator, member, smtp_sink, django_capture_on_commit_callbacks
):
    meeting = make_past_meeting()
    Attendance.objects.create(meeting=meeting, user=member, present=True, recorded_by=moderator)
    url = reverse("surveys:request_meeting_feedback", args=[meeting.pk])
    browser = logged_in(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        browser.post(url, {})

    again = browser.post(url, {})
    shown = browser.get(url)

    assert again.status_code == 409
    assert "Feedback wurde bereits am" in again.text
    assert "Feedback angefragt am" in shown.text and "0 von 1 Antworten" in shown.text
    assert "Feedback anfragen (" not in shown.text
    assert len(smtp_sink.messages) == 1


def test_a_meeting_that_has_not_ended_or_was_cancelled_or_had_nobody_is_not_asked(
    make_past_meeting, moderator, member, smtp_sink
):
    future = make_past_meeting(hours_ago=-48)
    cancelled = make_past_meeting(is_cancelled=True)
    empty = make_past_meeting()
    for meeting in (future, cancelled):
        Attendance.objects.create(meeting=meeting, user=member, present=True, recorded_by=moderator)

    refusals = []
    for meeting in (future, cancelled, empty):
        try:
            feedback_requests.request_meeting_feedback(moderator, meeting)
        except feedback_requests.ValidationError as refusal:
            refusals.append(" ".join(refusal.messages))

    assert refusals[0].startswith("Feedback gibt es erst nach dem Ende der Sitzung")
    assert refusals[1] == "Die Sitzung wurde abgesagt; zu ihr gibt es kein Feedback."
    assert refusals[2].startswith("Niemand ist als anwesend erfasst")
    assert not FeedbackRequest.objects.exists() and not smtp_sink.messages
