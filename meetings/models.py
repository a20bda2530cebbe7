"""Meetings of a body: one row per date, a series only holds the rule its dates came from."""

import secrets
import uuid
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

BERLIN = ZoneInfo("Europe/Berlin")


def new_uid():
    return f"{uuid.uuid4()}@sozialraum-teltow"


def new_feed_token():
    return secrets.token_urlsafe(32)


class Visibility(models.TextChoices):
    MEMBERS = "members", _("nur Mitglieder des Gremiums")
    NETWORK = "network", _("ganzes Netzwerk (freigegebene Fachkräfte)")
    PUBLIC = "public", _("öffentlich")


class MeetingSeries(models.Model):
    """A recurring meeting. `rrule` is an RFC 5545 RRULE value, expanded with python-dateutil in local time,
    so that "16:00" stays 16:00 on both sides of a daylight-saving change."""

    body = models.ForeignKey("network.NetworkBody", on_delete=models.CASCADE, related_name="meeting_series")
    title = models.CharField(_("Titel"), max_length=200)
    rrule = models.CharField(_("Wiederholungsregel"), max_length=500)
    first_start = models.DateTimeField(_("erster Beginn"))
    first_end = models.DateTimeField(_("erstes Ende"))
    ical_uid = models.CharField(max_length=120, unique=True, default=new_uid, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Sitzungsreihe")
        verbose_name_plural = _("Sitzungsreihen")

    def __str__(self):
        return self.title


class Meeting(models.Model):
    class Reminder(models.TextChoices):
        DAY_BEFORE = "day_before", _("am Vortag erinnern")
        NONE = "none", _("keine Erinnerung")

    body = models.ForeignKey("network.NetworkBody", on_delete=models.CASCADE, related_name="meetings")
    series = models.ForeignKey(
        MeetingSeries, null=True, blank=True, on_delete=models.CASCADE, related_name="occurrences"
    )
    # For a date of a series: where the rule put it (RECURRENCE-ID), even after it was moved.
    recurrence_id = models.DateTimeField(null=True, blank=True, editable=False)
    title = models.CharField(_("Titel"), max_length=200)
    description = models.TextField(_("Beschreibung"), max_length=5000, blank=True)
    start = models.DateTimeField(_("Beginn"), db_index=True)
    end = models.DateTimeField(_("Ende"))
    place = models.CharField(_("Ort"), max_length=300, blank=True)
    organisation = models.ForeignKey(
        "network.Organisation",
        verbose_name=_("Einrichtung aus dem Verzeichnis"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meetings",
    )
    online_url = models.URLField(_("Online-Link"), max_length=500, blank=True)
    capacity = models.PositiveIntegerField(_("Plätze"), null=True, blank=True)
    visibility = models.CharField(
        _("Sichtbarkeit"), max_length=10, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    agenda_deadline = models.DateTimeField(_("Vorschläge zur Tagesordnung bis"), null=True, blank=True)
    reminder = models.CharField(_("Erinnerung"), max_length=12, choices=Reminder.choices, default=Reminder.DAY_BEFORE)
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    is_cancelled = models.BooleanField(_("abgesagt"), default=False)
    # Agenda papers from the body's library; each is shown only to whoever may read it (documents.permissions).
    documents = models.ManyToManyField(
        "documents.Document", verbose_name=_("Sitzungsunterlagen"), blank=True, related_name="meetings"
    )
    # A date of a series changed on its own ("nur diesen Termin"): calendars get it as its own VEVENT with
    # RECURRENCE-ID; the other dates follow the series' master event.
    is_exception = models.BooleanField(default=False, editable=False)
    ical_uid = models.CharField(max_length=120, unique=True, default=new_uid, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Sitzung")
        verbose_name_plural = _("Sitzungen")
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="meeting_ends_after_start"),
            models.UniqueConstraint(fields=["series", "recurrence_id"], name="one_meeting_per_series_date"),
        ]

    def __str__(self):
        return f"{self.title} ({timezone.localtime(self.start, BERLIN):%d.%m.%Y %H:%M})"

    def get_absolute_url(self):
        return reverse("meetings:detail", args=[self.pk])

    @property
    def local_start(self):
        return timezone.localtime(self.start, BERLIN)

    @property
    def local_end(self):
        return timezone.localtime(self.end, BERLIN)

    @property
    def is_past(self):
        return self.end <= timezone.now()

    @property
    def is_open_for_proposals(self):
        if self.is_cancelled or self.is_past:
            return False
        return self.agenda_deadline is None or timezone.now() < self.agenda_deadline


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveIntegerField(default=0)
    title = models.CharField(_("Tagesordnungspunkt"), max_length=200)
    description = models.TextField(_("Erläuterung"), max_length=2000, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_proposal = models.BooleanField(_("Vorschlag eines Mitglieds"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Tagesordnungspunkt")
        verbose_name_plural = _("Tagesordnung")
        ordering = ["meeting", "position", "pk"]

    def __str__(self):
        return self.title


class MeetingReply(models.Model):
    class Answer(models.TextChoices):
        YES = "yes", _("Zusage")
        MAYBE = "maybe", _("vielleicht")
        NO = "no", _("Absage")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="replies")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meeting_replies")
    answer = models.CharField(_("Antwort"), max_length=5, choices=Answer.choices)
    # Set for a "yes" that found the meeting full: 1 is next in line.
    waiting_position = models.PositiveIntegerField(_("Platz auf der Warteliste"), null=True, blank=True)
    comment = models.CharField(_("Anmerkung"), max_length=300, blank=True)
    replied_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Rückmeldung")
        verbose_name_plural = _("Rückmeldungen")
        ordering = ["meeting", "replied_at"]
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="one_reply_per_person")]

    def __str__(self):
        return f"{self.user} – {self.meeting}: {self.get_answer_display()}"

    @property
    def is_confirmed(self):
        return self.answer == self.Answer.YES and self.waiting_position is None


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meeting_attendances")
    present = models.BooleanField(_("anwesend"), default=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Anwesenheit")
        verbose_name_plural = _("Anwesenheiten")
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="one_attendance_per_person")]

    def __str__(self):
        return f"{self.user} – {self.meeting}"


class Guest(models.Model):
    """Someone outside the body with advisory status: invited to one meeting, or a standing guest of a body
    (e.g. the Regionalkoordination in the Lenkungsrunde) invited to every meeting of it.

    A guest with an account sees and answers like a member, but only those meetings; a guest without an
    account (only an e-mail address, one meeting only) answers through the signed link of the invitation.
    """

    class Kind(models.TextChoices):
        GUEST = "guest", _("Gast")
        EXPERT = "expert", _("Fachexpertin / Fachexperte")

    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.CASCADE, related_name="guests")
    body = models.ForeignKey(
        "network.NetworkBody", null=True, blank=True, on_delete=models.CASCADE, related_name="standing_guests"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="guest_roles"
    )
    email = models.EmailField(_("E-Mail-Adresse"), blank=True)
    name = models.CharField(_("Name"), max_length=120, blank=True)
    kind = models.CharField(_("Art"), max_length=10, choices=Kind.choices, default=Kind.GUEST)
    function = models.CharField(
        _("Funktion"), max_length=120, blank=True, help_text=_("z. B. Regionalkoordination (REKO)")
    )
    # Only for guests without an account; people with one answer as MeetingReply like everyone else.
    answer = models.CharField(_("Antwort"), max_length=5, choices=MeetingReply.Answer.choices, blank=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Gast")
        verbose_name_plural = _("Gäste")
        ordering = ["name", "email"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(meeting__isnull=False, body__isnull=True)
                | models.Q(meeting__isnull=True, body__isnull=False),
                name="guest_of_one_meeting_or_one_body",
            ),
            models.CheckConstraint(
                condition=models.Q(user__isnull=False) | (~models.Q(email="") & models.Q(body__isnull=True)),
                name="guest_has_account_or_address_for_one_meeting",
            ),
            models.UniqueConstraint(fields=["meeting", "user"], name="one_guest_row_per_meeting_and_person"),
            models.UniqueConstraint(fields=["body", "user"], name="one_standing_guest_row_per_body_and_person"),
            models.UniqueConstraint(
                fields=["meeting", "email"], condition=models.Q(user__isnull=True), name="one_guest_row_per_address"
            ),
        ]

    def __str__(self):
        return self.public_name

    @property
    def public_name(self):
        if self.user_id:
            return self.user.public_name
        return self.name or self.email.split("@")[0]

    @property
    def address(self):
        return self.user.email if self.user_id else self.email

    @property
    def is_standing(self):
        return self.body_id is not None


class CalendarFeedToken(models.Model):
    """The secret in a person's personal calendar address; renewing it ends every old subscription."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Kalender-Abo")
        verbose_name_plural = _("Kalender-Abos")

    def __str__(self):
        return str(self.user)
