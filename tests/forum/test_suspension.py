"""Who may restrict whom, and where: a board's moderation in its boards, the coordination forum-wide,
the coordination and the staff only by the administrator; every restriction is in the moderation log."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from forum import permissions, services
from forum.models import AuditLog, Suspension
from network.access import COORDINATION_GROUP

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator(make_user, with_totp):
    user = make_user(display_name="Ada Administration", is_staff=True, is_superuser=True)
    with_totp(user)
    return user


def test_a_body_moderator_restricts_a_person_only_in_the_board_they_moderate(
    client, moderator, member, closed_board, open_board
):
    client.force_login(moderator)

    response = client.post(
        reverse("forum:user_suspend", args=[member.pk]), {"board": closed_board.pk, "days": 2, "reason": "Ton verfehlt"}
    )

    assert response.status_code == 302
    suspension = Suspension.objects.get(user=member)
    assert suspension.board == closed_board
    assert not permissions.can_start_topic(member, closed_board)
    assert permissions.can_start_topic(member, open_board)
    entry = AuditLog.objects.get(action=AuditLog.Action.SUSPEND_USER)
    assert (entry.actor, entry.target_id, entry.board, entry.reason) == (
        moderator,
        member.pk,
        closed_board,
        "Ton verfehlt",
    )


def test_a_restricted_person_cannot_reply_in_that_board_but_elsewhere(
    moderator, member, closed_board, open_board, make_user
):
    topic = services.create_topic(moderator, closed_board, "Sitzung", "Wer kommt?")
    elsewhere = services.create_topic(make_user(), open_board, "Schulfest", "Wer hilft?")
    services.suspend_user(moderator, member, 3, "Spam", board=closed_board)

    with pytest.raises(PermissionDenied, match="vorübergehend gesperrt"):
        services.create_post(member, topic, "Ich")
    assert services.create_post(member, elsewhere, "Ich helfe").markdown == "Ich helfe"


def test_a_body_moderator_cannot_suspend_anyone_forum_wide(client, moderator, member):
    client.force_login(moderator)

    response = client.post(reverse("forum:user_suspend", args=[member.pk]), {"days": 2, "reason": "Spam"})

    assert response.status_code == 403
    assert "Im ganzen Forum sperren kann nur die Sozialraumkoordination." in response.content.decode()
    assert not Suspension.objects.exists()
    assert not permissions.is_suspended(member)


def test_a_body_moderator_cannot_restrict_in_a_board_of_another_body(moderator, professional, open_board):
    with pytest.raises(PermissionDenied):
        services.suspend_user(moderator, professional, 2, "Spam", board=open_board)
    assert not Suspension.objects.exists()


def test_the_suspension_page_offers_a_moderator_only_their_own_boards(
    client, moderator, member, closed_board, open_board
):
    client.force_login(moderator)

    html = client.get(reverse("forum:user_suspend", args=[member.pk])).content.decode()

    assert f'<option value="{closed_board.pk}"' in html
    assert f'<option value="{open_board.pk}"' not in html
    assert '<option value=""' not in html, "no choice of the whole forum"


def test_the_coordination_suspends_forum_wide_and_it_is_logged(
    client, coordination, professional, open_board, closed_board
):
    client.force_login(coordination)
    html = client.get(reverse("forum:user_suspend", args=[professional.pk])).content.decode()
    assert '<option value="" selected>im ganzen Forum</option>' in html

    client.post(reverse("forum:user_suspend", args=[professional.pk]), {"board": "", "days": 2, "reason": "Spam"})

    assert Suspension.objects.get(user=professional).board is None
    assert permissions.is_suspended(professional)
    assert not permissions.can_start_topic(professional, open_board)
    entry = AuditLog.objects.get(action=AuditLog.Action.SUSPEND_USER)
    assert (entry.actor, entry.board, entry.reason) == (coordination, None, "Spam")


def test_a_moderator_cannot_suspend_the_coordination(client, moderator, coordination, closed_board):
    client.force_login(moderator)
    url = reverse("forum:user_suspend", args=[coordination.pk])

    assert client.get(url).status_code == 403
    response = client.post(url, {"board": closed_board.pk, "days": 2, "reason": "Rache"})

    assert response.status_code == 403
    assert not Suspension.objects.exists()
    assert not AuditLog.objects.exists()


def test_the_coordination_cannot_suspend_another_coordinator_or_the_staff(coordination, make_user, administrator):
    other = make_user()
    other.groups.add(Group.objects.get_or_create(name=COORDINATION_GROUP)[0])
    for person in (other, administrator):
        with pytest.raises(PermissionDenied, match="nur die Administration"):
            services.suspend_user(coordination, person, 2, "Streit")
    assert not Suspension.objects.exists()


def test_the_administrator_may_suspend_the_coordination(administrator, coordination, closed_board):
    services.suspend_user(administrator, coordination, 1, "Urlaubsvertretung", board=closed_board)

    assert permissions.is_suspended(coordination, closed_board)
    assert AuditLog.objects.get(action=AuditLog.Action.SUSPEND_USER).actor == administrator
