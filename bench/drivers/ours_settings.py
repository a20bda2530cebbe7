"""Production settings, with the forum's per-person post limits lifted.

The forum protocol posts 150 replies as one person within a minute; every peer is measured
with its rate limits off as well.
"""

from config.settings.production import *  # noqa: F403

FORUM_POSTS_PER_WINDOW = 1_000_000
FORUM_POSTS_PER_WINDOW_NEW_ACCOUNT = 1_000_000
FORUM_TOPICS_PER_WINDOW = 1_000_000
FORUM_TOPICS_PER_WINDOW_NEW_ACCOUNT = 1_000_000
