"""Invitation, update, cancellation, reminder and "moved up" mails: MJML HTML, a text part and an .ics file.

The mails of one event go out in batches of MEETINGS_MAIL_BATCH_SIZE, each over one SMTP connection
(`core.smtp.send_batch`), as newsletters do. A batch the connection breaks off ends with
`MailsInterrupted` naming who has not been sent to yet; the task sends to them later (meetings.tasks).
People who chose "keine E-Mails" get none.
"""

from email.mime.text import MIMEText

import mjml
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from core.mail import absolute_url, legal_links, render_plain_text, with_legal_footer
from core.smtp import BatchInterrupted, send_batch

from . import ics, permissions, selectors, tokens
from .models import Guest, Meeting, MeetingReply

User = get_user_model()

METHODS = {
    "invitation": "REQUEST",
    "update": "REQUEST",
    "cancellation": "CANCEL",
    "series_cancellation": "CANCEL",
    "withdrawn": "CANCEL",
    "withdrawn_date": "CANCEL",
}
# Someone who lost access (left the body, was removed, guest invitation taken back) gets a CANCEL that removes the
# entries from their calendar: for the whole series, or ("withdrawn_date") only the date they were a guest of.
WITHDRAWN = {"withdrawn", "withdrawn_date"}
WITH_REPLY_LINKS = {"invitation", "update", "reminder"}


def _subject(kind, meeting):
    name = meeting.body.short_name or meeting.body.name
    when = meeting.local_start.strftime("%d.%m.%Y")
    subjects = {
        "invitation": _("Einladung: %(title)s am %(date)s (%(body)s)"),
        "update": _("Geändert: %(title)s am %(date)s (%(body)s)"),
        "cancellation": _("Abgesagt: %(title)s am %(date)s (%(body)s)"),
        "series_cancellation": _("Abgesagt: alle weiteren Termine von %(title)s (%(body)s)"),
        "reminder": _("Erinnerung: %(title)s morgen (%(date)s, %(body)s)"),
        "moved_up": _("Sie sind nachgerückt: %(title)s am %(date)s (%(body)s)"),
        "withdrawn": _("Nicht mehr eingeladen: %(title)s (%(body)s)"),
        "withdrawn_date": _("Nicht mehr eingeladen: %(title)s am %(date)s (%(body)s)"),
    }
    return subjects[kind] % {"title": meeting.title, "date": when, "body": name}


def batch_size() -> int:
    return max(getattr(settings, "MEETINGS_MAIL_BATCH_SIZE", 50), 1)


class MailsInterrupted(Exception):
    """A batch broke off: `sent` mails went out; the people in `remaining` (user ids) and the guests in
    `remaining_guests` (guest ids, known by address only) still wait for theirs."""

    def __init__(self, remaining: list[int], remaining_guests: list[int], sent: int) -> None:
        super().__init__(f"{len(remaining) + len(remaining_guests)} meeting mails not sent yet")
        self.remaining = remaining
        self.remaining_guests = remaining_guests
        self.sent = sent


def recipients(meeting: Meeting, kind: str, user_ids=None, guest_ids=None) -> list:
    """People with an account (their notification setting respected), then guests known only by address.

    With `user_ids` / `guest_ids` only those (a newcomer's invitation, someone who moved up)."""
    if kind in WITHDRAWN:
        # Only those who really can no longer see it (not someone who has joined again meanwhile).
        people = [
            p for p in User.objects.filter(pk__in=user_ids or [], is_active=True) if not permissions.can_see(p, meeting)
        ]
        guests = []
    elif user_ids is not None or guest_ids is not None:
        people = [
            p for p in User.objects.filter(pk__in=user_ids or [], is_active=True) if permissions.can_see(p, meeting)
        ]
        guests = list(meeting.guests.filter(pk__in=guest_ids or [], user__isnull=True))
    else:
        # A reminder never goes to those who declined; changes and cancellations reach everyone invited.
        people = selectors.invited_people(meeting, include_declined=kind != "reminder")
        guests = selectors.address_guests(meeting, include_declined=kind != "reminder")
    return [person for person in people if person.notify_by_email != User.Delivery.NEVER] + guests


