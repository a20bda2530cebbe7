"""The newsletter in the Wagtail admin: preview, audience and count, send now or later, progress and
statistics; consent records and their CSV export; CSV import of subscribers."""

import csv

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cms.models import EventPage
from core.forms import IdChoiceField, IdsChoiceField
from network.models import NetworkBody

from . import edition_content, imports, permissions, selectors, services
from .delivery import ledger, lifecycle
from .delivery.messages import send_test
from .models import Newsletter, NewsletterEdition, Send
from .rendering import compile_edition, personalize, recipient_links


class AudienceForm(forms.Form):
    bodies = IdsChoiceField(
        label=gettext_lazy("zusätzlich: Mitglieder dieser Gremien"),
        queryset=NetworkBody.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    event = IdChoiceField(
        label=gettext_lazy("zusätzlich: Angemeldete dieses Termins"),
        queryset=EventPage.objects.order_by("-start"),
        required=False,
    )
    all_professionals = forms.BooleanField(label=gettext_lazy("zusätzlich: alle Fachkräfte"), required=False)


class ScheduleForm(forms.Form):
    scheduled_at = forms.DateTimeField(
        label=gettext_lazy("Versand am"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def clean_scheduled_at(self):
        moment = self.cleaned_data["scheduled_at"]
        if moment <= timezone.now():
            raise forms.ValidationError(_("Der Zeitpunkt muss in der Zukunft liegen."))
        return moment


class ImportForm(forms.Form):
    newsletter = forms.ModelChoiceField(label=gettext_lazy("Newsletter"), queryset=Newsletter.objects.all())
    file = forms.FileField(
        label=gettext_lazy("CSV-Datei"),
        help_text=gettext_lazy(
            "Spalten: email, name, consent_source, consent_given_at, consent_text. Komma oder Semikolon, UTF-8."
        ),
    )


@require_GET
def edition_preview(request, page_id):
    """The edition's latest draft as the readers' mail: HTML at two widths and the plain text."""
    permissions.check_preview_edition(request.user)
    page = get_object_or_404(NewsletterEdition, pk=page_id)
    edition = page.get_latest_revision_as_object()
    compiled = compile_edition(edition)
    links = recipient_links(request.user.email, edition.newsletter)
    html, text = personalize(compiled.html, compiled.text, name=request.user.public_name, links=links)
    context = {
        "edition": page,
        "subject": compiled.subject,
        "html": html,
        "text": text,
        "warnings": edition_content.edition_warnings(edition),
        "widths": [(_("Desktop"), 700), (_("Mobil"), 375)],
    }
    return render(request, "newsletter/admin/preview.html", context)


@require_http_methods(["GET", "POST"])
def prepare_send(request, page_id):
    permissions.check_send_newsletters(request.user)
    edition = get_object_or_404(NewsletterEdition, pk=page_id)
    form = AudienceForm(request.POST or None)
    if request.method == "POST" and request.POST.get("action") == "test":
        send_test(edition, request.user)
        messages.success(request, _("Testversand an %(email)s ist unterwegs.") % {"email": request.user.email})
        return redirect("newsletter_admin:prepare", page_id=edition.pk)
    if request.method == "POST" and form.is_valid():
        send = services.create_send(edition, user=request.user, **form.cleaned_data)
        return redirect("newsletter_admin:send", send_id=send.pk)
    sends = edition.sends.order_by("-created_at")
    context = {"edition": edition, "form": form, "sends": sends, "warnings": edition_content.edition_warnings(edition)}
    return render(request, "newsletter/admin/prepare.html", context)


@require_http_methods(["GET"])
def send_detail(request, send_id):
    permissions.check_send_newsletters(request.user)
    send = get_object_or_404(Send.objects.select_related("edition__newsletter"), pk=send_id)
    return render(request, "newsletter/admin/send.html", _send_context(send))


def _send_context(send, schedule_form=None):
    context = {"send": send, "progress": selectors.progress(send), "statistics": selectors.send_statistics(send)}
    if send.status in (Send.Status.DRAFT, Send.Status.SCHEDULED):
        context["recipients"] = len(selectors.audience(send))
        initial = {"scheduled_at": timezone.localtime(send.scheduled_at)} if send.scheduled_at else {}
        context["schedule_form"] = schedule_form or ScheduleForm(initial=initial)
    return context


@require_POST
def send_action(request, send_id):
    permissions.check_send_newsletters(request.user)
    send = get_object_or_404(Send, pk=send_id)
    action = request.POST.get("action")
    if action == "start":
        _send, started = lifecycle.start_send(send)
        if started:
            messages.success(request, _("Der Versand läuft."))
        else:
            messages.warning(request, _("Dieser Versand wurde bereits gestartet."))
    elif action == "schedule":
        form = ScheduleForm(request.POST)
        if not form.is_valid():
            return render(request, "newsletter/admin/send.html", _send_context(send, form), status=400)
        if lifecycle.schedule(send, form.cleaned_data["scheduled_at"]):
            when = timezone.localtime(form.cleaned_data["scheduled_at"])
            messages.success(
                request, _("Der Versand ist für %(when)s geplant.") % {"when": when.strftime("%d.%m.%Y, %H:%M")}
            )
        else:
            messages.warning(request, _("Dieser Versand wurde bereits gestartet."))
    elif action == "unschedule":
        lifecycle.unschedule(send)
    elif action == "pause":
        ledger.pause(send, _("Von %(user)s angehalten.") % {"user": request.user})
    elif action == "resume":
        lifecycle.resume(send)
    elif action == "cancel":
        lifecycle.cancel(send)
    return redirect("newsletter_admin:send", send_id=send.pk)


def send_progress(request, send_id):
    permissions.check_send_newsletters(request.user)
    send = get_object_or_404(Send, pk=send_id)
    return JsonResponse(selectors.progress(send))


# --- Consent records ---------------------------------------------------------------------------------

CONSENT_COLUMNS = [
    gettext_lazy("Adresse"),
    gettext_lazy("Liste"),
    gettext_lazy("Quelle"),
    gettext_lazy("URL/Herkunft"),
    gettext_lazy("Version des Textes"),
    gettext_lazy("Einwilligungstext"),
    gettext_lazy("erteilt"),
    gettext_lazy("Bestätigungsmail gesendet"),
    gettext_lazy("bestätigt"),
    gettext_lazy("widerrufen"),
]


def _moment(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S") if value else ""


def _consent_row(record):
    return [
        record.subscription.subscriber.email,
        record.subscription.newsletter.name,
        record.get_source_display(),
        record.source_detail,
        record.consent_version,
        record.consent_text,
        _moment(record.given_at),
        _moment(record.confirmation_sent_at),
        _moment(record.confirmed_at),
        _moment(record.withdrawn_at),
    ]


def _spreadsheet_safe(value):
    # A cell starting like a formula would run as one in a spreadsheet (CSV injection).
    value = str(value)
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _chosen_newsletter(request):
    newsletter_id = request.GET.get("newsletter")
    return Newsletter.objects.filter(pk=newsletter_id).first() if newsletter_id and newsletter_id.isdigit() else None


@require_GET
def consent_list(request):
    permissions.check_send_newsletters(request.user)
    newsletter = _chosen_newsletter(request)
    records = Paginator(selectors.consent_records(newsletter), 50).get_page(request.GET.get("p"))
    context = {
        "records": records,
        "rows": [_consent_row(record) for record in records],
        "columns": CONSENT_COLUMNS,
        "newsletters": Newsletter.objects.all(),
        "newsletter": newsletter,
    }
    return render(request, "newsletter/admin/consents.html", context)


@require_GET
def consent_export(request):
    permissions.check_send_newsletters(request.user)
    newsletter = _chosen_newsletter(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"einwilligungen-{newsletter.slug if newsletter else 'alle'}-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    # The byte order mark makes spreadsheet programs read the file as UTF-8.
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow([str(column) for column in CONSENT_COLUMNS])
    for record in selectors.consent_records(newsletter).iterator():
        writer.writerow([_spreadsheet_safe(value) for value in _consent_row(record)])
    return response


# --- Import ------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def import_subscribers(request):
    permissions.check_send_newsletters(request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            text = upload.read().decode("utf-8-sig")
            report = imports.import_subscribers(
                form.cleaned_data["newsletter"],
                text,
                source_detail=_("Import aus %(file)s durch %(user)s")
                % {"file": upload.name, "user": request.user.email},
            )
        except UnicodeDecodeError:
            form.add_error("file", _("Die Datei ist nicht UTF-8-kodiert. Bitte als „CSV UTF-8“ speichern."))
        except imports.ImportFormatError as error:
            form.add_error("file", str(error))
    return render(request, "newsletter/admin/import.html", {"form": form, "report": report})
