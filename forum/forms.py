from html import escape

from django import forms
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from core.forms import IdsChoiceField, local_datetime_field

from .models import Poll, Reaction, Report, WatchLevel
from .services import MAX_ATTACHMENTS, MAX_POLL_OPTIONS, max_post_chars
from .textchecks import validate_post_text, validate_title


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if not data:
            return []
        files = data if isinstance(data, (list, tuple)) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


def _text_field(label=None):
    return forms.CharField(
        label=label or _("Text"),
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=max_post_chars(),
        validators=[validate_post_text],
        help_text=_(
            "Markdown ist möglich: **fett**, *kursiv*, > Zitat, - Liste, [Link](https://…). "
            "Mit @Vorname_Nachname erwähnen Sie jemanden."
        ),
        error_messages={"required": _("Bitte schreiben Sie einen Text.")},
    )


def _files_field():
    return MultipleFileField(
        label=_("Anhänge"),
        required=False,
        help_text=_("Bis zu %(count)d Dateien: PDF, Office-Dokumente, OpenDocument oder Bilder.")
        % {"count": MAX_ATTACHMENTS},
    )


class TopicForm(forms.Form):
    title = forms.CharField(
        label=_("Titel"),
        max_length=200,
        validators=[validate_title],
        error_messages={"required": _("Bitte geben Sie einen Titel ein.")},
    )
    text = _text_field()
    tags = forms.CharField(
        label=_("Schlagwörter"),
        required=False,
        max_length=300,
        help_text=_("Durch Kommas getrennt, höchstens fünf."),
    )
    is_question = forms.BooleanField(
        label=_("Das ist eine Frage"), required=False, help_text=_("Dann kann eine Antwort als Lösung markiert werden.")
    )
    files = _files_field()

    def clean_tags(self):
        return [name.strip() for name in self.cleaned_data["tags"].split(",") if name.strip()]


class PostForm(forms.Form):
    text = _text_field(_("Ihre Antwort"))
    reply_to = forms.IntegerField(widget=forms.HiddenInput, required=False)
    files = _files_field()


class EditPostForm(forms.Form):
    text = _text_field()


class ReactionForm(forms.Form):
    kind = forms.ChoiceField(choices=Reaction.Kind.choices)


