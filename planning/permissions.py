"""Who may do what in the planning cycle (core.permissions convention: check_ raises, can_ answers).

Roles come from network.access. The Lenkungsrunde is every body of kind `lenkungsrunde`
(network.NetworkBody.Kind; Teltow has one, "Lenkungsrunde Sozialplanung"), so renaming it or
changing its slug changes nothing here.
"""

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from cms.models import EventRegistration
from core.permissions import PermissionDenied, Viewer, allowed
from network import access
from network.models import NetworkBody

from . import workflow
from .models import Conference, PlanningYear, Proposal, Rating

PROPOSING_KINDS = (NetworkBody.Kind.FOKUSGRUPPE, NetworkBody.Kind.ARBEITSGRUPPE)


def _lenkungsrunde_ids(user: Viewer) -> set[int]:
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_planning_lenkungsrunde_ids", None)
    if cached is None:
        cached = (
            set(
                NetworkBody.objects.filter(
                    kind=NetworkBody.Kind.LENKUNGSRUNDE, pk__in=access.member_body_ids(user)
                ).values_list("pk", flat=True)
            )
            if access.member_body_ids(user)
            else set()
        )
        user._planning_lenkungsrunde_ids = cached  # type: ignore[attr-defined]  # kept on the user for the request
    return cached


def is_lenkungsrunde_member(user: Viewer) -> bool:
    return access.is_professional(user) and bool(_lenkungsrunde_ids(user))


def roles_for(user: Viewer, proposal: Proposal) -> set[str]:
    """The workflow roles (planning.workflow) this person holds for this proposal."""
    roles = set()
    if access.is_coordinator(user):
        roles.add(workflow.COORDINATION)
    if access.is_professional(user):
        if access.is_member(user, proposal.body):
            roles.add(workflow.GROUP_MEMBER)
        if access.is_body_moderator(user, proposal.body):
            roles.update({workflow.GROUP_MODERATOR, workflow.GROUP_MEMBER})
        if is_lenkungsrunde_member(user):
            roles.add(workflow.LENKUNGSRUNDE)
    return roles


def has_conflict_of_interest(user: Viewer, proposal: Proposal) -> bool:
    """A Lenkungsrunde member who also sits in the proposing group."""
    return access.is_member(user, proposal.body)


# --- years ---------------------------------------------------------------------------------


def check_manage_planning_year(user: Viewer, year: PlanningYear | None = None) -> None:
    if not access.is_coordinator(user):
        raise PermissionDenied(_("Planungsjahre verwaltet die Sozialraumkoordination."))


def check_close_rating_round(user: Viewer, year: PlanningYear) -> None:
    check_manage_planning_year(user, year)
    if year.rating_is_closed:
        raise PermissionDenied(_("Die Bewertungsrunde %(year)s ist bereits abgeschlossen.") % {"year": year.year})


def check_finalise_priorities(user: Viewer, year: PlanningYear) -> None:
    check_manage_planning_year(user, year)
    if not year.rating_is_closed:
        raise PermissionDenied(_("Die Prioritätenliste entsteht erst, wenn die Bewertungsrunde abgeschlossen ist."))
    if year.priorities_finalised_at is not None:
        raise PermissionDenied(_("Die Prioritätenliste %(year)s ist bereits festgelegt.") % {"year": year.year})


def check_see_ranking(user: Viewer, year: PlanningYear) -> None:
    if not (access.is_professional(user) or access.is_coordinator(user)):
        raise PermissionDenied(_("Die Rangliste ist nur für freigegebene Fachkräfte sichtbar."))
    if not year.rating_is_closed:
        raise PermissionDenied(
            _("Die Bewertungen bleiben geheim, bis die Sozialraumkoordination die Bewertungsrunde abschließt.")
        )


def check_see_proposals(user: Viewer) -> None:
    if not (access.is_professional(user) or access.is_coordinator(user)):
        raise PermissionDenied(_("Zielvorschläge sind nur für freigegebene Fachkräfte des Netzwerks sichtbar."))


# --- proposals -----------------------------------------------------------------------------


def check_see_proposal(user: Viewer, proposal: Proposal) -> None:
    check_see_proposals(user)
    if proposal.status in workflow.DRAFT_STATUSES and not (
        access.is_coordinator(user) or access.is_member(user, proposal.body)
    ):
        raise PermissionDenied(_("Entwürfe sieht nur die vorschlagende Gruppe, bis sie eingereicht sind."))


