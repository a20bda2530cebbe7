from django import forms
from django.utils.translation import gettext_lazy as _

from .models import EventRegistration


class EventRegistrationForm(forms.ModelForm):
    class Meta:
        model = EventRegistration
        fields = ["name", "email", "organisation", "remarks"]
        widgets = {"remarks": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and user.is_authenticated and not self.is_bound:
            self.initial.setdefault("name", user.public_name)
            self.initial.setdefault("email", user.email)
            if user.organisation_id:
                self.initial.setdefault("organisation", user.organisation.name)
