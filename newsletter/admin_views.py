"""Sending from the Wagtail admin: choose the audience, see the count, send, watch the progress."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from cms.models import EventPage
from network import access
from network.models import NetworkBody

from . import delivery, selectors, services
from .models import NewsletterEdition, Send


class AudienceForm(forms.Form):
    bodies = forms.ModelMultipleChoiceField(
        label=gettext_lazy("zusätzlich: Mitglieder dieser Gremien"),
        queryset=NetworkBody.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    event = forms.ModelChoiceField(
        label=gettext_lazy("zusätzlich: Angemeldete dieses Termins"),
        queryset=EventPage.objects.order_by("-start"),
        required=False,
    )
    all_professionals = forms.BooleanField(label=gettext_lazy("zusätzlich: alle Fachkräfte"), required=False)


def _require_coordinator(request):
    if not access.is_coordinator(request.user):
        raise PermissionDenied


@require_http_methods(["GET", "POST"])
def prepare_send(request, page_id):
    _require_coordinator(request)
    edition = get_object_or_404(NewsletterEdition, pk=page_id)
    form = AudienceForm(request.POST or None)
    if request.method == "POST" and request.POST.get("action") == "test":
        delivery.send_test(edition, request.user)
        messages.success(request, _("Testversand an %(email)s ist unterwegs.") % {"email": request.user.email})
        return redirect("newsletter_admin:prepare", page_id=edition.pk)
    if request.method == "POST" and form.is_valid():
        send = services.create_send(edition, user=request.user, **form.cleaned_data)
        return redirect("newsletter_admin:send", send_id=send.pk)
    sends = edition.sends.order_by("-created_at")
    return render(request, "newsletter/admin/prepare.html", {"edition": edition, "form": form, "sends": sends})


@require_http_methods(["GET"])
def send_detail(request, send_id):
    _require_coordinator(request)
    send = get_object_or_404(Send.objects.select_related("edition__newsletter"), pk=send_id)
    context = {"send": send, "progress": selectors.progress(send)}
    if send.status == Send.Status.DRAFT:
        context["recipients"] = len(selectors.audience(send))
    return render(request, "newsletter/admin/send.html", context)


@require_POST
def send_action(request, send_id):
    _require_coordinator(request)
    send = get_object_or_404(Send, pk=send_id)
    action = request.POST.get("action")
    if action == "start":
        _send, started = delivery.start_send(send)
        if started:
            messages.success(request, _("Der Versand läuft."))
        else:
            messages.warning(request, _("Dieser Versand wurde bereits gestartet."))
    elif action == "pause":
        delivery.pause(send, _("Von %(user)s angehalten.") % {"user": request.user})
    elif action == "resume":
        delivery.resume(send)
    elif action == "cancel":
        delivery.cancel(send)
    return redirect("newsletter_admin:send", send_id=send.pk)


def send_progress(request, send_id):
    _require_coordinator(request)
    send = get_object_or_404(Send, pk=send_id)
    return JsonResponse(selectors.progress(send))
