import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.permissions import attempt, message_of
from network.models import NetworkBody, User

from . import calendar_page, ics, permissions, selectors, services, tokens
from .forms import (
    AgendaProposalForm,
    AttendanceForm,
    CancelForm,
    GuestForm,
    MeetingForm,
    ReplyForm,
    ScheduleForm,
    SeriesMeetingForm,
)
from .models import BERLIN, CalendarFeedToken, Guest, Meeting, MeetingReply


def _meeting(pk):
    return get_object_or_404(Meeting.objects.select_related("body", "organisation", "series"), pk=pk)


def _require(request, check, *args):
    """Anonymous visitors are asked to log in; logged-in people get the 403 page with the reason."""
    try:
        check(request.user, *args)
    except PermissionDenied:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise
    return None


def _add_errors(form, error):
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            for item in errors:
                form.add_error(field if field in form.fields else None, item)
    else:
        form.add_error(None, error)


def schedule(request, slug):
    body = get_object_or_404(NetworkBody, slug=slug)
    if denied := _require(request, permissions.check_schedule, body):
        return denied
    form = ScheduleForm(request.POST or None, body=body)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.schedule_meeting(
                request.user,
                body,
                title=data["title"],
                start=data["start"],
                end=data["end"],
                place=data["place"].strip(),
                organisation=data["organisation"],
                online_url=data["online_url"],
                capacity=data["capacity"],
                visibility=data["visibility"],
                description=data["description"].strip(),
                agenda=form.agenda_lines(),
                agenda_deadline=data["agenda_deadline"],
                reminder=data["reminder"],
                repeat=data["repeat"],
                repeat_until=data["repeat_until"],
                documents=data["documents"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Die Sitzung ist geplant; die Mitglieder werden per E-Mail eingeladen."))
            return redirect(meeting)
    return render(request, "meetings/meeting_form.html", {"form": form, "body": body, "meeting": None})


def detail(request, pk):
    meeting = _meeting(pk)
    if denied := _require(request, permissions.check_see, meeting):
        return denied
    reply = selectors.reply_of(request.user, meeting)
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "agenda": meeting.agenda_items.select_related("proposed_by"),
            "reply": reply,
            "reply_form": ReplyForm(initial={"answer": reply.answer if reply else None}),
            "proposal_form": AgendaProposalForm(),
            "can_reply": permissions.can_reply(request.user, meeting),
            "can_propose": permissions.can_propose_agenda_item(request.user, meeting),
            "can_manage": permissions.can_manage(request.user, meeting),
            "confirmed": services.confirmed_count(meeting),
            # A guest of one date sees that date only, not the rest of the body's series.
            "series_dates": (
                permissions.visible_meetings(request.user).filter(series_id=meeting.series_id).order_by("start")
                if meeting.series_id and not selectors.is_one_meeting_guest(request.user, meeting)
                else []
            ),
            "is_guest": permissions.is_guest(request.user, meeting),
            "can_manage_guests": permissions.can_manage_guests(request.user, meeting),
        },
    )


def edit(request, pk):
    meeting = _meeting(pk)
    if denied := _require(request, permissions.check_manage, meeting):
        return denied
    initial = {name: getattr(meeting, name) for name in services.EDITABLE_FIELDS}
    form = (SeriesMeetingForm if meeting.series_id else MeetingForm)(
        request.POST or None, initial={**initial, "documents": meeting.documents.all()}, body=meeting.body
    )
    if meeting.is_cancelled:
        messages.error(request, _("Eine abgesagte Sitzung kann nicht mehr geändert werden."))
        return redirect(meeting)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in services.EDITABLE_FIELDS}
        changes["place"], changes["description"] = changes["place"].strip(), changes["description"].strip()
        scope = form.cleaned_data.get("scope") or services.Scope.THIS
        try:
            services.update_meeting(request.user, meeting, scope, documents=form.cleaned_data["documents"], **changes)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Die Sitzung wurde geändert."))
            return redirect(meeting)
    return render(request, "meetings/meeting_form.html", {"form": form, "body": meeting.body, "meeting": meeting})


