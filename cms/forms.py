from django import forms
from django.utils.translation import gettext_lazy as _


class EventRegistrationForm(forms.Form):
    """The fields of an `EventRegistration` a visitor fills in; `services.register_attendee` makes the row.
    A plain form, so that the event page (cms.models) can offer it without the models and the form
    importing each other."""

    name = forms.CharField(label=_("Name"), max_length=120)
    email = forms.EmailField(label=_("E-Mail-Adresse"))
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    remarks = forms.CharField(
        label=_("Hinweise (z. B. Barrierefreiheit, Verpflegung)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and user.is_authenticated and not self.is_bound:
            self.initial.setdefault("name", user.public_name)
            self.initial.setdefault("email", user.email)
            if user.organisation_id:
                self.initial.setdefault("organisation", user.organisation.name)
