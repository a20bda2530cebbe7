from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Visibility
from .selectors import folders_of

FILE_HELP = _(
    "PDF, Word, Excel, PowerPoint, OpenDocument-Text und -Tabellen sowie Bilder (PNG, JPEG, GIF, WebP); "
    "höchstens %(limit)s."
)


def _visibility_field(can_publish):
    choices = Visibility.choices if can_publish else [c for c in Visibility.choices if c[0] != Visibility.PUBLIC]
    return forms.ChoiceField(
        label=_("Wer darf das Dokument lesen?"),
        choices=choices,
        initial=Visibility.MEMBERS,
        widget=forms.RadioSelect,
        help_text=None if can_publish else _("Öffentlich machen kann die Moderation des Gremiums."),
    )


def _folder_field(body):
    return forms.ModelChoiceField(
        label=_("Ordner"), queryset=folders_of(body), required=False, empty_label=_("– ohne Ordner –")
    )


class DocumentFieldsForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=200)
    description = forms.CharField(
        label=_("Beschreibung (optional)"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, body, can_publish, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["folder"] = _folder_field(body)
        self.fields["visibility"] = _visibility_field(can_publish)


class UploadForm(DocumentFieldsForm):
    file = forms.FileField(label=_("Datei"))
    title = forms.CharField(
        label=_("Titel (optional)"),
        max_length=200,
        required=False,
        help_text=_("Ohne Titel wird der Dateiname verwendet."),
    )
    field_order = ["file", "title", "description", "folder", "visibility"]

    def __init__(self, *args, max_size, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = FILE_HELP % {"limit": max_size}


class VersionForm(forms.Form):
    file = forms.FileField(label=_("Neue Version"))
    comment = forms.CharField(
        label=_("Was ist neu? (optional)"),
        max_length=300,
        required=False,
        help_text=_("z. B. „Anmerkungen aus der Sitzung eingearbeitet“"),
    )

    def __init__(self, *args, max_size, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = FILE_HELP % {"limit": max_size}


class FolderForm(forms.Form):
    name = forms.CharField(label=_("Name des neuen Ordners"), max_length=100)
