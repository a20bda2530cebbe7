from django import forms
from django.utils.translation import gettext_lazy as _


class SubscribeForm(forms.Form):
    email = forms.EmailField(label=_("E-Mail-Adresse"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    consent = forms.BooleanField(
        label=_("Einwilligung"),
        required=True,
        error_messages={
            "required": _(
                "Bitte setzen Sie das Häkchen bei der Einwilligung: ohne sie dürfen wir Ihnen den Newsletter nicht senden."
            )
        },
    )

    def __init__(self, *args, newsletter, **kwargs):
        super().__init__(*args, **kwargs)
        # The box shows the exact text that is stored with the consent record.
        self.fields["consent"].label = newsletter.effective_consent_text


class ManageForm(forms.Form):
    ACTIONS = [("subscribe", _("anmelden")), ("unsubscribe", _("abmelden"))]

    newsletter = forms.IntegerField()
    action = forms.ChoiceField(choices=ACTIONS)
