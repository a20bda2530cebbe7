"""Writing proposals: drafts belong to the group, submitted ones to the whole network."""

import pytest

from core.permissions import PermissionDenied
from planning import services
from planning.models import Proposal, ProposalEvent

S = Proposal.Status


def test_a_member_of_the_group_drafts_a_proposal_through_the_form(cycle, logged_in, make_organisation):
    partner = make_organisation("Kita Sonnenschein")
    response = logged_in(cycle.kita_member).post(
        f"/sozialplanung/{cycle.year.year}/vorschlaege/neu/fg-kita/",
        {
            "title": "Sprachförderung",
            "problem": "Viele Kinder ohne Deutsch zu Hause.",
            "goal": "Sprachkitas",
            "estimated_cost": "12000,50",
            "partners": [partner.pk],
        },
    )

    proposal = Proposal.objects.get()
    assert response.status_code == 302 and response["Location"] == proposal.get_absolute_url()
    assert (proposal.status, proposal.body, proposal.themenfeld) == (S.ENTWURF, cycle.kita, cycle.themenfeld)
    assert str(proposal.estimated_cost) == "12000.50"
    assert list(proposal.partners.all()) == [partner]
    assert ProposalEvent.objects.get().actor == cycle.kita_member


def test_someone_outside_the_group_cannot_draft_for_it(cycle, logged_in):
    response = logged_in(cycle.schule_moderator).post(
        f"/sozialplanung/{cycle.year.year}/vorschlaege/neu/fg-kita/", {"title": "X", "problem": "Y", "goal": "Z"}
    )
    assert response.status_code == 403
    assert "Zielvorschläge schreiben die Mitglieder der Gruppe." in response.content.decode()
    assert not Proposal.objects.exists()


def test_a_draft_is_seen_only_by_its_group(cycle, make_proposal, logged_in):
    draft = make_proposal(S.ENTWURF, title="Geheimer Entwurf")

    assert logged_in(cycle.kita_member).get(draft.get_absolute_url()).status_code == 200
    refused = logged_in(cycle.schule_moderator).get(draft.get_absolute_url())
    assert refused.status_code == 403 and "Entwürfe sieht nur die vorschlagende Gruppe" in refused.content.decode()
    listing = logged_in(cycle.outsider).get(f"/sozialplanung/{cycle.year.year}/vorschlaege/").content.decode()
    assert "Geheimer Entwurf" not in listing


def test_a_submitted_proposal_is_seen_by_every_professional(cycle, make_proposal, logged_in, client):
    submitted = make_proposal(S.EINGEREICHT, title="Schulhof öffnen", body=cycle.schule)

    listing = logged_in(cycle.kita_member).get(f"/sozialplanung/{cycle.year.year}/vorschlaege/").content.decode()
    assert "Schulhof öffnen" in listing
    assert "Schulhof öffnen" in logged_in(cycle.outsider).get(submitted.get_absolute_url()).content.decode()
    assert client.get(submitted.get_absolute_url()).status_code == 302  # to the login


def test_members_edit_a_draft_but_after_the_vote_only_the_moderation(cycle, make_proposal):
    proposal = make_proposal(S.ENTWURF)
    services.update_proposal(cycle.kita_member, proposal, title="Sozialarbeit in allen Kitas")
    services.transition_proposal(cycle.kita_moderator, proposal, S.ABGESTIMMT)
    before = Proposal.objects.filter(pk=proposal.pk).values().get()

    with pytest.raises(PermissionDenied) as refusal:
        services.update_proposal(cycle.kita_member, proposal, title="Anders")
    assert "nur noch die Moderation" in str(refusal.value)
    assert Proposal.objects.filter(pk=proposal.pk).values().get() == before

    services.update_proposal(cycle.kita_moderator, proposal, title="Sozialarbeit in jeder Kita")
    proposal.refresh_from_db()
    assert proposal.title == "Sozialarbeit in jeder Kita"


def test_the_edit_form_refuses_a_member_after_submission(cycle, make_proposal, logged_in):
    proposal = make_proposal(S.EINGEREICHT)
    response = logged_in(cycle.kita_member).post(
        f"/sozialplanung/vorschlaege/{proposal.pk}/bearbeiten/", {"title": "Anders", "problem": "P", "goal": "G"}
    )
    assert response.status_code == 403
    proposal.refresh_from_db()
    assert proposal.title == "Mehr Kita-Sozialarbeit"


def test_a_linked_forum_topic_must_be_readable_by_the_author(cycle, logged_in, make_body):
    from forum import services as forum_services

    closed = make_body("Interne Runde", slug="interne-runde", members_only=True)
    topic = forum_services.create_topic(cycle.coordinator, closed.forum_board, "Vertraulich", "Text")
    response = logged_in(cycle.kita_member).post(
        f"/sozialplanung/{cycle.year.year}/vorschlaege/neu/fg-kita/",
        {"title": "T", "problem": "P", "goal": "G", "forum_topics": [topic.pk]},
    )
    assert response.status_code == 200
    assert not Proposal.objects.exists()


def test_the_status_change_mails_the_group_after_the_commit(
    cycle, make_proposal, django_capture_on_commit_callbacks, mailoutbox
):
    proposal = make_proposal(S.EINGEREICHT)
    with django_capture_on_commit_callbacks(execute=True):
        services.transition_proposal(cycle.coordinator, proposal, S.ZURUECK, comment="Bitte Kosten schätzen.")

    recipients = {address for message in mailoutbox for address in message.to}
    assert {cycle.kita_member.email, cycle.kita_moderator.email} <= recipients
    assert cycle.schule_moderator.email not in recipients
    message = next(m for m in mailoutbox if cycle.kita_member.email in m.to)
    assert "zurück an die Fokusgruppe" in message.subject and "Bitte Kosten schätzen." in message.body
