"""The moderation log names each action as what it was."""

import pytest
from django.urls import reverse

from forum import services

pytestmark = pytest.mark.django_db


def test_unpinning_a_topic_is_logged_as_unpinned_not_as_solved(client, moderator, member, closed_board):
    topic = services.create_topic(member, closed_board, "Termine im Mai", "Text")
    services.set_topic_flag(moderator, topic, "is_pinned", True)
    services.set_topic_flag(moderator, topic, "is_pinned", False)
    client.force_login(moderator)

    html = client.get(reverse("forum:audit_log")).content.decode()

    assert "Thema angeheftet" in html
    assert "Thema nicht mehr angeheftet" in html
    assert "Thema gelöst" not in html