def _calendar_part(content: bytes, method: str) -> MIMEText:
    part = MIMEText(content.decode(), "calendar", "utf-8")
    part.set_param("method", method)
    part.add_header("Content-Disposition", "attachment", filename="sitzung.ics")
    return part


def build_message(meeting: Meeting, kind: str, person, occurrences) -> EmailMultiAlternatives:
    """`person` is a User, or a Guest without an account (who answers and reads the agenda by a signed link)."""
    address_guest = person if isinstance(person, Guest) else None
    # A guest of one date gets that date, not the series.
    only_this_date = (
        kind == "withdrawn_date"
        or address_guest is not None
        or (kind not in WITHDRAWN and selectors.is_one_meeting_guest(person, meeting))
    )
    if only_this_date:
        occurrences = [meeting]
    reply = None if address_guest else MeetingReply.objects.filter(meeting=meeting, user=person).first()
    context = {
        "kind": kind,
        "meeting": meeting,
        "person": person,
        "reply": reply,
        "series_dates": [m for m in occurrences if not m.is_cancelled] if meeting.series_id else [],
        "agenda": [] if kind in WITHDRAWN else list(meeting.agenda_items.all()),
        "meeting_url": absolute_url(meeting.get_absolute_url()),
        "settings_url": absolute_url(reverse("network:profile")),
        "site_name": settings.WAGTAIL_SITE_NAME,
        "legal_links": legal_links(),
    }
    if address_guest is not None:
        guest_url = absolute_url(reverse("meetings:guest_page", args=[tokens.guest_token(address_guest)]))
        context["meeting_url"] = guest_url
        if kind in WITH_REPLY_LINKS:
            context["reply_links"] = [
                (label, f"{guest_url}?antwort={answer}") for answer, label in MeetingReply.Answer.choices
            ]
    elif kind in WITH_REPLY_LINKS:
        context["reply_links"] = [
            (label, absolute_url(reverse("meetings:mail_reply", args=[tokens.reply_token(person, meeting, answer)])))
            for answer, label in MeetingReply.Answer.choices
        ]
    with translation.override(settings.LANGUAGE_CODE):
        subject = _subject(kind, meeting)
        text = with_legal_footer(render_plain_text("meetings/email/meeting.txt", context))
        html = mjml.mjml2html(render_to_string("meetings/email/meeting.mjml", context), disable_comments=True)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[person.email])
    message.attach_alternative(html, "text/html")
    if kind in METHODS:
        method = METHODS[kind]
        content = ics.invitation_calendar(
            meeting,
            occurrences,
            method=method,
            attendee=person,
            only_this_date=only_this_date,
            whole_series=(
                kind in ("series_cancellation", "withdrawn") and bool(meeting.series_id) and not only_this_date
            ),
        )
        message.attach(_calendar_part(content, method))
    return message


def send_meeting_mails(meeting_id: int, kind: str, user_ids=None, guest_ids=None) -> int:
    meeting = Meeting.objects.select_related("body", "organisation", "series").get(pk=meeting_id)
    if kind == "reminder" and meeting.is_cancelled:
        return 0
    if meeting.series_id and kind in ("invitation", "update", "series_cancellation", "withdrawn"):
        occurrences = list(meeting.series.occurrences.select_related("body", "organisation", "series"))
    else:
        occurrences = [meeting]
    people = recipients(meeting, kind, user_ids, guest_ids)
    size = batch_size()
    sent = 0
    for start in range(0, len(people), size):
        batch = people[start : start + size]
        try:
            sent += send_batch(build_message(meeting, kind, person, occurrences) for person in batch)
        except BatchInterrupted as interrupted:
            rest = people[start + interrupted.done :]
            raise MailsInterrupted(
                [person.pk for person in rest if not isinstance(person, Guest)],
                [person.pk for person in rest if isinstance(person, Guest)],
                sent + interrupted.sent,
            ) from interrupted
    return sent
