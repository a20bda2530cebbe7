from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from forum import services

# On PostgreSQL a reply's flood check runs inside the statement that writes it (forum.services).
pytestmark = pytest.mark.both_databases


def test_the_same_text_twice_within_minutes_is_refused(professional, open_board):
    topic = services.create_topic(professional, open_board, "Doppelt", "Hallo zusammen")
    with pytest.raises(ValidationError, match="schon einmal gesendet"):
        services.create_post(professional, topic, "  Hallo zusammen ")


def test_posting_faster_than_the_limit_is_refused_with_a_clear_message(settings, professional, open_board):
    settings.FORUM_POSTS_PER_WINDOW = settings.FORUM_POSTS_PER_WINDOW_NEW_ACCOUNT = 2
    topic = services.create_topic(professional, open_board, "Schnell", "eins")
    services.create_post(professional, topic, "zwei")
    with pytest.raises(ValidationError, match="höchstens 2 Beiträge in 5 Minuten"):
        services.create_post(professional, topic, "drei")


def test_new_accounts_have_a_stricter_topic_limit(settings, make_user, open_board):
    settings.FORUM_TOPICS_PER_WINDOW = 5
    settings.FORUM_TOPICS_PER_WINDOW_NEW_ACCOUNT = 1
    newcomer = make_user()
    veteran = make_user(date_joined=timezone.now() - timedelta(days=30))
    services.create_topic(newcomer, open_board, "Erstes", "Text")
    with pytest.raises(ValidationError, match="höchstens 1 Thema"):
        services.create_topic(newcomer, open_board, "Zweites", "Anderer Text")
    services.create_topic(veteran, open_board, "Erstes", "Text a")
    services.create_topic(veteran, open_board, "Zweites", "Text b")
