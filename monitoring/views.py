import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from network import selectors as network_selectors

from . import importing, permissions, selectors, services
from .forms import ImportConfirmForm, ImportUploadForm, IndicatorForm, ValuesForm, YearForm, as_input

SESSION_KEY = "monitoring_import"


def _indicator_or_404(slug):
    indicator = selectors.indicator_for_page(slug)
    if indicator is None:
        raise Http404(_("Diesen Indikator gibt es nicht."))
    return indicator


def overview(request):
    return render(
        request,
        "monitoring/overview.html",
        {
            "tables": selectors.tables(years=3),
            "examples": selectors.any_example_values(),
            "can_manage": permissions.can_manage_monitoring(request.user),
        },
    )


def indicator_detail(request, slug):
    indicator = _indicator_or_404(slug)
    return render(
        request,
        "monitoring/indicator_detail.html",
        {"table": selectors.table_of(indicator), "can_manage": permissions.can_manage_monitoring(request.user)},
    )


@login_required
def manage(request):
    permissions.check_manage_monitoring(request.user)
    return render(
        request,
        "monitoring/manage.html",
        {"indicators": selectors.indicators(), "has_districts": network_selectors.districts().exists()},
    )


@login_required
def indicator_create(request):
    return _indicator_form(request, None)


@login_required
def indicator_edit(request, slug):
    return _indicator_form(request, _indicator_or_404(slug))


def _indicator_form(request, indicator):
    permissions.check_manage_monitoring(request.user)
    initial = IndicatorForm.initial_from(indicator) if indicator else None
    form = IndicatorForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            indicator = services.save_indicator(request.user, indicator, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Der Indikator „%(name)s“ ist gespeichert.") % {"name": indicator.name})
            return redirect("monitoring:manage")
    return render(request, "monitoring/indicator_form.html", {"form": form, "indicator": indicator})


@login_required
def values_edit(request, slug):
    """One indicator's values of one year, a field per district; ?jahr= picks the year to show."""
    indicator = _indicator_or_404(slug)
    permissions.check_manage_monitoring(request.user)
    districts = list(network_selectors.districts())
    if request.method == "POST":
        form = ValuesForm(request.POST, districts=districts)
        if form.is_valid():
            try:
                services.set_values(request.user, indicator, form.cleaned_data["year"], form.values())
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("Die Werte %(year)s für „%(name)s“ sind gespeichert.")
                    % {"year": form.cleaned_data["year"], "name": indicator.name},
                )
                return redirect("monitoring:indicator_detail", slug=indicator.slug)
    else:
        chosen = YearForm({"year": request.GET.get("jahr", "")})
        year = chosen.cleaned_data["year"] if chosen.is_valid() else None
        initial = {"year": year}
        if year is not None:
            stored = dict(indicator.values.filter(year=year).values_list("district_id", "value"))
            initial.update({f"district_{d.pk}": as_input(stored[d.pk]) for d in districts if d.pk in stored})
        form = ValuesForm(initial=initial, districts=districts)
    return render(
        request,
        "monitoring/values_form.html",
        {"form": form, "indicator": indicator, "table": selectors.table_of(indicator)},
    )


@login_required
def import_values(request):
    """Upload, preview with every problem named, then confirm: only a preview without problems can be stored."""
    permissions.check_manage_monitoring(request.user)
    upload_form, preview = ImportUploadForm(), None
    if request.method == "POST" and request.POST.get("action") == "confirm":
        confirm = ImportConfirmForm(request.POST)
        pending = request.session.get(SESSION_KEY) or {}
        # As bytes: compare_digest refuses str with characters beyond ASCII (a forged token may have them).
        if not confirm.is_valid() or not secrets.compare_digest(
            str(pending.get("token", "")).encode(), confirm.cleaned_data["token"].encode()
        ):
            messages.error(request, _("Diese Vorschau gilt nicht mehr; bitte laden Sie die Datei noch einmal hoch."))
            return redirect("monitoring:import")
        try:
            stored = services.import_values(request.user, pending["rows"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages) + " " + _("Es wurde nichts importiert."))
            return redirect("monitoring:import")
        finally:
            request.session.pop(SESSION_KEY, None)
        messages.success(request, _("%(count)s Werte wurden importiert.") % {"count": stored})
        return redirect("monitoring:overview")
    if request.method == "POST":
        upload_form = ImportUploadForm(request.POST, request.FILES)
        if upload_form.is_valid():
            upload = upload_form.cleaned_data["file"]
            try:
                preview = importing.preview(upload.name, upload.read())
            except ValidationError as error:
                upload_form.add_error("file", error)
            else:
                if preview.is_valid:
                    request.session[SESSION_KEY] = {"token": secrets.token_urlsafe(16), "rows": preview.as_data()}
                else:
                    request.session.pop(SESSION_KEY, None)
    return render(
        request,
        "monitoring/import.html",
        {
            "upload_form": upload_form,
            "preview": preview,
            "confirm_form": ImportConfirmForm(initial={"token": request.session.get(SESSION_KEY, {}).get("token")})
            if preview is not None and preview.is_valid
            else None,
            "hidden_errors": preview.error_count - len(preview.errors) if preview else 0,
        },
    )
