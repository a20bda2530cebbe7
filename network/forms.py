from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AVATAR_TYPES, Membership, NetworkBody, Organisation, User, avatar_extension


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
