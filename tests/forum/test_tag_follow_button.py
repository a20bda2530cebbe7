"""The tag page offers following to those who may follow (can_follow_tag), and only to them."""

import pytest
from django.urls import reverse

from forum import services

pytestmark = pytest.mark.django_db


def test_professionals_are_offered_to_follow_a_tag_and_visitors_are_not(client, professional, make_board):
    topic = services.create_topic(
        professional, make_board(is_public=True), "Sommerfest", "Wer hilft?", tags=["Kiezfest"]
    )
    url = reverse("forum:tag_detail", args=[topic.tags.get().slug])

    visitor_page = client.get(url).content.decode()
    client.force_login(professional)
    professional_page = client.get(url).content.decode()

    assert "Sommerfest" in visitor_page and "Diesem Schlagwort folgen" not in visitor_page
    assert "Diesem Schlagwort folgen" in professional_page
