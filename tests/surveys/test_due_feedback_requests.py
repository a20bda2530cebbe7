"""`manage.py send_due_feedback_requests` asks for feedback on past meetings of bodies (or series) with automatic
feedback, once; never on future meetings, switched-off bodies or meetings before the switch; it finishes a
request an interruption left half done without mailing anyone twice."""

from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from meetings.models import Attendance, MeetingSeries
from surveys import feedback_requests
from surveys.models import AutomaticFeedback, FeedbackRequest, Participant


def _attended(meeting, *people):
    for person in people:
        Attendance.objects.create(meeting=meeting, user=person, present=True)
    return meeting


def _run(capture):
    out = StringIO()
    with capture(execute=True):
        call_command("send_due_feedback_requests", stdout=out)
    return out.getvalue()


def test_the_command_asks_once_for_past_meetings_of_switched_on_bodies_only(
    make_past_meeting,
    make_body,
    closed_body,
    member,
    moderator,
    smtp_sink,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.SURVEYS_FEEDBACK_DELAY_HOURS = 3
    AutomaticFeedback.objects.create(body=closed_body, enabled_since=timezone.now() - timedelta(days=5))
    switched_off = make_body("FG Kita")
    AutomaticFeedback.objects.create(body=switched_off, active=False, enabled_since=timezone.now() - timedelta(days=5))
    due = _attended(make_past_meeting(hours_ago=4, title="Sitzung im Rathaus"), member, moderator)
    too_fresh = _attended(make_past_meeting(hours_ago=1, title="Gerade vorbei"), member)
    future = _attended(make_past_meeting(hours_ago=-30, title="Nächste Woche"), member)
    off = _attended(make_past_meeting(body=switched_off, hours_ago=10, title="Kita-Runde"), member)
    before_switch = _attended(make_past_meeting(hours_ago=24 * 6, title="Vor dem Einschalten"), member)
    cancelled = _attended(make_past_meeting(hours_ago=5, title="Abgesagt", is_cancelled=True), member)

    first = _run(django_capture_on_commit_callbacks)
    second = _run(django_capture_on_commit_callbacks)

    assert first.strip() == "1 Feedback-Anfrage(n), 2 Einladung(en) verschickt."
    assert second.strip() == "0 Feedback-Anfrage(n), 0 Einladung(en) verschickt."
    request = FeedbackRequest.objects.get()
    assert request.meeting == due and request.automatic and request.requested_by is None
    assert request.invitations_done_at is not None
    assert sorted(a for entry in smtp_sink.messages for a in entry.rcpt_tos) == sorted([member.email, moderator.email])
    for meeting in (too_fresh, future, off, before_switch, cancelled):
        assert not FeedbackRequest.objects.filter(meeting=meeting).exists(), meeting.title


def test_a_series_can_have_automatic_feedback_and_its_template_is_used(
    make_past_meeting, closed_body, member, smtp_sink, django_capture_on_commit_callbacks
):
    series = MeetingSeries.objects.create(
        body=closed_body,
        title="Jour fixe",
        rrule="FREQ=WEEKLY",
        first_start=timezone.now() - timedelta(days=1),
        first_end=timezone.now() - timedelta(days=1, hours=-1),
    )
    template = feedback_requests.templates_for("meeting")[0]
    AutomaticFeedback.objects.create(series=series, template=template, enabled_since=timezone.now() - timedelta(days=2))
    in_series = _attended(make_past_meeting(series=series, hours_ago=5, title="Jour fixe"), member)
    _attended(make_past_meeting(hours_ago=5, title="Einzeltermin"), member)

    _run(django_capture_on_commit_callbacks)

    request = FeedbackRequest.objects.get()
    assert request.meeting == in_series and request.template == template
    assert [entry.rcpt_tos for entry in smtp_sink.messages] == [[member.email]]


def test_an_interrupted_request_is_finished_without_mailing_anyone_twice(
    make_past_meeting, closed_body, member, moderator, smtp_sink, django_capture_on_commit_callbacks
):
    AutomaticFeedback.objects.create(body=closed_body, enabled_since=timezone.now() - timedelta(days=2))
    meeting = _attended(make_past_meeting(hours_ago=5), member, moderator)
    with django_capture_on_commit_callbacks(execute=True):
        request, _sent = feedback_requests.request_meeting_feedback(moderator, meeting)
    # As if the process had died after the first invitation: the second person has no row, the request is not done.
    Participant.objects.filter(survey=request.survey, email=moderator.email).delete()
    FeedbackRequest.objects.filter(pk=request.pk).update(invitations_done_at=None)
    smtp_sink.messages.clear()

    _run(django_capture_on_commit_callbacks)

    assert [entry.rcpt_tos for entry in smtp_sink.messages] == [[moderator.email]]
    assert FeedbackRequest.objects.get().invitations_done_at is not None
    assert Participant.objects.filter(survey=request.survey).count() == 2
