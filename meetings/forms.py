from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import IdsChoiceField, local_datetime_field
from documents.models import Document
from documents.selectors import documents_of_body
from network.models import Organisation

from .models import Guest, Meeting, MeetingReply, Visibility
from .recurrence import Repeat

SCOPE_CHOICES = [
    ("this", _("nur diesen Termin")),
    ("following", _("diesen und alle folgenden Termine")),
    ("series", _("ganze Reihe")),
]


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=200)
    start = local_datetime_field(_("Beginn"), help_text=_("Ortszeit Teltow (Europe/Berlin)."))
    end = local_datetime_field(_("Ende"))
    place = forms.CharField(
        label=_("Ort"), max_length=300, required=False, help_text=_("z. B. Rathaus Teltow, Raum 2.14")
    )
    organisation = forms.ModelChoiceField(
        label=_("Einrichtung aus dem Verzeichnis"), queryset=Organisation.objects.all(), required=False
    )
    online_url = forms.URLField(label=_("Online-Link"), max_length=500, required=False, assume_scheme="https")
    capacity = forms.IntegerField(
        label=_("Plätze"), required=False, min_value=1, max_value=10_000, help_text=_("Leer lassen für unbegrenzt.")
    )
    visibility = forms.ChoiceField(label=_("Sichtbarkeit"), choices=Visibility.choices, initial=Visibility.MEMBERS)
    description = forms.CharField(
        label=_("Beschreibung"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    agenda_deadline = local_datetime_field(_("Vorschläge zur Tagesordnung bis"), required=False)
    reminder = forms.ChoiceField(
        label=_("Erinnerung"), choices=Meeting.Reminder.choices, initial=Meeting.Reminder.DAY_BEFORE
    )
    documents = IdsChoiceField(
        label=_("Sitzungsunterlagen aus der Ablage"),
        queryset=Document.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Jede Unterlage sehen nur die Personen, die das Dokument lesen dürfen."),
    )

    def __init__(self, *args, body, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["documents"].queryset = documents_of_body(body)

    def clean_title(self):
        return self.cleaned_data["title"].strip()

    def clean(self):
        cleaned = super().clean()
        for name in ("title", "place", "description"):
            if "\x00" in (cleaned.get(name) or ""):
                self.add_error(name, _("Bitte ohne Steuerzeichen."))
        return cleaned


class SeriesMeetingForm(MeetingForm):
    """Editing a date of a series: which dates the change reaches."""

    scope = forms.ChoiceField(
        label=_("Änderung gilt für"),
        choices=SCOPE_CHOICES,
        initial="this",
        widget=forms.RadioSelect,
        help_text=_("Für mehrere Termine lässt sich nur die Uhrzeit ändern, nicht der Tag."),
        error_messages={
            "required": _("Bitte wählen Sie, welche Termine sich ändern."),
            "invalid_choice": _("Bitte wählen Sie eine der angebotenen Möglichkeiten."),
        },
    )


class CancelForm(forms.Form):
    scope = forms.ChoiceField(
        label=_("Absagen"),
        choices=[
            ("this", _("nur diesen Termin")),
            ("following", _("diesen und alle folgenden Termine")),
            ("series", _("alle weiteren Termine der Reihe")),
        ],
        initial="this",
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Bitte wählen Sie, welche Termine abgesagt werden."),
            "invalid_choice": _("Bitte wählen Sie eine der angebotenen Möglichkeiten."),
        },
    )


class GuestForm(forms.Form):
    email = forms.EmailField(
        label=_("E-Mail-Adresse"),
        max_length=254,
        help_text=_("Hat die Person ein Konto im Netzwerk, wird sie darüber eingeladen."),
        error_messages={"invalid": _("Bitte geben Sie eine gültige E-Mail-Adresse an.")},
    )
    name = forms.CharField(
        label=_("Name"), max_length=120, required=False, help_text=_("Nötig, wenn die Person kein Konto hat.")
    )
    kind = forms.ChoiceField(label=_("Art"), choices=Guest.Kind.choices, initial=Guest.Kind.GUEST)
    function = forms.CharField(
        label=_("Funktion (optional)"), max_length=120, required=False, help_text=_("z. B. Regionalkoordination (REKO)")
    )
    standing = forms.BooleanField(
        label=_("Ständiger Gast: zu allen Sitzungen dieses Gremiums einladen"), required=False
    )

    def clean(self):
        cleaned = super().clean()
        for name in ("name", "function"):
            if "\x00" in (cleaned.get(name) or ""):
                self.add_error(name, _("Bitte ohne Steuerzeichen."))
        return cleaned


class ScheduleForm(MeetingForm):
    agenda = forms.CharField(
        label=_("Tagesordnung"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Ein Punkt pro Zeile."),
    )
    repeat = forms.ChoiceField(label=_("Wiederholung"), choices=Repeat.CHOICES, required=False)
    repeat_until = forms.DateField(
        label=_("Wiederholen bis"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
    )

    def clean(self):
        cleaned = super().clean()
        if "\x00" in (cleaned.get("agenda") or ""):
            self.add_error("agenda", _("Bitte ohne Steuerzeichen."))
        return cleaned

    def agenda_lines(self):
        return [line.strip()[:200] for line in self.cleaned_data.get("agenda", "").splitlines() if line.strip()][:30]


class ReplyForm(forms.Form):
    answer = forms.ChoiceField(label=_("Ihre Antwort"), choices=MeetingReply.Answer.choices, widget=forms.RadioSelect)
    comment = forms.CharField(label=_("Anmerkung (optional)"), max_length=300, required=False)

    def clean_comment(self):
        comment = self.cleaned_data["comment"]
        if "\x00" in comment:
            raise forms.ValidationError(_("Bitte ohne Steuerzeichen."))
        return comment


class AgendaProposalForm(forms.Form):
    title = forms.CharField(label=_("Punkt für die Tagesordnung"), max_length=200)
    description = forms.CharField(
        label=_("Erläuterung (optional)"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self):
        cleaned = super().clean()
        for name in ("title", "description"):
            if "\x00" in (cleaned.get(name) or ""):
                self.add_error(name, _("Bitte ohne Steuerzeichen."))
        return cleaned


class AttendanceForm(forms.Form):
    present = forms.TypedMultipleChoiceField(
        label=_("Anwesend"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [(person.pk, person.public_name) for person in people]
