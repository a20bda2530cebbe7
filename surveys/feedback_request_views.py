"""Asking attendees for feedback: the confirmation page (how many people, which template) and its POST.

GET shows who would be asked or, once asked, the state; POST asks and goes back to the meeting or
conference page. A refusal (asked already, meeting not over, nobody there) re-renders the page with the
reason and changes nothing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings.models import Meeting
from planning.models import Conference

from . import feedback_requests, permissions, selectors
from .forms import FeedbackRequestForm
from .models import FeedbackTemplate


def _answer(request, *, subject, back_url, existing, attendees, templates, ask):
    form = FeedbackRequestForm(request.POST if request.method == "POST" else None, templates=templates)
    status, error = 200, ""
    if request.method == "POST" and form.is_valid():
        try:
            _created, sent = ask(form.cleaned_data["template"])
        except feedback_requests.AlreadyRequested as refusal:
            error, status = " ".join(refusal.messages), 409
        except ValidationError as refusal:
            error, status = " ".join(refusal.messages), 400
        else:
            messages.success(
                request,
                _("Feedback ist angefragt: %(count)d Personen erhalten ihren persönlichen Link per E-Mail.")
                % {"count": sent},
            )
            return redirect(back_url)
    elif request.method == "POST":
        status = 400
    if existing is None:
        existing = subject["existing"]()
    return render(
        request,
        "surveys/feedback_request.html",
        {
            "subject": subject,
            "back_url": back_url,
            "feedback": existing,
            "counts": selectors.invitation_counts(existing.survey) if existing else None,
            "attendees": attendees,
            "form": form,
            "error": error,
        },
        status=status,
    )


@login_required
def request_meeting_feedback(request, pk):
    meeting = get_object_or_404(Meeting.objects.select_related("body"), pk=pk)
    permissions.check_request_feedback(request.user, meeting)
    existing = feedback_requests.request_of_meeting(meeting)
    return _answer(
        request,
        subject={
            "title": _("Feedback zur Sitzung „%(title)s“") % {"title": meeting.title},
            "name": str(meeting),
            "is_over": meeting.is_past and not meeting.is_cancelled,
            "existing": lambda: feedback_requests.request_of_meeting(meeting),
        },
        back_url=meeting.get_absolute_url(),
        existing=existing,
        attendees=None if existing else feedback_requests.meeting_attendees(meeting),
        templates=feedback_requests.templates_for(FeedbackTemplate.Kind.MEETING),
        ask=lambda template: feedback_requests.request_meeting_feedback(request.user, meeting, template),
    )


@login_required
def request_conference_feedback(request, year):
    conference = Conference.objects.select_related("year", "event").filter(year__year=year).first()
    if conference is None:
        raise Http404(_("Für dieses Planungsjahr ist keine Sozialraumkonferenz eingerichtet."))
    permissions.check_request_conference_feedback(request.user, conference)
    existing = feedback_requests.request_of_conference(conference)
    return _answer(
        request,
        subject={
            "title": _("Feedback zur %(conference)s") % {"conference": conference},
            "name": conference.event.title,
            "is_over": feedback_requests.conference_end(conference) <= timezone.now(),
            "existing": lambda: feedback_requests.request_of_conference(conference),
        },
        back_url=conference.get_absolute_url(),
        existing=existing,
        attendees=None if existing else feedback_requests.conference_attendees(conference),
        templates=feedback_requests.templates_for(FeedbackTemplate.Kind.CONFERENCE),
        ask=lambda template: feedback_requests.request_conference_feedback(request.user, conference, template),
    )
