from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.models import Page

from . import services
from .forms import EventRegistrationForm
from .models import EventPage, EventRegistration
from .registration_links import BadRegistrationLink, registration_token
from .registration_panels import registration_panels

RESULTS_PER_PAGE = 10


def search(request):
    query = request.GET.get("q", "").strip()[:200]
    results = Page.objects.none()
    if query:
        results = Page.objects.live().public().specific().search(query)
    page = Paginator(results, RESULTS_PER_PAGE).get_page(request.GET.get("seite"))
    return TemplateResponse(request, "cms/search.html", {"query": query, "results": page})


@require_POST
def event_register(request, page_id):
    event = get_object_or_404(EventPage.objects.live().public(), pk=page_id)
    form = EventRegistrationForm(request.POST)
    if form.is_valid():
        try:
            registration = services.register_attendee(event, form, request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if registration.status == EventRegistration.Status.WAITLISTED:
                messages.warning(
                    request,
                    _(
                        "Alle Plätze sind vergeben. Sie stehen auf der Warteliste (Platz %(position)s); "
                        "wird ein Platz frei, rücken Sie automatisch nach und erhalten eine E-Mail."
                    )
                    % {"position": services.waiting_position(registration)},
                )
            else:
                messages.success(
                    request,
                    _("Vielen Dank! Ihre Anmeldung ist eingegangen; Sie erhalten eine Bestätigung per E-Mail."),
                )
            return redirect(event.url)
    return event.serve(request, registration_form=form)


def registration(request, token):
    """The registrant's own registration, opened by the signed link of the mails: see, cancel, and what
    the apps above add (the conference's workshop wishes)."""
    try:
        own = services.registration_from_token(token)
    except BadRegistrationLink:
        text = _("Dieser Link ist ungültig oder beschädigt. Bitte nutzen Sie den Link aus Ihrer Bestätigungs-E-Mail.")
        return TemplateResponse(request, "cms/registration.html", {"error": text}, status=400)
    if request.method == "POST":
        if request.POST.get("action") != "cancel":
            messages.error(request, _("Unbekannte Aktion."))
        else:
            try:
                services.cancel_registration(own)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request, _("Ihre Anmeldung ist storniert. Vielen Dank, dass Sie Bescheid gegeben haben.")
                )
        return redirect("cms:registration", token=token)
    return TemplateResponse(
        request,
        "cms/registration.html",
        {
            "registration": own,
            "event": own.event,
            "position": services.waiting_position(own),
            "cancellable": own.status != EventRegistration.Status.CANCELLED and own.event.start > timezone.now(),
            "panels": registration_panels(own, token, request),
        },
    )


@login_required
def own_registration(request, page_id):
    """From the event page to one's own registration: the account stands in for the mailed link."""
    event = get_object_or_404(EventPage.objects.live().public(), pk=page_id)
    own = event.registrations.filter(email__iexact=request.user.email).first()
    if own is None:
        raise Http404(_("Sie sind für diesen Termin nicht angemeldet."))
    return redirect("cms:registration", token=registration_token(own))
