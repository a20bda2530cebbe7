"""The feedback section on the meeting page and the conference page: those apps sit below the surveys, so
their templates load this library instead of importing anything from here."""

from django import template
from django.urls import reverse
from django.utils import timezone

from .. import feedback_requests, permissions, selectors

register = template.Library()


def _panel(request, feedback, *, can_request, is_over, request_url, key, automatic=False):
    if not can_request:
        return {"can_request": False}
    return {
        "request": request,
        "can_request": True,
        "feedback": feedback,
        "counts": selectors.invitation_counts(feedback.survey) if feedback else None,
        "is_over": is_over,
        "request_url": request_url,
        "automatic": automatic,
        "delay_hours": int(feedback_requests.delay().total_seconds() // 3600),
        "key": key,
    }


@register.inclusion_tag("surveys/_feedback_panel.html", takes_context=True)
def meeting_feedback(context, meeting):
    request = context["request"]
    can_request = permissions.can_request_feedback(request.user, meeting)
    feedback = feedback_requests.request_of_meeting(meeting) if can_request else None
    return _panel(
        request,
        feedback,
        # A cancelled meeting has nobody to ask; the section would only say "later".
        can_request=can_request and (feedback is not None or not meeting.is_cancelled),
        is_over=meeting.is_past and not meeting.is_cancelled,
        request_url=reverse("surveys:request_meeting_feedback", args=[meeting.pk]),
        automatic=can_request and feedback_requests.automatic_feedback_of(meeting) is not None,
        key=f"meeting-{meeting.pk}",
    )


@register.inclusion_tag("surveys/_feedback_panel.html", takes_context=True)
def conference_feedback(context, conference):
    request = context["request"]
    can_request = permissions.can_request_conference_feedback(request.user, conference)
    return _panel(
        request,
        feedback_requests.request_of_conference(conference) if can_request else None,
        can_request=can_request,
        is_over=feedback_requests.conference_end(conference) <= timezone.now(),
        request_url=reverse("surveys:request_conference_feedback", args=[conference.year.year]),
        key=f"conference-{conference.pk}",
    )