def cancel(request, pk):
    meeting = _meeting(pk)
    if denied := _require(request, permissions.check_manage, meeting):
        return denied
    form = CancelForm(request.POST or None) if meeting.series_id else None
    if request.method == "POST":
        if form is not None and not form.is_valid():
            return render(request, "meetings/meeting_cancel.html", {"meeting": meeting, "form": form}, status=400)
        scope = form.cleaned_data["scope"] if form is not None else services.Scope.THIS
        try:
            services.cancel_meeting(request.user, meeting, scope)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Die Sitzung wurde abgesagt; alle Eingeladenen werden benachrichtigt."))
        return redirect(meeting)
    return render(request, "meetings/meeting_cancel.html", {"meeting": meeting, "form": form})


def guests(request, pk):
    """The guests of a meeting and the standing guests of its body; the form invites one more."""
    meeting = _meeting(pk)
    if denied := _require(request, permissions.check_manage_guests, meeting):
        return denied
    form = GuestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            guest = services.invite_guest(
                request.user,
                meeting,
                email=data["email"],
                name=data["name"],
                kind=data["kind"],
                function=data["function"],
                standing=data["standing"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, _("%(name)s ist eingeladen und erhält die Einladung per E-Mail.") % {"name": guest.public_name}
            )
            return redirect("meetings:guests", pk=meeting.pk)
    return render(
        request, "meetings/guests.html", {"meeting": meeting, "guests": selectors.guests_of(meeting), "form": form}
    )


@login_required
@require_POST
def guest_remove(request, pk, guest_pk):
    meeting = _meeting(pk)
    if denied := _require(request, permissions.check_manage_guests, meeting):
        return denied
    guest = get_object_or_404(Guest, pk=guest_pk)
    try:
        services.remove_guest(request.user, meeting, guest)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Die Einladung von %(name)s ist zurückgenommen.") % {"name": guest.public_name})
    return redirect("meetings:guests", pk=meeting.pk)


def guest_page(request, token):
    """The page of a guest without an account: the one meeting with its agenda, and the answer (POST only)."""
    try:
        guest_id = tokens.read_guest_token(token)
    except tokens.BadReplyLink as error:
        text = (
            _("Dieser Link ist abgelaufen. Bitte fragen Sie die Moderation des Gremiums nach einer neuen Einladung.")
            if error.expired
            else _("Dieser Link ist ungültig. Bitte verwenden Sie den Link aus Ihrer E-Mail vollständig.")
        )
        return render(request, "meetings/guest_page.html", {"error": text}, status=400)
    guest = (
        Guest.objects.select_related("meeting", "meeting__body", "meeting__organisation")
        .filter(pk=guest_id, user__isnull=True)
        .first()
    )
    if guest is None:
        return render(
            request,
            "meetings/guest_page.html",
            {"error": _("Diese Einladung gibt es nicht mehr. Bitte wenden Sie sich an die Moderation.")},
            status=404,
        )
    meeting = guest.meeting
    chosen = request.POST.get("answer") if request.method == "POST" else request.GET.get("antwort")
    context = {
        "guest": guest,
        "meeting": meeting,
        "agenda": meeting.agenda_items.all(),
        "answers": MeetingReply.Answer.choices,
        "chosen": chosen if chosen in MeetingReply.Answer.values else guest.answer,
        "token": token,
    }
    if request.method == "POST":
        try:
            services.reply_as_guest(guest, request.POST.get("answer", ""))
        except ValidationError as error:
            return render(
                request, "meetings/guest_page.html", {**context, "error": " ".join(error.messages)}, status=400
            )
        context["done"] = _("Ihre Rückmeldung „%(answer)s“ ist gespeichert.") % {"answer": guest.get_answer_display()}
    return render(request, "meetings/guest_page.html", context)


@login_required
@require_POST
def reply(request, pk):
    meeting = _meeting(pk)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Bitte wählen Sie Zusage, vielleicht oder Absage."))
        return redirect(meeting)
    try:
        answer = services.reply_to_meeting(
            request.user, meeting, form.cleaned_data["answer"], form.cleaned_data["comment"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(meeting)
    except PermissionDenied as error:
        # Whoever can see the meeting reads why (cancelled, past) on its page; the others get the 403 page.
        if not permissions.can_see(request.user, meeting):
            raise
        messages.error(request, message_of(error))
        return redirect(meeting)
    messages.success(request, _reply_message(answer))
    return redirect(meeting)


def _reply_message(answer):
    if answer.waiting_position:
        return _("Die Sitzung ist voll: Sie stehen auf Platz %(position)s der Warteliste.") % {
            "position": answer.waiting_position
        }
    return _("Ihre Rückmeldung „%(answer)s“ ist gespeichert.") % {"answer": answer.get_answer_display()}


@login_required
@require_POST
def propose(request, pk):
    meeting = _meeting(pk)
    form = AgendaProposalForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Bitte geben Sie einen Titel (höchstens 200 Zeichen) für den Punkt an."))
        return redirect(meeting)
    try:
        services.propose_agenda_item(
            request.user, meeting, form.cleaned_data["title"], form.cleaned_data["description"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Der Punkt steht jetzt auf der Tagesordnung."))
    return redirect(meeting)


def replies(request, pk):
    meeting = _meeting(pk)
    if denied := _require(request, permissions.check_manage, meeting):
        return denied
    answered = selectors.replies_of(meeting)
    answered_ids = {r.user_id for r in answered}
    silent = [person for person in selectors.invited_people(meeting) if person.pk not in answered_ids]
    return render(
        request,
        "meetings/replies.html",
        {"meeting": meeting, "replies": answered, "silent": silent, "confirmed": services.confirmed_count(meeting)},
    )


def _csv_cell(value):
    # A cell starting with = + - @ is a formula to spreadsheet programs; the quote keeps it text.
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def replies_csv(request, pk):
    meeting = _meeting(pk)
    if denied := _require(request, permissions.check_manage, meeting):
        return denied
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="rueckmeldungen-{meeting.pk}.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 only with the byte order mark
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            _("Name"),
            _("E-Mail-Adresse"),
            _("Organisation"),
            _("Antwort"),
            _("Warteliste"),
            _("Anmerkung"),
            _("Zeitpunkt"),
        ]
    )
    for row in selectors.replies_of(meeting):
        writer.writerow(
            _csv_cell(value)
            for value in [
                row.user.public_name,
                row.user.email,
                row.user.organisation.name if row.user.organisation else "",
                row.get_answer_display(),
                row.waiting_position or "",
                row.comment,
                row.replied_at.astimezone(BERLIN).strftime("%d.%m.%Y %H:%M"),
            ]
        )
    return response


def attendance(request, pk):
    meeting = _meeting(pk)
    if denied := _require(request, permissions.check_manage, meeting):
        return denied
    people = services.attendance_candidates(meeting)
    recorded = set(meeting.attendances.filter(present=True).values_list("user_id", flat=True))
    if not recorded:
        recorded = {r.user_id for r in meeting.replies.all() if r.is_confirmed}
    form = AttendanceForm(request.POST or None, people=people, initial={"present": sorted(recorded)})
    if request.method == "POST" and form.is_valid():
        try:
            services.record_attendance(request.user, meeting, form.cleaned_data["present"])
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Die Anwesenheit ist gespeichert."))
            return redirect(meeting)
    return render(request, "meetings/attendance.html", {"meeting": meeting, "form": form})


# --- One-click replies from the mail ----------------------------------------------------------


def mail_reply(request, token):
    """GET only shows the question (link scanners open links); the POST of the button answers."""
    try:
        data = tokens.read_reply_token(token)
    except tokens.BadReplyLink as error:
        text = (
            _("Dieser Rückmelde-Link ist abgelaufen. Bitte antworten Sie auf der Seite der Sitzung.")
            if error.expired
            else _("Dieser Rückmelde-Link ist ungültig. Bitte verwenden Sie den Link aus Ihrer E-Mail vollständig.")
        )
        return render(request, "meetings/mail_reply.html", {"error": text}, status=400)
    meeting = Meeting.objects.select_related("body").filter(pk=data["m"]).first()
    person = User.objects.filter(pk=data["u"], is_active=True).first()
    if meeting is None or person is None or data["a"] not in MeetingReply.Answer.values:
        return render(
            request,
            "meetings/mail_reply.html",
            {"error": _("Diese Sitzung oder dieses Konto gibt es nicht mehr.")},
            status=404,
        )
    answer = MeetingReply.Answer(data["a"])
    context = {"meeting": meeting, "person": person, "answer": answer, "token": token}
    if request.method == "POST":

        def reply():
            with transaction.atomic():
                return services.reply_to_meeting(person, meeting, answer)

        saved, error = attempt(reply)
        if error is not None:
            return render(request, "meetings/mail_reply.html", {**context, "error": error}, status=403)
        return render(request, "meetings/mail_reply.html", {**context, "done": _reply_message(saved)})
    return render(request, "meetings/mail_reply.html", context)


# --- Calendar files and feeds -----------------------------------------------------------------


def _ics_response(content, filename):
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def meeting_ics(request, pk):
    meeting = _meeting(pk)
    if denied := _require(request, permissions.check_see, meeting):
        return denied
    occurrences = (
        list(meeting.series.occurrences.select_related("body", "organisation", "series"))
        if meeting.series_id
        else [meeting]
    )
    return _ics_response(ics.invitation_calendar(meeting, occurrences, method="PUBLISH"), f"sitzung-{meeting.pk}.ics")


def feed_body(request, slug):
    body = get_object_or_404(NetworkBody, slug=slug)
    content = ics.feed_calendar(selectors.body_feed(body), body.name, selectors.feed_entries(body))
    return _ics_response(content, f"{body.slug}.ics")


def feed_network(request):
    content = ics.feed_calendar(selectors.network_feed(), _("Sozialraumnetzwerk Teltow"), selectors.feed_entries())
    return _ics_response(content, "sozialraum.ics")


def feed_personal(request, token):
    feed = CalendarFeedToken.objects.select_related("user").filter(token=token, user__is_active=True).first()
    if feed is None:
        raise Http404(_("Diese Kalenderadresse gilt nicht (mehr). Eine neue finden Sie unter „Mein Kalender“."))
    content = ics.feed_calendar(
        selectors.personal_feed(feed.user), _("Meine Termine im Sozialraumnetzwerk"), selectors.feed_entries()
    )
    return _ics_response(content, "termine.ics")


@login_required
def calendar_settings(request):
    feed, _created = CalendarFeedToken.objects.get_or_create(user=request.user)
    if request.method == "POST":
        services.renew_feed_token(request.user)
        messages.success(request, _("Ihre Kalenderadresse ist erneuert; die alte gilt nicht mehr."))
        return redirect("meetings:calendar_settings")
    return render(
        request,
        "meetings/calendar_settings.html",
        {
            "feed_url": request.build_absolute_uri(reverse("meetings:feed_personal", args=[feed.token])),
            "meetings": selectors.upcoming_for_user(request.user),
        },
    )


def network_calendar(request):
    """All meetings the visitor may see: `?ansicht=monat&monat=2027-03` or the list of upcoming ones."""
    first = calendar_page.parse_month(request.GET.get("monat"))
    month_view = request.GET.get("ansicht") == "monat"
    context = {"month_view": month_view, "first": first, "month_name": calendar_page.MONTH_NAMES[first.month]}
    if month_view:
        start, end = calendar_page.month_bounds(first)
        previous, following = calendar_page.neighbours(first)
        context.update(
            weeks=calendar_page.weeks(first, selectors.visible_between(request.user, start, end)),
            weekdays=calendar_page.WEEKDAY_NAMES,
            previous=previous,
            following=following,
        )
    else:
        context["meetings"] = selectors.upcoming_visible(request.user)
    return render(request, "meetings/network_calendar.html", context)
