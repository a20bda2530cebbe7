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
from .models import Meeting, MeetingReply

User = get_user_model()

METHODS = {"invitation": "REQUEST", "update": "REQUEST", "cancellation": "CANCEL"}
WITH_REPLY_LINKS = {"invitation", "update", "reminder"}


def _subject(kind, meeting):
    name = meeting.body.short_name or meeting.body.name
    when = meeting.local_start.strftime("%d.%m.%Y")
    subjects = {
        "invitation": _("Einladung: %(title)s am %(date)s (%(body)s)"),
        "update": _("Geändert: %(title)s am %(date)s (%(body)s)"),
        "cancellation": _("Abgesagt: %(title)s am %(date)s (%(body)s)"),
        "reminder": _("Erinnerung: %(title)s morgen (%(date)s, %(body)s)"),
        "moved_up": _("Sie sind nachgerückt: %(title)s am %(date)s (%(body)s)"),
    }
    return subjects[kind] % {"title": meeting.title, "date": when, "body": name}


def batch_size() -> int:
    return max(getattr(settings, "MEETINGS_MAIL_BATCH_SIZE", 50), 1)


class MailsInterrupted(Exception):
    """A batch broke off: `sent` mails went out, the people in `remaining` (user ids) still wait for theirs."""

    def __init__(self, remaining: list[int], sent: int) -> None:
        super().__init__(f"{len(remaining)} meeting mails not sent yet")
        self.remaining = remaining
        self.sent = sent


def recipients(meeting: Meeting, kind: str, user_ids=None) -> list:
    """Who gets the mail; with `user_ids` (a "moved up" note, or the rest of a broken-off send) only those."""
    if kind == "moved_up":
        people = [
            p for p in User.objects.filter(pk__in=user_ids or [], is_active=True) if permissions.can_see(p, meeting)
        ]
    else:
        # A reminder never goes to those who declined; changes and cancellations reach everyone invited.
        people = selectors.invited_people(meeting, include_declined=kind != "reminder")
        if user_ids is not None:
            wanted = set(user_ids)
            people = [person for person in people if person.pk in wanted]
    return [person for person in people if person.notify_by_email != User.Delivery.NEVER]


def _calendar_part(content: bytes, method: str) -> MIMEText:
    part = MIMEText(content.decode(), "calendar", "utf-8")
    part.set_param("method", method)
    part.add_header("Content-Disposition", "attachment", filename="sitzung.ics")
    return part


def build_message(meeting: Meeting, kind: str, person, occurrences) -> EmailMultiAlternatives:
    reply = MeetingReply.objects.filter(meeting=meeting, user=person).first()
    context = {
        "kind": kind,
        "meeting": meeting,
        "person": person,
        "reply": reply,
        "series_dates": [m for m in occurrences if not m.is_cancelled] if meeting.series_id else [],
        "agenda": list(meeting.agenda_items.all()),
        "meeting_url": absolute_url(meeting.get_absolute_url()),
        "settings_url": absolute_url(reverse("network:profile")),
        "site_name": settings.WAGTAIL_SITE_NAME,
        "legal_links": legal_links(),
    }
    if kind in WITH_REPLY_LINKS:
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
        content = ics.invitation_calendar(meeting, occurrences, method=method, attendee=person)
        message.attach(_calendar_part(content, method))
    return message


def send_meeting_mails(meeting_id: int, kind: str, user_ids=None) -> int:
    meeting = Meeting.objects.select_related("body", "organisation", "series").get(pk=meeting_id)
    if kind == "reminder" and meeting.is_cancelled:
        return 0
    if meeting.series_id and kind in ("invitation", "update"):
        occurrences = list(meeting.series.occurrences.select_related("body", "organisation", "series"))
    else:
        occurrences = [meeting]
    people = recipients(meeting, kind, user_ids)
    size = batch_size()
    sent = 0
    for start in range(0, len(people), size):
        batch = people[start : start + size]
        try:
            sent += send_batch(build_message(meeting, kind, person, occurrences) for person in batch)
        except BatchInterrupted as interrupted:
            remaining = [person.pk for person in people[start + interrupted.done :]]
            raise MailsInterrupted(remaining, sent + interrupted.sent) from interrupted
    return sent
