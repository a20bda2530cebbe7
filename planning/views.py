from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.permissions import PermissionDenied, attempt, refusal_text
from monitoring import selectors as monitoring_selectors
from network import access
from network.models import NetworkBody

from . import paper, permissions, selectors, services, workflow
from .conference import selectors as conference_selectors
from .forms import (
    FinaliseForm,
    ImplementationReportForm,
    PhaseSwitchForm,
    PlanningYearForm,
    ProposalForm,
    RatingForm,
    TransitionForm,
)
from .models import PHASE_HINTS, PlanningYear
from .tracker import TrackerFilterForm, render_years
from .tracker import tracker as tracker_years

# Larger numbers than the columns hold would overflow the query: such a year or proposal does not exist.
MAX_YEAR, MAX_ID = 32767, 2**63 - 1


def _year_or_404(year):
    planning_year = selectors.year_for_page(year) if year <= MAX_YEAR else None
    if planning_year is None:
        raise Http404(_("Dieses Planungsjahr gibt es nicht."))
    return planning_year


def _proposal_or_404(pk):
    proposal = selectors.proposal_for_page(pk) if pk <= MAX_ID else None
    if proposal is None:
        raise Http404(_("Diesen Zielvorschlag gibt es nicht."))
    return proposal


# --- years ---------------------------------------------------------------------------------


def year_list(request):
    return render(
        request,
        "planning/year_list.html",
        {
            "years": selectors.years(),
            "can_manage": permissions.can_manage_planning_year(request.user),
        },
    )


def year_detail(request, year):
    planning_year = _year_or_404(year)
    current = planning_year.current_phase()
    return render(
        request,
        "planning/year_detail.html",
        {
            "year": planning_year,
            "phases": planning_year.ordered_phases(),
            "current": current,
            "current_hint": PHASE_HINTS.get(current.kind) if current else "",
            "next_deadline": planning_year.next_deadline(),
            "can_see_proposals": permissions.can_see_proposals(request.user),
            "can_see_ranking": permissions.can_see_ranking(request.user, planning_year),
            "can_manage": permissions.can_manage_planning_year(request.user, planning_year),
            **_paper_links(request.user, planning_year),
        },
    )


def _paper_links(user, planning_year):
    """The published paper for everyone; its draft and the one-click draft for those who write it."""
    published = paper.paper_for_year(planning_year)
    draft = None
    if published is None and permissions.can_manage_planning_year(user, planning_year):
        draft = paper.paper_for_year(planning_year, live_only=False)
    return {
        "paper": published,
        "paper_draft": draft,
        "can_create_paper": published is None and draft is None and permissions.can_create_paper(user, planning_year),
    }


