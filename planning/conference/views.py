"""Thin views of the conference: a form, a service call, a template."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cms.models import EventRegistration
from cms.registration_links import BadRegistrationLink
from cms.services import registration_from_token
from core import pdf
from core.permissions import PermissionDenied, message_of

from .. import permissions
from .. import selectors as planning_selectors
from . import exports, selectors, services
from .forms import AssignForm, ConferenceForm, RegistrationActionForm, WishForm, WorkshopForm

MAX_YEAR, MAX_ID = 32767, 2**63 - 1


def _year_or_404(year):
    planning_year = planning_selectors.year_for_page(year) if year <= MAX_YEAR else None
    if planning_year is None:
        raise Http404(_("Dieses Planungsjahr gibt es nicht."))
    return planning_year


def _conference_or_404(year):
    conference = selectors.conference_of(_year_or_404(year))
    if conference is None:
        raise Http404(_("Für dieses Planungsjahr ist noch keine Sozialraumkonferenz eingerichtet."))
    return conference


def _error_text(error):
    return " ".join(error.messages) if isinstance(error, ValidationError) else message_of(error)


def _form_errors(form):
    return " ".join(" ".join(errors) for errors in form.errors.values())


def conference(request, year):
    """Public: when and where, the workshops with their rooms and free places, one's own place."""
    conference = _conference_or_404(year)
    own = None
    if request.user.is_authenticated:
        own = (
            conference.event.registrations.exclude(status=EventRegistration.Status.CANCELLED)
            .filter(email__iexact=request.user.email)
            .first()
        )
    return render(
        request,
        "planning/conference/detail.html",
        {
            "conference": conference,
            "year": conference.year,
            "event": conference.event,
            "workshops": selectors.workshops_of(conference),
            "own": own,
            "own_choice": selectors.own_choice(own) if own else None,
            "can_manage": permissions.can_manage_conference(request.user, conference),
            "can_see_report": permissions.can_see_conference_report(request.user, conference),
            "can_see_proposals": permissions.can_see_proposals(request.user),
        },
    )


@login_required
def manage(request, year):
    """Set the conference up (its event page) and write and publish the report."""
    planning_year = _year_or_404(year)
    permissions.check_manage_conference(request.user)
    existing = selectors.conference_of(planning_year)
    initial = (
        {
            "event": existing.event,
            "report_summary": existing.report_summary,
            "publish": existing.report_is_published,
        }
        if existing
        else {}
    )
    form = ConferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            conference = services.set_up_conference(request.user, planning_year, form.cleaned_data["event"])
            services.update_report(
                request.user, conference, form.cleaned_data["report_summary"], form.cleaned_data["publish"]
            )
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(request, _("Die Konferenz ist gespeichert."))
            return redirect("planning:conference", year=year)
    return render(
        request,
        "planning/conference/manage.html",
        {"form": form, "year": planning_year, "conference": existing},
    )


def _workshop_form_view(request, year, pk=None):
    conference = _conference_or_404(year)
    permissions.check_manage_conference(request.user, conference)
    workshop = None
    if pk is not None:
        workshop = conference.workshops.filter(pk=pk).first() if pk <= MAX_ID else None
        if workshop is None:
            raise Http404(_("Dieses Forum gibt es nicht."))
    initial = WorkshopForm.initial_from(workshop) if workshop else {}
    form = WorkshopForm(request.POST or None, initial=initial, year=conference.year)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_workshop(request.user, conference, workshop, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(request, _("Das Forum ist gespeichert."))
            return redirect("planning:conference", year=year)
    return render(
        request,
        "planning/conference/workshop_form.html",
        {"form": form, "conference": conference, "year": conference.year, "workshop": workshop},
    )


@login_required
def workshop_create(request, year):
    return _workshop_form_view(request, year)


@login_required
def workshop_edit(request, year, pk):
    return _workshop_form_view(request, year, pk)


@login_required
def registrations(request, year):
    """The coordination's list: who registered (with organisation), the waiting list, cancellations,
    wishes and places; actions: assign automatically, change a place, cancel a registration."""
    conference = _conference_or_404(year)
    permissions.check_manage_conference(request.user, conference)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "assign_all":
                result = services.assign_automatically(request.user, conference)
                messages.success(
                    request,
                    _(
                        "Plätze zugeteilt: %(first)s nach Erstwunsch, %(second)s nach Zweitwunsch, "
                        "%(kept)s von Hand behalten, %(none)s ohne Platz."
                    )
                    % {
                        "first": result.first,
                        "second": result.second,
                        "kept": result.kept,
                        "none": result.without_place,
                    },
                )
            elif action == "assign":
                form = AssignForm(request.POST, conference=conference)
                if not form.is_valid():
                    raise ValidationError(_form_errors(form))
                services.assign_by_hand(
                    request.user, conference, form.cleaned_data["registration"], form.cleaned_data["workshop"]
                )
                messages.success(request, _("Der Platz ist geändert."))
            elif action == "cancel":
                form = RegistrationActionForm(request.POST, conference=conference)
                if not form.is_valid():
                    raise ValidationError(_form_errors(form))
                moved_up = services.cancel_as_organiser(request.user, conference, form.cleaned_data["registration"])
                text = _("Die Anmeldung ist storniert.")
                if moved_up is not None:
                    text += " " + _("%(name)s ist von der Warteliste nachgerückt und benachrichtigt.") % {
                        "name": moved_up.name
                    }
                messages.success(request, text)
            else:
                messages.error(request, _("Unbekannte Aktion."))
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, _error_text(error))
        return redirect("planning:conference_registrations", year=year)
    rows = selectors.registration_rows(conference)
    return render(
        request,
        "planning/conference/registrations.html",
        {
            "conference": conference,
            "year": conference.year,
            "event": conference.event,
            "rows": rows,
            "counts": selectors.counts(rows),
            "workshops": selectors.workshops_of(conference),
        },
    )


