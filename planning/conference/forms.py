from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import IdChoiceField, IdsChoiceField
from forum.textchecks import validate_post_text, validate_title

from .. import workflow
from ..models import Workshop
from . import selectors

UNKNOWN_WORKSHOP = _("Dieses Forum gibt es bei dieser Konferenz nicht; bitte wählen Sie eines aus der Liste.")


def _text(label, max_length, required=False, rows=5, help_text=""):
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        validators=[validate_post_text],
    )


class ConferenceForm(forms.Form):
    event = IdChoiceField(
        label=_("Termin der Konferenz"),
        queryset=selectors.conference_events(),
        help_text=_("Termine im Bereich „Termine“, die als Sozialraumkonferenz gekennzeichnet sind."),
        error_messages={"invalid_choice": _("Bitte wählen Sie einen Konferenztermin aus der Liste.")},
    )
    report_summary = _text(
        _("Zusammenfassung für den Bericht"),
        10_000,
        rows=6,
        help_text=_(
            "Was die Konferenz insgesamt ergeben hat; erscheint im öffentlichen Bericht und im Bericht an den Landkreis."
        ),
    )
    publish = forms.BooleanField(label=_("Bericht veröffentlichen"), required=False)


class WorkshopForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=200, validators=[validate_title])
    description = _text(_("Beschreibung"), 2_000, rows=3)
    room = forms.CharField(label=_("Raum"), max_length=120, validators=[validate_title])
    capacity = forms.IntegerField(label=_("Plätze"), min_value=1, max_value=10_000)
    proposals = IdsChoiceField(
        label=_("Beratene Zielvorschläge"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    results = _text(
        _("Ergebnisse"),
        10_000,
        rows=8,
        help_text=_("Nach der Konferenz: was das Forum zu den Vorschlägen erarbeitet hat."),
    )
    sort_order = forms.IntegerField(label=_("Reihenfolge"), min_value=0, max_value=1_000, initial=0, required=False)

    def __init__(self, *args, year, **kwargs):
        super().__init__(*args, **kwargs)
        # Submitted proposals only: a draft belongs to its group until it is handed in.
        self.fields["proposals"].queryset = year.proposals.exclude(status__in=workflow.DRAFT_STATUSES).order_by("title")

    def clean_sort_order(self):
        return self.cleaned_data["sort_order"] or 0

    @staticmethod
    def initial_from(workshop: Workshop) -> dict:
        fields = ("title", "description", "room", "capacity", "results", "sort_order")
        return {**{name: getattr(workshop, name) for name in fields}, "proposals": list(workshop.proposals.all())}


class WishForm(forms.Form):
    first_wish = IdChoiceField(
        label=_("Erstwunsch"), queryset=Workshop.objects.none(), error_messages={"invalid_choice": UNKNOWN_WORKSHOP}
    )
    second_wish = IdChoiceField(
        label=_("Zweitwunsch"),
        queryset=Workshop.objects.none(),
        required=False,
        empty_label=_("kein Zweitwunsch"),
        error_messages={"invalid_choice": UNKNOWN_WORKSHOP},
    )

    def __init__(self, *args, conference, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("first_wish", "second_wish"):
            self.fields[name].queryset = conference.workshops.all()
        self.fields["first_wish"].error_messages["required"] = _("Bitte wählen Sie Ihren Erstwunsch.")

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("first_wish"), cleaned.get("second_wish")
        if first is not None and second is not None and first.pk == second.pk:
            self.add_error("second_wish", _("Erst- und Zweitwunsch müssen zwei verschiedene Foren sein."))
        return cleaned


class RegistrationActionForm(forms.Form):
    """A row of the registration list: which registration the coordination acts on."""

    registration = IdChoiceField(
        queryset=None,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("Diese Anmeldung gibt es bei dieser Konferenz nicht.")},
    )

    def __init__(self, *args, conference, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["registration"].queryset = conference.event.registrations.all()


class AssignForm(RegistrationActionForm):
    workshop = IdChoiceField(
        label=_("Forum"),
        queryset=Workshop.objects.none(),
        required=False,
        empty_label=_("ohne Forum"),
        error_messages={"invalid_choice": UNKNOWN_WORKSHOP},
    )

    def __init__(self, *args, conference, **kwargs):
        super().__init__(*args, conference=conference, **kwargs)
        self.fields["workshop"].queryset = conference.workshops.all()