def _check_deadline(user: Viewer, year: PlanningYear) -> None:
    """After the deadline only the coordination still adds or submits a proposal (a late one it accepts)."""
    if access.is_coordinator(user):
        return
    deadline = year.submission_deadline()
    if deadline is not None and deadline < timezone.localdate():
        raise PermissionDenied(
            _("Die Frist für Zielvorschläge %(year)s ist am %(date)s abgelaufen.")
            % {"year": year.year, "date": deadline.strftime("%d.%m.%Y")}
        )


def check_create_proposal(user: Viewer, year: PlanningYear, body: NetworkBody) -> None:
    if access.is_coordinator(user):
        return
    if body.kind not in PROPOSING_KINDS:
        raise PermissionDenied(_("Zielvorschläge kommen aus Fokusgruppen und Arbeitsgruppen."))
    if not (access.is_professional(user) and access.is_member(user, body)):
        raise PermissionDenied(_("Zielvorschläge schreiben die Mitglieder der Gruppe."))
    _check_deadline(user, year)


def check_update_proposal(user: Viewer, proposal: Proposal) -> None:
    roles = roles_for(user, proposal)
    if roles & {workflow.GROUP_MODERATOR, workflow.COORDINATION}:
        return
    if workflow.GROUP_MEMBER in roles:
        if proposal.status in workflow.GROUP_EDITABLE:
            return
        raise PermissionDenied(
            _(
                "Nach dem Abstimmen in der Gruppe ändern nur noch die Moderation und die Sozialraumkoordination den Vorschlag."
            )
        )
    raise PermissionDenied(_("Diesen Vorschlag bearbeiten nur die Mitglieder der vorschlagenden Gruppe."))


def check_transition(user: Viewer, proposal: Proposal, target: str) -> None:
    step = workflow.transition(proposal.status, target)
    if step is None:
        raise PermissionDenied(
            _("Ein Vorschlag im Status „%(source)s“ kann nicht direkt in den Status „%(target)s“ wechseln.")
            % {"source": Proposal.Status(proposal.status).label, "target": _status_label(target)}
        )
    if not step.roles & roles_for(user, proposal):
        raise PermissionDenied(
            _("Diesen Schritt („%(step)s“) gehen nur: %(roles)s.")
            % {"step": step.label, "roles": ", ".join(str(workflow.ROLE_LABELS[r]) for r in sorted(step.roles))}
        )
    if target == Proposal.Status.EINGEREICHT:
        _check_deadline(user, proposal.year)


def _status_label(value: str) -> str | Promise:
    return Proposal.Status(value).label if value in Proposal.Status.values else value


def allowed_transitions(user: Viewer, proposal: Proposal) -> list[workflow.Transition]:
    """The steps this person may take now, for the buttons on the proposal's page."""
    return [
        step
        for step in workflow.transitions_from(proposal.status)
        if allowed(check_transition, user, proposal, step.target)
    ]


def check_report_implementation(user: Viewer, proposal: Proposal) -> None:
    if not access.is_coordinator(user):
        raise PermissionDenied(_("Über den Stand der Umsetzung berichtet die Sozialraumkoordination."))
    if proposal.status not in workflow.REPORTABLE_STATUSES:
        raise PermissionDenied(_("Über die Umsetzung wird erst berichtet, wenn die SVV den Vorschlag beschlossen hat."))


def can_report_implementation(user: Viewer, proposal: Proposal) -> bool:
    return allowed(check_report_implementation, user, proposal)


# --- ratings -------------------------------------------------------------------------------


def check_rate(user: Viewer, proposal: Proposal) -> None:
    if not is_lenkungsrunde_member(user):
        raise PermissionDenied(_("Zielvorschläge bewerten die Mitglieder der Lenkungsrunde."))
    if proposal.year.rating_is_closed:
        raise PermissionDenied(_("Die Bewertungsrunde ist abgeschlossen; Bewertungen sind nicht mehr möglich."))
    if proposal.status != Proposal.Status.IN_BEWERTUNG:
        raise PermissionDenied(_("Dieser Vorschlag ist nicht zur Bewertung freigegeben."))
    if proposal.year.conflict_rule == PlanningYear.ConflictRule.EXCLUDED and has_conflict_of_interest(user, proposal):
        raise PermissionDenied(
            _(
                "Sie sitzen in der vorschlagenden Gruppe; nach den Regeln dieses Jahres bewerten Sie deren Vorschläge nicht."
            )
        )
    # Only members of the Lenkungsrunde get here, who are signed in.
    if Rating.objects.filter(proposal=proposal, rater=user).exists():  # type: ignore[misc]
        raise PermissionDenied(_("Sie haben diesen Vorschlag bereits bewertet; jede Person bewertet einmal."))