@login_required
def registrations_csv(request, year):
    conference = _conference_or_404(year)
    permissions.check_manage_conference(request.user, conference)
    response = HttpResponse(exports.registrations_csv(conference), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="anmeldungen-konferenz-{conference.year.year}.csv"'
    return response


@login_required
def name_list(request, year):
    conference = _conference_or_404(year)
    permissions.check_manage_conference(request.user, conference)
    return render(
        request,
        "planning/conference/name_list.html",
        {"conference": conference, "event": conference.event, "rows": selectors.name_list(conference)},
    )


@login_required
def name_list_pdf(request, year):
    conference = _conference_or_404(year)
    permissions.check_manage_conference(request.user, conference)
    return pdf.pdf_response(exports.name_list_pdf(conference), f"Namensliste-Konferenz-{conference.year.year}.pdf")


@login_required
def badges_pdf(request, year):
    conference = _conference_or_404(year)
    permissions.check_manage_conference(request.user, conference)
    return pdf.pdf_response(exports.badges_pdf(conference), f"Namensschilder-Konferenz-{conference.year.year}.pdf")


def report(request, year):
    """Public once the coordination publishes it: results per workshop, linked to the proposals."""
    conference = _conference_or_404(year)
    permissions.check_see_conference_report(request.user, conference)
    return render(
        request,
        "planning/conference/report.html",
        {
            "conference": conference,
            "year": conference.year,
            "event": conference.event,
            "workshops": selectors.workshops_of(conference),
            "can_see_proposals": permissions.can_see_proposals(request.user),
            "can_manage": permissions.can_manage_conference(request.user, conference),
        },
    )


@login_required
def county_report_pdf(request, year):
    """Bericht an den Landkreis, for the county's Regionalkoordination."""
    conference = _conference_or_404(year)
    permissions.check_manage_conference(request.user, conference)
    return pdf.pdf_response(
        exports.county_report_pdf(conference), f"Bericht-an-den-Landkreis-{conference.year.year}.pdf"
    )


@require_POST
def wishes(request, year, token):
    """The wish form on the registrant's own page (cms.registration_panels) posts here with its signed link."""
    conference = _conference_or_404(year)
    try:
        registration = registration_from_token(token)
    except BadRegistrationLink:
        return render(
            request,
            "cms/registration.html",
            {
                "error": _(
                    "Dieser Link ist ungültig oder beschädigt. Bitte nutzen Sie den Link aus Ihrer Bestätigungs-E-Mail."
                )
            },
            status=400,
        )
    if registration.event_id != conference.event_id:
        raise Http404(_("Diese Anmeldung gehört nicht zu dieser Konferenz."))
    form = WishForm(request.POST, conference=conference)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
    else:
        try:
            services.choose_workshops(
                request.user,
                registration,
                form.cleaned_data["first_wish"],
                form.cleaned_data["second_wish"],
                link_holder=True,
            )
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("Ihre Forumswünsche sind gespeichert."))
    return redirect("cms:registration", token=token)