@login_required
def year_create(request):
    permissions.check_manage_planning_year(request.user)
    form = PlanningYearForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            planning_year = services.open_planning_year(
                request.user,
                form.cleaned_data["year"],
                form.phases(),
                form.cleaned_data["criteria"],
                form.cleaned_data["conflict_rule"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Das Planungsjahr %(year)s ist eröffnet.") % {"year": planning_year.year})
            return redirect(planning_year)
    return render(request, "planning/year_form.html", {"form": form})


@login_required
def year_manage(request, year):
    """The coordination's desk for one year: switch the phase, close the rating round, finalise priorities."""
    planning_year = _year_or_404(year)
    permissions.check_manage_planning_year(request.user, planning_year)
    phase_form = PhaseSwitchForm(initial={"phase": planning_year.current_phase_override})
    finalise_form = FinaliseForm(year=planning_year)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "phase":
                phase_form = PhaseSwitchForm(request.POST)
                if phase_form.is_valid():
                    services.set_current_phase(request.user, planning_year, phase_form.cleaned_data["phase"])
                    messages.success(request, _("Die aktuelle Phase ist geändert."))
                    return redirect("planning:year_manage", year=year)
            elif action == "close":
                services.close_rating_round(request.user, planning_year)
                messages.success(request, _("Die Bewertungsrunde ist abgeschlossen; die Rangliste ist jetzt sichtbar."))
                return redirect("planning:ranking", year=year)
            elif action == "finalise":
                finalise_form = FinaliseForm(request.POST, year=planning_year)
                if finalise_form.is_valid():
                    chosen = [p.pk for p in finalise_form.cleaned_data["prioritised"]]
                    services.finalise_priorities(request.user, planning_year, chosen)
                    messages.success(
                        request, _("Die Prioritätenliste ist festgelegt; die Gruppen sind benachrichtigt.")
                    )
                    return redirect("planning:ranking", year=year)
            else:
                messages.error(request, _("Unbekannte Aktion."))
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, refusal_text(error))
    return render(
        request,
        "planning/year_manage.html",
        {
            "year": planning_year,
            "phase_form": phase_form,
            "finalise_form": finalise_form,
            "proposals": _with_rater_counts(planning_year, selectors.proposals_for(request.user, planning_year)),
            "can_close": permissions.can_close_rating_round(request.user, planning_year),
            "can_finalise": permissions.can_finalise_priorities(request.user, planning_year),
        },
    )


def _with_rater_counts(year, proposals):
    progress = selectors.rating_progress(year)
    proposals = list(proposals)
    for proposal in proposals:
        proposal.rater_count = progress.get(proposal.pk, 0)
    return proposals


def ranking(request, year):
    planning_year = _year_or_404(year)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    permissions.check_see_ranking(request.user, planning_year)
    return render(
        request,
        "planning/ranking.html",
        {
            "year": planning_year,
            "criteria": selectors.criteria_of(planning_year),
            "rows": selectors.ranking(planning_year),
            "can_finalise": permissions.can_finalise_priorities(request.user, planning_year),
        },
    )


def tracker(request, year=None):
    """All years, or one (its own address, kept for links): filtered by year, Themenfeld and what else registers."""
    if year is not None:
        planning_year = PlanningYear.objects.filter(year=year).first() if year <= MAX_YEAR else None
        if planning_year is None:
            raise Http404(_("Dieses Planungsjahr gibt es nicht."))
        form = TrackerFilterForm({**request.GET.dict(), "jahr": str(planning_year.year)})
    else:
        planning_year = None
        form = TrackerFilterForm(request.GET or None)
    return render(
        request,
        "planning/tracker.html",
        {
            "year": planning_year,
            "form": form,
            "sections": render_years(
                tracker_years(form.chosen()), can_see_proposals=permissions.can_see_proposals(request.user)
            ),
        },
    )


# --- proposals -----------------------------------------------------------------------------


@login_required
def proposal_list(request, year):
    planning_year = _year_or_404(year)
    permissions.check_see_proposals(request.user)
    own_bodies = NetworkBody.objects.filter(
        pk__in=access.member_body_ids(request.user), kind__in=permissions.PROPOSING_KINDS
    ).order_by("name")
    return render(
        request,
        "planning/proposal_list.html",
        {
            "year": planning_year,
            "proposals": selectors.proposals_for(request.user, planning_year),
            "draft_statuses": workflow.DRAFT_STATUSES,
            "creatable_bodies": [
                b for b in own_bodies if permissions.can_create_proposal(request.user, planning_year, b)
            ],
        },
    )


@login_required
def proposal_create(request, year, slug):
    planning_year = _year_or_404(year)
    body = NetworkBody.objects.filter(slug=slug).first()
    if body is None:
        raise Http404(_("Diese Gruppe gibt es nicht."))
    permissions.check_create_proposal(request.user, planning_year, body)
    form = ProposalForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        proposal, error = attempt(
            lambda: services.create_proposal(request.user, planning_year, body, **form.cleaned_data)
        )
        if error is not None:
            form.add_error(None, error)
        else:
            messages.success(request, _("Der Entwurf ist gespeichert. Die Gruppe kann ihn jetzt abstimmen."))
            return redirect(proposal)
    return render(request, "planning/proposal_form.html", {"form": form, "year": planning_year, "body": body})


@login_required
def proposal_detail(request, pk):
    proposal = _proposal_or_404(pk)
    permissions.check_see_proposal(request.user, proposal)
    steps = permissions.allowed_transitions(request.user, proposal)
    return render(
        request,
        "planning/proposal_detail.html",
        {
            "proposal": proposal,
            "cited_indicators": monitoring_selectors.cited(list(proposal.indicators.all())),
            "steps": steps,
            "transition_form": TransitionForm(),
            "needs_decision": any(step.needs_decision for step in steps),
            "council_step": any(step.target in workflow.COUNCIL_STATUSES for step in steps),
            "council_decided": proposal.status in workflow.DECIDED_STATUSES,
            "can_edit": permissions.can_update_proposal(request.user, proposal),
            "can_rate": permissions.can_rate(request.user, proposal),
            "can_report": permissions.can_report_implementation(request.user, proposal),
            "report_form": ImplementationReportForm(),
            "conflict": permissions.is_lenkungsrunde_member(request.user)
            and permissions.has_conflict_of_interest(request.user, proposal),
            "conference_results": conference_selectors.results_for_proposal(proposal),
        },
    )


@login_required
def proposal_edit(request, pk):
    proposal = _proposal_or_404(pk)
    permissions.check_see_proposal(request.user, proposal)
    permissions.check_update_proposal(request.user, proposal)
    form = ProposalForm(request.POST or None, user=request.user, initial=ProposalForm.initial_from(proposal))
    if request.method == "POST" and form.is_valid():
        _updated, error = attempt(lambda: services.update_proposal(request.user, proposal, **form.cleaned_data))
        if error is not None:
            form.add_error(None, error)
        else:
            messages.success(request, _("Der Vorschlag ist gespeichert."))
            return redirect(proposal)
    return render(
        request,
        "planning/proposal_form.html",
        {
            "form": form,
            "year": proposal.year,
            "body": proposal.body,
            "proposal": proposal,
        },
    )


@login_required
@require_POST
def proposal_transition(request, pk):
    proposal = _proposal_or_404(pk)
    permissions.check_see_proposal(request.user, proposal)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(" ".join(errors) for errors in form.errors.values()))
        return redirect(proposal)
    changed, error = attempt(lambda: services.transition_proposal(request.user, proposal, **form.cleaned_data))
    if error is not None:
        messages.error(request, error)
    else:
        proposal = changed
        messages.success(request, _("Neuer Status: %(status)s.") % {"status": proposal.get_status_display()})
    return redirect(proposal)


