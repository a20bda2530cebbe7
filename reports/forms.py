from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AnnualReport


class ReportTextsForm(forms.ModelForm):
    class Meta:
        model = AnnualReport
        fields = ["introduction", "outlook"]
        widgets = {"introduction": forms.Textarea(attrs={"rows": 8}), "outlook": forms.Textarea(attrs={"rows": 6})}
        help_texts = {
            "introduction": _("Markdown ist möglich. Steht vor den Zahlen des Jahres."),
            "outlook": _("Markdown ist möglich. Steht nach den Zahlen des Jahres."),
        }


class StartReportForm(forms.Form):
    year = forms.IntegerField(label=_("Jahr"), min_value=1, max_value=9999)
