from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import IdsChoiceField
from documents.models import Document
from documents.selectors import documents_of_body
from network.models import User

from .models import MAX_SUMMARY, MAX_TEXT, Minutes


class MinutesForm(forms.Form):
    text = forms.CharField(
        label=_("Protokoll"),
        max_length=MAX_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_("Markdown wie im Forum: **fett**, *kursiv*, Listen mit „- “, Überschriften mit „## “."),
    )
    public_summary = forms.CharField(
        label=_("Öffentliche Zusammenfassung (optional)"),
        max_length=MAX_SUMMARY,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Erscheint nach der Veröffentlichung für alle sichtbar auf der Seite des Gremiums."),
    )
    present = forms.TypedMultipleChoiceField(
        label=_("Anwesend"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )

    documents = IdsChoiceField(
        label=_("Anlagen aus der Ablage"),
        queryset=Document.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Jede Anlage sehen nur die Personen, die das Dokument lesen dürfen."),
    )

    def __init__(self, *args, people, body, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["documents"].queryset = documents_of_body(body)
        self.fields["present"].choices = [(person.pk, person.public_name) for person in people]


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("Beschluss"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class TaskForm(forms.Form):
    what = forms.CharField(label=_("Aufgabe"), max_length=500)
    owner = forms.ModelChoiceField(
        label=_("Wer"),
        queryset=User.objects.none(),
        empty_label=_("– bitte wählen –"),
        error_messages={"invalid_choice": _("Zuständig sein kann nur ein Mitglied des Gremiums.")},
    )
    due_date = forms.DateField(
        label=_("Bis wann"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        error_messages={
            "invalid": _("Bitte ein gültiges Datum angeben, z. B. 2027-03-31."),
            "required": _("Bitte ein gültiges Datum angeben, bis wann die Aufgabe erledigt sein soll."),
        },
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = members
        self.fields["owner"].label_from_instance = lambda person: person.public_name


class TransitionForm(forms.Form):
    to = forms.ChoiceField(choices=Minutes.Status.choices)


class RemoveItemForm(forms.Form):
    decision = forms.IntegerField(required=False, min_value=1, max_value=2**62)
    task = forms.IntegerField(required=False, min_value=1, max_value=2**62)

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("decision") is None) == (cleaned.get("task") is None):
            raise forms.ValidationError(_("Bitte genau einen Beschluss oder eine Aufgabe zum Entfernen wählen."))
        return cleaned


class TaskDoneForm(forms.Form):
    done = forms.BooleanField(required=False)
