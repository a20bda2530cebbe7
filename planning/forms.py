from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import IdsChoiceField
from forum import permissions as forum_permissions
from forum.textchecks import validate_post_text, validate_title
from monitoring.models import Indicator
from network.models import District, Organisation, Themenfeld

from .models import ImplementationReport, Phase, PlanningYear, Proposal
from .services import LINK_FIELDS, PROPOSAL_FIELDS

MAX_EURO = 10**10 - 1  # what the 12-digit amount columns hold


def _text(label, max_length, required=True, rows=5, help_text=""):
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        validators=[validate_post_text],
    )


def _euro(label, required=False):
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=0,
        max_value=MAX_EURO,
        max_digits=12,
        decimal_places=2,
        localize=True,
    )


class ProposalForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=200, validators=[validate_title])
    themenfeld = forms.ModelChoiceField(
        label=_("Themenfeld"),
        queryset=Themenfeld.objects.all(),
        required=False,
        help_text=_("Ohne Angabe gilt das Themenfeld der Gruppe."),
    )
    problem = _text(
        _("Problem und Belege (Bestandsaufnahme)"),
        10_000,
        rows=8,
        help_text=_("Was hat die Bestandsaufnahme ergeben? Zahlen, Beobachtungen, Quellen."),
    )
    goal = _text(_("Ziel"), 5_000)
    measures = _text(_("Maßnahmen"), 10_000, required=False, rows=6)
    target_group = forms.CharField(label=_("Zielgruppe"), max_length=300, required=False, validators=[validate_title])
    estimated_cost = _euro(_("Geschätzte Kosten (Euro)"))
    time_frame = forms.CharField(
        label=_("Zeitrahmen"),
        max_length=200,
        required=False,
        validators=[validate_title],
        help_text=_("z. B. „ab Schuljahr 2027/28, zwei Jahre“"),
    )
    partners = IdsChoiceField(
        label=_("Verantwortliche Partner"),
        queryset=Organisation.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    forum_topics = IdsChoiceField(
        label=_("Forumsthemen"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Diskussionen im Forum, auf die sich der Vorschlag stützt."),
    )
    districts = IdsChoiceField(
        label=_("Quartiere"),
        queryset=District.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Ohne Angabe gilt der Vorschlag für die ganze Stadt."),
    )
    indicators = IdsChoiceField(
        label=_("Belegt durch Indikatoren des Sozialmonitorings"),
        queryset=Indicator.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Die Seite des Vorschlags zeigt sie mit ihren neuesten Werten."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Only topics the author can read: a link must not reveal a closed body's topic title.
        self.fields["forum_topics"].queryset = forum_permissions.visible_topics(user).order_by("-last_post_at")

    @classmethod
    def initial_from(cls, proposal: Proposal) -> dict:
        initial = {name: getattr(proposal, name) for name in PROPOSAL_FIELDS}
        initial.update({name: list(getattr(proposal, name).all()) for name in LINK_FIELDS})
        return initial


class TransitionForm(forms.Form):
    target = forms.ChoiceField(label=_("Neuer Status"), choices=Proposal.Status.choices)
    comment = _text(_("Kommentar bzw. Begründung"), 2_000, required=False, rows=3)
    budget_amount = _euro(_("Bewilligte Mittel (Euro)"))
    drucksache = forms.CharField(label=_("Drucksachen-Nr."), max_length=40, required=False, validators=[validate_title])
    decided_on = forms.DateField(
        label=_("Sitzung der SVV am"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Ohne Angabe: heute."),
    )


class RatingForm(forms.Form):
    """All criteria of the year for one proposal in one form."""

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"score_{criterion.pk}"] = forms.TypedChoiceField(
                label=criterion.name,
                help_text=criterion.description,
                coerce=int,
                choices=[(n, str(n)) for n in range(criterion.scale_min, criterion.scale_max + 1)],
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Bitte bewerten Sie „%(name)s“.") % {"name": criterion.name},
                    "invalid_choice": _("„%(name)s“ wird auf einer Skala von %(min)s bis %(max)s bewertet.")
                    % {"name": criterion.name, "min": criterion.scale_min, "max": criterion.scale_max},
                },
            )
        self.fields["comment"] = _text(_("Kommentar"), 2_000, required=False, rows=3)

    def scores(self) -> dict:
        return {c.pk: self.cleaned_data[f"score_{c.pk}"] for c in self.criteria}


def _date(label):
    return forms.DateField(label=label, widget=forms.DateInput(attrs={"type": "date"}))


class PlanningYearForm(forms.Form):
    year = forms.IntegerField(label=_("Jahr"), min_value=2000, max_value=2200)
    conflict_rule = forms.ChoiceField(
        label=_("Mitglieder der Lenkungsrunde, die in der vorschlagenden Gruppe sitzen"),
        choices=PlanningYear.ConflictRule.choices,
        initial=PlanningYear.ConflictRule.MARKED,
    )
    criteria = forms.CharField(
        label=_("Bewertungskriterien"),
        max_length=2_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        validators=[validate_post_text],
        initial="Dringlichkeit; 2; 1; 5\nWirkung; 2; 1; 5\nUmsetzbarkeit; 1; 1; 5\nKosten; 1; 1; 5",
        help_text=_("Eine Zeile je Kriterium: Name; Gewicht; Skala von; Skala bis"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in Phase.Kind.choices:
            self.fields[f"{kind}_start"] = _date(_("%(phase)s: Beginn") % {"phase": label})
            self.fields[f"{kind}_end"] = _date(_("%(phase)s: Ende bzw. Frist") % {"phase": label})

    def clean_criteria(self):
        criteria, names = [], set()
        for number, line in enumerate(self.cleaned_data["criteria"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split(";")]
            try:
                name, weight, low, high = parts[0], int(parts[1]), int(parts[2]), int(parts[3])
            except (IndexError, ValueError):
                raise forms.ValidationError(
                    _("Zeile %(line)s: bitte „Name; Gewicht; Skala von; Skala bis“ mit ganzen Zahlen.")
                    % {"line": number}
                ) from None
            if not name or len(name) > 80 or not 1 <= weight <= 100 or not -100 <= low < high <= 100:
                raise forms.ValidationError(
                    _(
                        "Zeile %(line)s: Name bis 80 Zeichen, Gewicht 1 bis 100, Skala zwischen -100 und 100 "
                        "mit „von“ kleiner als „bis“."
                    )
                    % {"line": number}
                )
            if name in names:
                raise forms.ValidationError(_("Das Kriterium „%(name)s“ steht doppelt da.") % {"name": name})
            names.add(name)
            criteria.append({"name": name, "weight": weight, "scale_min": low, "scale_max": high})
        return criteria

    def phases(self) -> dict:
        return {
            kind: (self.cleaned_data[f"{kind}_start"], self.cleaned_data[f"{kind}_end"]) for kind in Phase.Kind.values
        }

    def clean(self):
        cleaned = super().clean()
        for kind, label in Phase.Kind.choices:
            start, end = cleaned.get(f"{kind}_start"), cleaned.get(f"{kind}_end")
            if start and end and end < start:
                self.add_error(f"{kind}_end", _("Die Phase „%(phase)s“ endet vor ihrem Beginn.") % {"phase": label})
        return cleaned


class PhaseSwitchForm(forms.Form):
    phase = forms.ChoiceField(
        label=_("Aktuelle Phase"),
        required=False,
        choices=[("", _("nach den Daten der Phasen"))] + list(Phase.Kind.choices),
    )


class FinaliseForm(forms.Form):
    prioritised = IdsChoiceField(
        label=_("Priorisierte Vorschläge"),
        queryset=Proposal.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Alle anderen Vorschläge in Bewertung werden zurückgestellt."),
    )

    def __init__(self, *args, year, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["prioritised"].queryset = year.proposals.filter(status=Proposal.Status.IN_BEWERTUNG)


class ImplementationReportForm(forms.Form):
    state = forms.ChoiceField(label=_("Umsetzungsstand"), choices=ImplementationReport.State.choices)
    text = _text(_("Kurzbericht"), 3_000, rows=4)
    reported_on = forms.DateField(
        label=_("Stand vom"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Ohne Angabe: heute."),
    )
