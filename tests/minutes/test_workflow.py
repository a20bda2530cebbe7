"""Entwurf → zur Abstimmung → freigegeben → veröffentlicht: only these steps, only by the allowed people."""

import pytest
from django.urls import reverse

from core.permissions import PermissionDenied
from forum.models import Topic
from minutes import services
from minutes.models import Minutes


def test_putting_minutes_to_the_vote_opens_a_linked_topic_in_the_bodys_forum(minutes, moderator, member, logged_in):
    minutes = services.change_status(moderator, minutes, "voting")
    topic = Topic.objects.get(pk=minutes.discussion_id)
    assert topic.board == minutes.meeting.body.forum_board
    assert "Protokoll zur Abstimmung: Sitzung der Lenkungsrunde" in topic.title
    assert minutes.get_absolute_url() in topic.posts.get(number=1).markdown
    page = logged_in(member).get(minutes.get_absolute_url()).content.decode()
    assert topic.get_absolute_url() in page and "Anmerkungen im Forum" in page


def test_members_read_minutes_from_the_vote_on_but_not_the_draft(minutes, moderator, member, logged_in):
    browser = logged_in(member)
    draft = browser.get(minutes.get_absolute_url())
    assert draft.status_code == 403
    assert "noch ein Entwurf" in draft.content.decode()
    services.change_status(moderator, minutes, "voting")
    assert "Die Kita-Planung wurde vorgestellt." in browser.get(minutes.get_absolute_url()).content.decode()


def test_outsiders_never_read_the_minutes(published, professional, other_moderator, logged_in):
    for person in (professional, other_moderator):
        response = logged_in(person).get(published.get_absolute_url())
        assert response.status_code == 403
        assert "nur für Mitglieder des Gremiums" in response.content.decode()


def test_the_moderator_approves_and_publishes_and_the_approved_version_is_frozen(published, moderator):
    assert published.status == Minutes.Status.PUBLISHED
    assert published.approved_by == moderator and published.approved_at and published.published_at
    with pytest.raises(PermissionDenied, match="freigegeben und kann nicht mehr geändert werden"):
        services.edit_minutes(moderator, published, text="Nachträglich geändert")
    with pytest.raises(PermissionDenied, match="freigegeben"):
        services.add_decision(moderator, published, "Noch ein Beschluss")
    published.refresh_from_db()
    assert published.text == "## Bericht\n\nDie Kita-Planung wurde vorgestellt."
    assert published.decisions.count() == 1


def test_a_member_may_not_approve(minutes, moderator, member):
    services.change_status(moderator, minutes, "voting")
    with pytest.raises(PermissionDenied, match="nur die Moderation"):
        services.change_status(member, minutes, "approved")
    assert Minutes.objects.get(pk=minutes.pk).status == Minutes.Status.VOTING


def test_the_author_puts_their_own_draft_to_the_vote(past_meeting, member):
    minutes = services.start_minutes(member, past_meeting, "Kurzprotokoll")
    minutes = services.change_status(member, minutes, "voting")
    assert minutes.status == Minutes.Status.VOTING


def test_the_moderator_takes_minutes_back_into_the_draft_to_rework_them(minutes, moderator):
    services.change_status(moderator, minutes, "voting")
    minutes = services.change_status(moderator, minutes, "draft")
    services.edit_minutes(moderator, minutes, text="Überarbeitet")
    again = services.change_status(moderator, minutes, "voting")
    # The comment thread stays the same one.
    assert Topic.objects.filter(pk=again.discussion_id).count() == 1
    assert Topic.objects.filter(title__startswith="Protokoll zur Abstimmung").count() == 1


def test_the_workflow_buttons_on_the_page_move_the_minutes(minutes, moderator, logged_in):
    browser = logged_in(moderator)
    url = reverse("minutes:transition", args=[minutes.pk])
    page = browser.get(minutes.get_absolute_url()).content.decode()
    assert "Zur Abstimmung stellen" in page and "Freigeben" not in page
    for step, message in (
        ("voting", "steht zur Abstimmung"),
        ("approved", "ist freigegeben"),
        ("published", "ist veröffentlicht"),
    ):
        response = browser.post(url, {"to": step}, follow=True)
        assert message in response.content.decode()
    assert Minutes.objects.get(pk=minutes.pk).status == Minutes.Status.PUBLISHED
