from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from .importing import MAX_FILE_BYTES, number
from .models import FIRST_YEAR, LAST_YEAR, MAX_VALUE, Indicator


class IndicatorForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    slug = forms.SlugField(
        label=_("Kurzname"),
        max_length=120,
        required=False,
        help_text=_("Für Adressen und den Import; ohne Angabe aus dem Namen gebildet."),
    )
    unit = forms.CharField(label=_("Einheit"), max_length=40, required=False, help_text=_("z. B. „Personen“ oder „%“"))
    description = forms.CharField(
        label=_("Beschreibung"), max_length=2_000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    source = forms.CharField(label=_("Quelle"), max_length=300, required=False)
    decimals = forms.IntegerField(label=_("Nachkommastellen"), min_value=0, max_value=3, initial=0, required=False)
    is_example = forms.BooleanField(label=_("Beispielwerte, frei erfunden (Demo oder Schulung)"), required=False)
    sort_order = forms.IntegerField(label=_("Reihenfolge"), min_value=0, max_value=32_767, initial=0, required=False)

    @classmethod
    def initial_from(cls, indicator: Indicator) -> dict:
        return {name: getattr(indicator, name) for name in cls.base_fields}

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("slug") and cleaned.get("name"):
            cleaned["slug"] = slugify(cleaned["name"])[:120]
            if not cleaned["slug"]:
                self.add_error("slug", _("Aus diesem Namen lässt sich kein Kurzname bilden; bitte geben Sie einen an."))
        cleaned["decimals"] = cleaned.get("decimals") or 0
        cleaned["sort_order"] = cleaned.get("sort_order") or 0
        return cleaned


class GermanNumberField(forms.Field):
    """A value as people type it: "1.234,5", "1234,5" or "1234.5"; empty means no value."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "maxlength": 40, "autocomplete": "off"})

    def to_python(self, value):
        text = str(value).strip() if isinstance(value, str) else ""
        if not text:
            return None
        parsed = number(text)
        if parsed is None:
            raise forms.ValidationError(
                _("„%(value)s“ ist keine Zahl (bis %(max)s, höchstens drei Nachkommastellen).")
                % {"value": text[:40], "max": f"{MAX_VALUE:,}".replace(",", ".")}
            )
        return parsed


def as_input(value):
    """A stored value as the field shows it: "87,5", not "87.500" (which a German reader takes for 87500)."""
    text = format(value.normalize(), "f")
    return text.replace(".", ",")


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("Jahr"), min_value=FIRST_YEAR, max_value=LAST_YEAR)


class ValuesForm(YearForm):
    """One indicator's values of one year: a field per district."""

    def __init__(self, *args, districts, **kwargs):
        super().__init__(*args, **kwargs)
        self.districts = list(districts)
        for district in self.districts:
            self.fields[f"district_{district.pk}"] = GermanNumberField(label=district.name, required=False)

    def values(self) -> dict:
        return {district: self.cleaned_data[f"district_{district.pk}"] for district in self.districts}


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV- oder XLSX-Datei"),
        help_text=_(
            "Eine Kopfzeile mit den Spalten Indikator, Quartier, Jahr, Wert und darunter ein Wert je Zeile; "
            "höchstens 2 MB."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("Die Datei ist zu groß (höchstens %(size)s MB).") % {"size": MAX_FILE_BYTES // 1_000_000}
            )
        return upload


class ImportConfirmForm(forms.Form):
    token = forms.CharField(max_length=64, widget=forms.HiddenInput)