@login_required
def proposal_rate(request, pk):
    proposal = _proposal_or_404(pk)
    permissions.check_see_proposal(request.user, proposal)
    permissions.check_rate(request.user, proposal)
    form = RatingForm(request.POST or None, criteria=selectors.criteria_of(proposal.year))
    if request.method == "POST" and form.is_valid():
        _rating, error = attempt(
            lambda: services.rate_proposal(request.user, proposal, form.scores(), form.cleaned_data["comment"])
        )
        if error is not None:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Ihre Bewertung ist gespeichert. Sie bleibt bis zum Abschluss der Runde geheim.")
            )
            return redirect(proposal)
    return render(
        request,
        "planning/proposal_rate.html",
        {
            "proposal": proposal,
            "form": form,
            "conflict": permissions.has_conflict_of_interest(request.user, proposal),
        },
    )


@login_required
def proposal_report(request, pk):
    proposal = _proposal_or_404(pk)
    permissions.check_report_implementation(request.user, proposal)
    form = ImplementationReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _report, error = attempt(lambda: services.report_implementation(request.user, proposal, **form.cleaned_data))
        if error is not None:
            form.add_error(None, error)
        else:
            messages.success(request, _("Der Bericht zum Umsetzungsstand ist gespeichert."))
            return redirect(proposal)
    return render(request, "planning/proposal_report.html", {"proposal": proposal, "form": form})
