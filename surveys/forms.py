"""The form of one page of a survey, built from its questions, and the owners' small forms."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import FeedbackTemplate, PlatformFeedback
from .questions import LONG_TEXT_MAX, OTHER, SHORT_TEXT_MAX, Question, clean_value, is_answered, is_visible

HONEYPOT = "homepage"
STARTED = "started"


def field_name(question: Question, part: str = "") -> str:
    return f"q-{question.id}{f'-{part}' if part else ''}"


def _scale_choices(question: Question) -> list[tuple[str, str]]:
    labels = {1: question.low_label, 5: question.high_label}
    return [(str(n), f"{n} – {labels[n]}" if labels.get(n) else str(n)) for n in range(1, 6)]


def add_bot_checks(form: forms.Form) -> None:
    """The honeypot (hidden from people) and the signed start time that `surveys.spam` checks."""
    form.fields[HONEYPOT] = forms.CharField(
        label=_("Bitte dieses Feld leer lassen"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    form.fields[STARTED] = forms.CharField(required=False, widget=forms.HiddenInput, max_length=200)


class SurveyPageForm(forms.Form):
    """The visible questions of one section. `answers` holds what was answered on the other pages;
    conditions look at both, so a question that depends on this page is judged by what was just sent."""

    def __init__(self, *args, questions: list[Question], section_questions: list[Question], answers: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.section_questions = section_questions
        self.previous = answers
        self.groups: list[tuple[Question, list[str]]] = []
        add_bot_checks(self)
        for question in section_questions:
            self.groups.append((question, self._add_fields(question, answers.get(question.id))))

    def _add_fields(self, question: Question, initial) -> list[str]:
        name = field_name(question)
        common = {"label": question.text, "required": False, "help_text": question.help_text}
        if question.kind in ("single_choice", "multiple_choice"):
            choices = [(option, option) for option in question.options]
            if question.allow_other:
                choices.append((OTHER, _("Sonstiges")))
            if question.kind == "single_choice":
                self.fields[name] = forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
                self.initial.setdefault(name, (initial or {}).get("choice"))
            else:
                self.fields[name] = forms.MultipleChoiceField(
                    choices=choices, widget=forms.CheckboxSelectMultiple, **common
                )
                self.initial.setdefault(name, (initial or {}).get("choices"))
            if not question.allow_other:
                return [name]
            other = field_name(question, "other")
            self.fields[other] = forms.CharField(
                label=_("Sonstiges, und zwar:"), required=False, max_length=SHORT_TEXT_MAX
            )
            self.initial.setdefault(other, (initial or {}).get("other"))
            return [name, other]
        if question.kind == "scale":
            self.fields[name] = forms.ChoiceField(choices=_scale_choices(question), widget=forms.RadioSelect, **common)
            self.initial.setdefault(name, None if initial is None else str(initial))
            return [name]
        if question.kind == "number":
            self.fields[name] = forms.CharField(
                widget=forms.NumberInput(attrs={"min": question.min_value, "max": question.max_value, "step": 1}),
                **common,
            )
            self.initial.setdefault(name, initial)
            return [name]
        if question.kind == "matrix":
            names = []
            for index, item in enumerate(question.items):
                item_name = field_name(question, str(index))
                self.fields[item_name] = forms.ChoiceField(
                    label=item, choices=_scale_choices(question), widget=forms.RadioSelect, required=False
                )
                self.initial.setdefault(item_name, None if initial is None else str(initial.get(str(index)) or ""))
                names.append(item_name)
            return names
        limit = SHORT_TEXT_MAX if question.kind == "short_text" else LONG_TEXT_MAX
        widget = forms.Textarea(attrs={"rows": 5}) if question.kind == "long_text" else forms.TextInput
        # maxlength in the browser helps the person; the server's limit is the rule (questions.clean_value).
        self.fields[name] = forms.CharField(widget=widget, strip=True, **common)
        self.fields[name].widget.attrs["maxlength"] = limit
        self.initial.setdefault(name, initial)
        return [name]

    def _raw_value(self, question: Question):
        data = self.cleaned_data
        name = field_name(question)
        if question.kind == "single_choice":
            return {"choice": data.get(name) or "", "other": data.get(field_name(question, "other")) or ""}
        if question.kind == "multiple_choice":
            return {"choices": list(data.get(name) or []), "other": data.get(field_name(question, "other")) or ""}
        if question.kind == "matrix":
            return {
                str(index): data[field_name(question, str(index))]
                for index in range(len(question.items))
                if data.get(field_name(question, str(index)))
            }
        return data.get(name)

    def clean(self):
        cleaned = super().clean()
        self.answers: dict = {}
        for question in self.section_questions:
            if any(name in self.errors for name in self._names(question)):
                continue
            raw = self._raw_value(question)
            if question.kind in ("single_choice",) and not raw["choice"]:
                raw = None
            try:
                value = clean_value(question, raw)
            except ValidationError as error:
                self.add_error(
                    field_name(question, "other") if _is_other_error(question, raw) else self._names(question)[0], error
                )
                continue
            self.answers[question.id] = value
        merged = {**self.previous, **self.answers}
        for question in self.section_questions:
            if question.id not in self.answers:
                continue
            if not is_visible(question, merged, self.questions):
                # A hidden question's answer is not kept (its condition is not met).
                self.answers[question.id] = None
        return cleaned

    def required_errors(self, merged: dict) -> None:
        """Mark the visible required questions left empty (only when moving on or sending)."""
        for question in self.section_questions:
            if question.required and is_visible(question, merged, self.questions):
                if not is_answered(question, merged.get(question.id)) and not any(
                    name in self.errors for name in self._names(question)
                ):
                    message = (
                        _("Bitte bewerten Sie jede Aussage.")
                        if question.kind == "matrix"
                        else _("Bitte beantworten Sie diese Frage.")
                    )
                    missing = [n for n in self._names(question) if not self.cleaned_data.get(n)] or self._names(
                        question
                    )
                    self.add_error(missing[0], message)

    def _names(self, question: Question) -> list[str]:
        return next(names for q, names in self.groups if q.id == question.id)

    def bound_groups(self):
        """(question, bound fields) for the template, with the condition for the live script."""
        return [(question, [self[name] for name in names]) for question, names in self.groups]


def _is_other_error(question: Question, raw) -> bool:
    return question.allow_other and isinstance(raw, dict) and OTHER in (raw.get("choices") or [raw.get("choice")])


class ConsentForm(forms.Form):
    consent = forms.BooleanField(required=False)

    def __init__(self, *args, consent_text: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].label = consent_text


class InviteForm(forms.Form):
    emails = forms.CharField(
        label=_("Weitere E-Mail-Adressen"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=20_000,
        help_text=_("Eine Adresse je Zeile. Die Mitglieder der gewählten Gremien werden ohnehin eingeladen."),
    )

    def clean_emails(self):
        addresses = []
        validator = forms.EmailField()
        for line in self.cleaned_data["emails"].replace(",", "\n").splitlines():
            line = line.strip()
            if not line:
                continue
            try:
                addresses.append(validator.clean(line).lower())
            except ValidationError:
                raise ValidationError(_("„%(line)s“ ist keine gültige E-Mail-Adresse.") % {"line": line[:80]}) from None
        return sorted(set(addresses))


class PlatformFeedbackForm(forms.ModelForm):
    page = forms.CharField(required=False, widget=forms.HiddenInput, max_length=300)

    class Meta:
        model = PlatformFeedback
        fields = ["kind", "text", "contact_email"]
        widgets = {"kind": forms.RadioSelect, "text": forms.Textarea(attrs={"rows": 6})}
        error_messages = {"text": {"required": _("Bitte schreiben Sie Ihre Rückmeldung.")}}
        help_texts = {
            "contact_email": _("Nur wenn Sie eine Antwort möchten. Wir nutzen sie nur dafür."),
            "text": _(
                "Was ist Ihnen aufgefallen, was wünschen Sie sich? Bitte keine Daten von Klientinnen und Klienten."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        add_bot_checks(self)


class FeedbackRequestForm(forms.Form):
    """The confirmation of a feedback request: which template (the default is preselected)."""

    template = forms.ModelChoiceField(
        label=_("Vorlage"),
        queryset=None,
        empty_label=None,
        required=False,  # none sent: the default template
        help_text=_("Die Redaktion pflegt die Vorlagen im Verwaltungsbereich unter „Snippets → Feedback-Vorlagen“."),
    )

    def __init__(self, *args, templates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = FeedbackTemplate.objects.filter(pk__in=[t.pk for t in templates])
        if templates:
            self.fields["template"].initial = templates[0].pk
