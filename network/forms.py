import json

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from core.forms import IdsChoiceField
from notices.kinds import registered_kinds
from notices.selectors import opted_out_kinds

from .geojson import MAX_BYTES, parse_outline
from .models import AVATAR_TYPES, District, Membership, NetworkBody, Organisation, User, avatar_extension


class SignupForm(AllauthSignupForm):
    display_name = forms.CharField(label=_("Anzeigename"), max_length=80, help_text=_("So sehen andere Sie im Forum."))
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.all(),
        required=False,
        empty_label=_("– keine oder nicht in der Liste –"),
    )
    job_title = forms.CharField(label=_("Funktion"), max_length=120, required=False)
    field_order = ["display_name", "email", "organisation", "job_title", "password1", "password2"]


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = [
            "display_name",
            "organisation",
            "job_title",
            "bio",
            "avatar",
            "notify_by_email",
            "notify_on_mention",
            "notify_on_reply",
        ]
        widgets = {"bio": forms.Textarea(attrs={"rows": 4})}

    # One switch per kind the apps registered (notices.kinds); each holds for the notice on the site and
    # for the mail alike.
    notice_kinds = forms.MultipleChoiceField(
        label=_("Mitteilungen und E-Mails zu"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Abgewählte Themen erreichen Sie weder auf der Website noch per E-Mail."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = registered_kinds()
        if not kinds:
            del self.fields["notice_kinds"]
            return
        field = self.fields["notice_kinds"]
        field.choices = [(kind.key, kind.label) for kind in kinds]
        off = opted_out_kinds(self.instance) if self.instance.pk else set()
        field.initial = [kind.key for kind in kinds if kind.key not in off]

    def clean_avatar(self):
        avatar = self.cleaned_data.get("avatar")
        if avatar and getattr(avatar, "size", 0) > 2 * 1024 * 1024:
            raise forms.ValidationError(_("Das Profilbild darf höchstens 2 MB groß sein."))
        if avatar and avatar_extension(avatar.name) not in AVATAR_TYPES:
            raise forms.ValidationError(_("Bitte laden Sie ein Bild im Format PNG, JPEG, GIF oder WebP hoch."))
        return avatar


class JoinRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Nachricht an die Moderation (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-Mail-Adresse der eingeladenen Person"))


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Rolle"), choices=Membership.Role.choices)


class BodyFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Art"), choices=[("", _("alle"))] + NetworkBody.Kind.choices, required=False)
    q = forms.CharField(label=_("Suche"), required=False, max_length=100)


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Ihr Passwort"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Zur Sicherheit: Nur wer das Passwort kennt, kann das Konto löschen."),
    )
    delete_posts = forms.BooleanField(
        label=_("Auch meine Beiträge löschen"),
        required=False,
        help_text=_(
            "Ohne diese Auswahl bleiben Ihre Forumsbeiträge mit ihrem Text stehen und werden „gelöschte Person“ "
            "zugeordnet. Mit dieser Auswahl wird der Text entfernt; an seiner Stelle steht „Beitrag gelöscht“. "
            "Themen, auf die andere geantwortet haben, bleiben dabei erhalten."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("Das Passwort stimmt nicht. Ihr Konto wurde nicht gelöscht."))
        return password


class DistrictForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    slug = forms.SlugField(
        label=_("Kurzname in Adressen"),
        max_length=120,
        required=False,
        help_text=_("Kleinbuchstaben, Ziffern und Bindestriche; ohne Angabe aus dem Namen gebildet."),
    )
    description = forms.CharField(
        label=_("Kurzbeschreibung"), max_length=2_000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    outline = forms.CharField(
        label=_("Umrisse als GeoJSON"),
        required=False,
        # The parser checks the size itself, with a sentence that says how to fix it.
        max_length=MAX_BYTES * 2,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false", "class": "code-input"}),
        help_text=_(
            "Ein Polygon oder MultiPolygon in Längen- und Breitengraden (WGS 84), bare oder als Feature, "
            "z. B. aus geojson.io oder QGIS. Eine hochgeladene Datei ersetzt diesen Text."
        ),
    )
    outline_file = forms.FileField(
        label=_("oder GeoJSON-Datei hochladen"),
        required=False,
        help_text=_("Datei mit der Endung .geojson oder .json, höchstens 200 kB."),
    )
    outline_is_approximate = forms.BooleanField(label=_("Umrisse nur ungefähr (keine amtliche Grenze)"), required=False)
    sort_order = forms.IntegerField(label=_("Reihenfolge"), min_value=0, max_value=32_767, initial=0, required=False)
    organisations = IdsChoiceField(
        label=_("Organisationen in diesem Quartier"),
        queryset=Organisation.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    @classmethod
    def initial_from(cls, district: District) -> dict:
        return {
            "name": district.name,
            "slug": district.slug,
            "description": district.description,
            "outline": json.dumps(district.outline) if district.outline else "",
            "outline_is_approximate": district.outline_is_approximate,
            "sort_order": district.sort_order,
            "organisations": list(district.organisations.all()),
        }

    def clean_outline_file(self):
        upload = self.cleaned_data.get("outline_file")
        if not upload:
            return None
        if upload.size > MAX_BYTES:
            raise ValidationError(
                _("Die Datei ist zu groß (höchstens %(size)s kB); bitte vereinfachen Sie die Form.")
                % {"size": MAX_BYTES // 1000}
            )
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(
                _("Die Datei ist keine Textdatei in UTF-8; GeoJSON wird als UTF-8 gespeichert.")
            ) from None

    def clean(self):
        cleaned = super().clean()
        text = cleaned.get("outline_file") or cleaned.get("outline") or ""
        field = "outline_file" if cleaned.get("outline_file") else "outline"
        cleaned["outline"] = None
        if text.strip():
            try:
                cleaned["outline"] = parse_outline(text)
            except ValidationError as error:
                self.add_error(field, error)
        if not cleaned.get("slug") and cleaned.get("name"):
            cleaned["slug"] = slugify(cleaned["name"])[:120]
            if not cleaned["slug"]:
                self.add_error("slug", _("Aus diesem Namen lässt sich kein Kurzname bilden; bitte geben Sie einen an."))
        cleaned["sort_order"] = cleaned.get("sort_order") or 0
        return cleaned

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("outline_file", None)
        return data


class DistrictFilterForm(forms.Form):
    quartier = forms.ModelChoiceField(
        label=_("Quartier"),
        queryset=District.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("alle Quartiere"),
    )
