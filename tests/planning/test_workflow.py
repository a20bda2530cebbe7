"""The proposal workflow: each step of planning.workflow by the role the table names, nothing else."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.permissions import PermissionDenied
from planning import services, workflow
from planning.models import Phase, Proposal, ProposalEvent

S = Proposal.Status


def actor_for(cycle, role):
    return {
        workflow.GROUP_MODERATOR: cycle.kita_moderator,
        workflow.GROUP_MEMBER: cycle.kita_member,
        workflow.LENKUNGSRUNDE: cycle.raters[1],
        workflow.COORDINATION: cycle.coordinator,
    }[role]


def step_arguments(step):
    arguments = {}
    if step.needs_comment:
        arguments["comment"] = "Bitte Zahlen der Bestandsaufnahme ergänzen."
    if step.needs_decision:
        arguments.update(budget_amount=25_000, drucksache="DS 42/2026")
    return arguments


def snapshot(proposal):
    return (
        Proposal.objects.filter(pk=proposal.pk).values().get(),
        list(ProposalEvent.objects.filter(proposal=proposal).values_list("pk", flat=True)),
    )


ALLOWED = [(step, role) for step in workflow.TRANSITIONS for role in sorted(step.roles)]


@pytest.mark.parametrize("step, role", ALLOWED, ids=[f"{s.source}->{s.target} by {r}" for s, r in ALLOWED])
def test_each_allowed_step_is_taken_by_each_allowed_role_and_recorded(cycle, make_proposal, step, role):
    proposal = make_proposal(step.source)
    actor = actor_for(cycle, role)

    services.transition_proposal(actor, proposal, step.target, **step_arguments(step))

    proposal.refresh_from_db()
    assert proposal.status == step.target
    event = proposal.events.last()
    assert (event.from_status, event.to_status, event.actor) == (step.source, step.target, actor)
    if step.needs_decision:
        assert proposal.drucksache == "DS 42/2026" and proposal.budget_amount == 25_000


REFUSED = [
    (step, role)
    for step in workflow.TRANSITIONS
    for role in (workflow.GROUP_MEMBER, workflow.LENKUNGSRUNDE, workflow.GROUP_MODERATOR)
    if role not in step.roles
]


@pytest.mark.parametrize("step, role", REFUSED, ids=[f"{s.source}->{s.target} by {r}" for s, r in REFUSED])
def test_a_step_by_a_role_the_table_does_not_name_is_refused_and_nothing_changes(cycle, make_proposal, step, role):
    proposal = make_proposal(step.source)
    before = snapshot(proposal)

    with pytest.raises(PermissionDenied) as refusal:
        services.transition_proposal(actor_for(cycle, role), proposal, step.target, **step_arguments(step))

    assert "Diesen Schritt" in str(refusal.value)
    assert snapshot(proposal) == before


def test_the_moderator_of_another_group_cannot_move_a_proposal(cycle, make_proposal):
    proposal = make_proposal(S.ENTWURF)
    before = snapshot(proposal)
    with pytest.raises(PermissionDenied):
        services.transition_proposal(cycle.schule_moderator, proposal, S.ABGESTIMMT)
    assert snapshot(proposal) == before


@pytest.mark.parametrize("source", S.values)
def test_every_step_the_table_does_not_have_is_refused_even_for_the_coordination(cycle, make_proposal, source):
    proposal = make_proposal(source)
    before = snapshot(proposal)
    invalid = [target for target in S.values if workflow.transition(source, target) is None]

    for target in invalid:
        with pytest.raises(PermissionDenied) as refusal:
            services.transition_proposal(
                cycle.coordinator, proposal, target, comment="x", budget_amount=1, drucksache="1"
            )
        assert "kann nicht direkt" in str(refusal.value)
        assert f"„{S(source).label}“" in str(refusal.value)
        assert snapshot(proposal) == before


def test_sending_a_proposal_back_needs_a_reason(cycle, make_proposal):
    proposal = make_proposal(S.IN_BEWERTUNG)
    before = snapshot(proposal)
    with pytest.raises(ValidationError) as refusal:
        services.transition_proposal(cycle.coordinator, proposal, S.ZURUECK, comment="   ")
    assert "begründen" in refusal.value.messages[0]
    assert snapshot(proposal) == before


@pytest.mark.parametrize(
    "arguments", [{"drucksache": "DS 1/2026"}, {"budget_amount": 100}, {"budget_amount": -5, "drucksache": "DS"}]
)
def test_a_council_decision_needs_budget_and_drucksache(cycle, make_proposal, arguments):
    proposal = make_proposal(S.IM_PLANUNGSPAPIER)
    before = snapshot(proposal)
    with pytest.raises(ValidationError):
        services.transition_proposal(cycle.coordinator, proposal, S.BESCHLOSSEN, **arguments)
    assert snapshot(proposal) == before


def test_the_proposal_page_offers_exactly_the_steps_the_person_may_take(cycle, make_proposal, logged_in):
    proposal = make_proposal(S.ABGESTIMMT)

    moderator_page = logged_in(cycle.kita_moderator).get(proposal.get_absolute_url()).content.decode()
    member_page = logged_in(cycle.kita_member).get(proposal.get_absolute_url()).content.decode()

    assert 'value="eingereicht"' in moderator_page and "Einreichen" in moderator_page
    assert 'value="entwurf"' in moderator_page
    assert 'value="eingereicht"' not in member_page


def test_a_refused_step_through_the_page_shows_the_reason_and_changes_nothing(cycle, make_proposal, logged_in):
    proposal = make_proposal(S.ENTWURF)
    before = snapshot(proposal)

    response = logged_in(cycle.kita_moderator).post(
        f"/sozialplanung/vorschlaege/{proposal.pk}/status/", {"target": S.BESCHLOSSEN}, follow=True
    )

    assert "kann nicht direkt in den Status „von der SVV beschlossen“ wechseln" in response.content.decode()
    assert snapshot(proposal) == before


def test_the_history_shows_who_moved_the_proposal_with_the_reason(cycle, make_proposal, logged_in):
    proposal = make_proposal(S.EINGEREICHT)
    services.transition_proposal(cycle.coordinator, proposal, S.ZURUECK, comment="Kosten fehlen noch.")

    page = logged_in(cycle.kita_member).get(proposal.get_absolute_url()).content.decode()

    assert "zurück an die Fokusgruppe" in page
    assert "Kosten fehlen noch." in page
    assert cycle.coordinator.public_name in page


def test_after_the_deadline_only_the_coordination_still_submits(cycle, make_proposal):
    proposal = make_proposal(S.ABGESTIMMT)
    cycle.year.phases.filter(kind=Phase.Kind.ZIELVORSCHLAEGE).update(ends_on=timezone.localdate() - timedelta(days=1))
    before = snapshot(proposal)

    with pytest.raises(PermissionDenied) as refusal:
        services.transition_proposal(cycle.kita_moderator, proposal, S.EINGEREICHT)
    assert "Frist für Zielvorschläge" in str(refusal.value)
    assert snapshot(proposal) == before

    services.transition_proposal(cycle.coordinator, proposal, S.EINGEREICHT)
    proposal.refresh_from_db()
    assert proposal.status == S.EINGEREICHT
