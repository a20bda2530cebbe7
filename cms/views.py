from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.models import Page

from . import services
from .forms import EventRegistrationForm
from .models import EventPage

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
            services.register_attendee(event, form, request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("Vielen Dank! Ihre Anmeldung ist eingegangen; Sie erhalten eine Bestätigung per E-Mail.")
            )
            return redirect(event.url)
    return event.serve(request, registration_form=form)
