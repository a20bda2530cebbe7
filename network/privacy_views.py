"""The account area's privacy pages: download one's data, delete one's account."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from core import privacy

from .forms import DeleteAccountForm
from .privacy import bodies_moderated_alone


@login_required
def personal_data(request):
    return render(request, "network/privacy/personal_data.html")


@never_cache
@login_required
def personal_data_download(request):
    response = HttpResponse(privacy.personal_data_json(request.user), content_type="application/json; charset=utf-8")
    filename = f"sozialraum-meine-daten-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
@login_required
def delete_account(request):
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            privacy.delete_account(request.user, delete_posts=form.cleaned_data["delete_posts"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            logout(request)
            messages.success(
                request,
                _("Ihr Konto wurde gelöscht. Sie sind abgemeldet; Ihre persönlichen Daten sind entfernt."),
            )
            return redirect("/")
    return render(
        request,
        "network/privacy/delete_account.html",
        {"form": form, "bodies_moderated_alone": bodies_moderated_alone(request.user)},
    )