def can_manage_planning_year(user: Viewer, year: PlanningYear | None = None) -> bool:
    return allowed(check_manage_planning_year, user, year)


def can_close_rating_round(user: Viewer, year: PlanningYear) -> bool:
    return allowed(check_close_rating_round, user, year)


def can_finalise_priorities(user: Viewer, year: PlanningYear) -> bool:
    return allowed(check_finalise_priorities, user, year)


def can_see_ranking(user: Viewer, year: PlanningYear) -> bool:
    return allowed(check_see_ranking, user, year)


def can_see_proposals(user: Viewer) -> bool:
    return allowed(check_see_proposals, user)


def can_see_proposal(user: Viewer, proposal: Proposal) -> bool:
    return allowed(check_see_proposal, user, proposal)


def can_create_proposal(user: Viewer, year: PlanningYear, body: NetworkBody) -> bool:
    return allowed(check_create_proposal, user, year, body)


def can_update_proposal(user: Viewer, proposal: Proposal) -> bool:
    return allowed(check_update_proposal, user, proposal)


def can_rate(user: Viewer, proposal: Proposal) -> bool:
    return allowed(check_rate, user, proposal)


# --- Sozialraumkonferenz (planning.conference) ---------------------------------------------


def check_manage_conference(user: Viewer, conference: Conference | None = None) -> None:
    """Registration list, workshops, assignment, results and the report: the coordination organises."""
    if not access.is_coordinator(user):
        raise PermissionDenied(_("Die Sozialraumkonferenz organisiert die Sozialraumkoordination."))


def check_see_registration(user: Viewer, registration: EventRegistration, link_holder: bool = False) -> None:
    """One's own registration: by the signed link of the mails, by one's account, or as the coordination."""
    if link_holder or access.is_coordinator(user):
        return
    if user.is_authenticated and registration.user_id == user.pk:
        return
    raise PermissionDenied(_("Eine Anmeldung sehen nur die angemeldete Person und die Sozialraumkoordination."))


def check_choose_workshops(user: Viewer, registration: EventRegistration, link_holder: bool = False) -> None:
    check_see_registration(user, registration, link_holder)
    if registration.status == EventRegistration.Status.CANCELLED:
        raise PermissionDenied(_("Diese Anmeldung ist storniert; Forumswünsche sind nicht mehr möglich."))
    if registration.event.start <= timezone.now():
        raise PermissionDenied(_("Die Konferenz hat begonnen; die Foren stehen fest."))


def check_see_conference_report(user: Viewer, conference: Conference) -> None:
    if conference.report_is_published or access.is_coordinator(user):
        return
    raise PermissionDenied(_("Der Bericht zur Sozialraumkonferenz ist noch nicht veröffentlicht."))


def can_manage_conference(user: Viewer, conference: Conference | None = None) -> bool:
    return allowed(check_manage_conference, user, conference)


def can_choose_workshops(user: Viewer, registration: EventRegistration, link_holder: bool = False) -> bool:
    return allowed(check_choose_workshops, user, registration, link_holder)


def can_see_conference_report(user: Viewer, conference: Conference) -> bool:
    return allowed(check_see_conference_report, user, conference)


# --- Planungspapier ------------------------------------------------------------------------


def check_create_paper(user: Viewer, year: PlanningYear) -> None:
    # The coordination moderates the Lenkungsrunde and may edit pages in the Wagtail admin, where the draft is finished.
    if not access.is_coordinator(user):
        raise PermissionDenied(_("Den Entwurf des Planungspapiers legt die Sozialraumkoordination an."))
    if year.priorities_finalised_at is None:
        raise PermissionDenied(
            _("Das Planungspapier entsteht, sobald die Prioritätenliste %(year)s festgelegt ist.") % {"year": year.year}
        )


def can_create_paper(user: Viewer, year: PlanningYear) -> bool:
    return allowed(check_create_paper, user, year)


def check_see_paper_draft(user: Viewer) -> None:
    if not access.is_editor(user):
        raise PermissionDenied(
            _("Unveröffentlichte Planungspapiere sehen nur die Redaktion und die Sozialraumkoordination.")
        )
