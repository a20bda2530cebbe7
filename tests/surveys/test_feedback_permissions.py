"""Who may ask for feedback: a meeting's moderation and the coordination; the conference's only the coordination.
Everyone else gets the 403 page with the reason, and nothing is asked."""

from django.urls import reverse

from meetings.models import Attendance
from network.models import Membership
from surveys import feedback_requests
from surveys.models import FeedbackRequest, SurveyPage


def test_a_member_without_moderation_gets_403_with_the_reason_and_nothing_is_asked(
    logged_in, make_past_meeting, member, moderator, smtp_sink
):
    meeting = make_past_meeting()
    Attendance.objects.create(meeting=meeting, user=member, present=True, recorded_by=moderator)
    url = reverse("surveys:request_meeting_feedback", args=[meeting.pk])
    browser = logged_in(member)

    page, posted = browser.get(url), browser.post(url, {})

    for response in (page, posted):
        assert response.status_code == 403
        assert "Feedback zu einer Sitzung fragen die Moderation des Gremiums und die Sozialraumkoordination an." in (
            response.text
        )
    assert not FeedbackRequest.objects.exists() and not smtp_sink.messages
    assert "Feedback anfragen" not in browser.get(meeting.get_absolute_url()).text


def test_the_moderator_of_another_body_may_not_and_the_coordination_may(
    logged_in,
    make_past_meeting,
    make_user,
    make_body,
    add_member,
    member,
    moderator,
    coordinator,
    smtp_sink,
    django_capture_on_commit_callbacks,
):
    other = make_user("moderation@fg-kita.example.org")
    add_member(other, make_body("FG Kita"), Membership.Role.MODERATOR)
    meeting = make_past_meeting()
    Attendance.objects.create(meeting=meeting, user=member, present=True, recorded_by=moderator)
    url = reverse("surveys:request_meeting_feedback", args=[meeting.pk])

    assert logged_in(other).post(url, {}).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        assert logged_in(coordinator).post(url, {}).status_code == 302
    assert FeedbackRequest.objects.get().requested_by == coordinator


def test_the_whole_moderation_of_the_body_sees_the_results_of_an_automatic_feedback(
    logged_in, make_past_meeting, member, moderator, make_user, smtp_sink, django_capture_on_commit_callbacks
):
    meeting = make_past_meeting()
    Attendance.objects.create(meeting=meeting, user=member, present=True, recorded_by=moderator)
    with django_capture_on_commit_callbacks(execute=True):
        request, _sent = feedback_requests._request_for_meeting(meeting, None, None)
    results = reverse("surveys:results", args=[request.survey.pk])

    assert logged_in(moderator).get(results).status_code == 200
    refused = logged_in(member).get(results)
    assert refused.status_code == 403 and "Die Auswertung dieser Umfrage sehen" in refused.text


def test_the_feedback_page_of_a_members_meeting_is_hidden_from_outsiders_and_the_search(
    client, logged_in, make_past_meeting, member, moderator, professional, smtp_sink, django_capture_on_commit_callbacks
):
    meeting = make_past_meeting(title="Klausur der Lenkungsrunde")
    Attendance.objects.create(meeting=meeting, user=member, present=True, recorded_by=moderator)
    with django_capture_on_commit_callbacks(execute=True):
        request, _sent = feedback_requests.request_meeting_feedback(moderator, meeting)
    url = request.survey.url

    anonymous = client.get(url)
    assert anonymous.status_code in (302, 404) and "Klausur" not in anonymous.text
    assert logged_in(professional).get(url).status_code == 404
    shown = logged_in(member).get(url)
    assert shown.status_code == 200 and "Feedback: Klausur der Lenkungsrunde" in shown.text
    # The site search and page lists take only public pages.
    assert not SurveyPage.objects.live().public().filter(pk=request.survey.pk).exists()