class WatchForm(forms.Form):
    level = forms.ChoiceField(label=_("Benachrichtigungen"), choices=WatchLevel.choices)


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("Warum melden Sie diesen Beitrag?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=1000,
        error_messages={"required": _("Bitte nennen Sie einen Grund für die Meldung.")},
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Begründung"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ResolveReportForm(ReasonForm):
    status = forms.ChoiceField(
        label=_("Entscheidung"),
        choices=[(Report.Status.RESOLVED, _("erledigt")), (Report.Status.DISMISSED, _("zurückweisen"))],
    )


class TopicFlagForm(ReasonForm):
    flag = forms.ChoiceField(choices=[("is_locked", ""), ("is_pinned", "")])
    value = forms.BooleanField(required=False)


class BoardSelect(forms.Select):
    """A select of boards whose options are written in one go: a person may see a hundred boards, and Django's
    Select builds a dictionary and renders a template per option (a quarter of the search page). Values and labels
    are escaped as format_html would escape them (no label is HTML), with the standard library's escape: Django's
    lazy-aware escaping cost more than the rest of the list."""

    template_name = "forum/widgets/select.html"

    def get_context(self, name, value, attrs):
        context = forms.Widget.get_context(self, name, value, attrs)
        selected = set(context["widget"]["value"])
        options = []
        for choice, label in self.choices:
            choice = str(choice)
            marked = " selected" if choice in selected else ""
            options.append(f'<option value="{escape(choice)}"{marked}>{escape(str(label))}</option>')
        context["widget"]["options"] = mark_safe("".join(options))
        return context


class MoveTopicForm(ReasonForm):
    board = forms.ModelChoiceField(label=_("Neuer Bereich"), queryset=None, empty_label=None, widget=BoardSelect)

    def __init__(self, *args, boards, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["board"].queryset = boards


class MergeTopicForm(ReasonForm):
    target = forms.IntegerField(
        label=_("Nummer des Ziel-Themas"),
        min_value=1,
        help_text=_("Die Zahl aus der Adresse des Themas, z. B. 42 in /forum/t/42/."),
    )


class SplitTopicForm(ReasonForm):
    title = forms.CharField(label=_("Titel des neuen Themas"), max_length=200, validators=[validate_title])
    posts = IdsChoiceField(
        label=_("Antworten, die ins neue Thema wandern"), queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, posts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["posts"].queryset = posts
        self.fields["posts"].label_from_instance = lambda post: (
            f"#{post.number} {post.author or ''}: {post.markdown[:60]}"
        )


class SuspendForm(forms.Form):
    board = forms.ModelChoiceField(label=_("Wo"), queryset=None, required=False)
    days = forms.IntegerField(label=_("Dauer in Tagen"), min_value=1, max_value=365, initial=7)
    reason = forms.CharField(label=_("Begründung"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, boards, forum_wide, **kwargs):
        """A board's moderation picks one of its boards; only the coordination is offered the whole forum."""
        super().__init__(*args, **kwargs)
        field = self.fields["board"]
        field.queryset = boards
        field.empty_label = _("im ganzen Forum") if forum_wide else None
        field.help_text = _("Gesperrt wird nur in diesem Bereich.") if not forum_wide else ""


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Suchbegriffe"), max_length=200, required=False, validators=[validate_title])
    board = forms.ModelChoiceField(
        label=_("Bereich"),
        queryset=None,
        required=False,
        empty_label=_("alle Bereiche"),
        widget=BoardSelect,
    )
    author = forms.CharField(label=_("Verfasst von (Anzeigename)"), max_length=80, required=False)
    tag = forms.CharField(label=_("Schlagwort"), max_length=60, required=False)
    date_from = forms.DateField(label=_("von"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("bis"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, boards, **kwargs):
        super().__init__(*args, **kwargs)
        board = self.fields["board"]
        board.queryset = boards
        # The labels as ModelChoiceField writes them (a board's str is its name), without a model per option.
        choices = list(boards.values_list("pk", "name"))
        board.widget.choices = [("", board.empty_label), *choices]
        # The search narrows to these (forum.search.search_posts) without reading them again.
        self.board_ids = [pk for pk, _name in choices]


class PollForm(forms.Form):
    question = forms.CharField(
        label=_("Frage"), max_length=300, error_messages={"required": _("Bitte stellen Sie eine Frage.")}
    )
    options = forms.CharField(
        label=_("Antwortmöglichkeiten"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=MAX_POLL_OPTIONS * 202,
        help_text=_("Eine je Zeile, mindestens zwei."),
        error_messages={"required": _("Bitte nennen Sie mindestens zwei verschiedene Antwortmöglichkeiten.")},
    )
    allows_multiple = forms.BooleanField(label=_("Mehrere Antworten erlaubt"), required=False)
    is_secret = forms.BooleanField(
        label=_("Geheime Abstimmung: nur die Zahl der Stimmen zeigen, keine Namen"), required=False, initial=True
    )
    results = forms.ChoiceField(label=_("Ergebnis sichtbar"), choices=Poll.Results.choices, initial=Poll.Results.ALWAYS)
    closes_at = local_datetime_field(_("Abstimmung endet am (optional)"), required=False)

    def clean_options(self):
        return self.cleaned_data["options"].splitlines()


class VoteForm(forms.Form):
    options = forms.TypedMultipleChoiceField(
        coerce=int,
        error_messages={
            "required": _("Bitte wählen Sie eine Antwort."),
            "invalid_choice": _("Diese Antwort gehört nicht zu der Abstimmung."),
        },
    )

    def __init__(self, poll, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["options"].choices = [(option.pk, option.text) for option in poll.options.all()]
