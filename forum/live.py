"""Events for the live layer: services and signal handlers call these after their transaction committed.

Only ids travel: each consumer re-reads the data and checks access for its own user, so a
message never carries anything its receiver may not see.
"""

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

# Changes that may take access away from anyone (a board's or body's visibility) go to every connection.
EVERYONE_GROUP = "forum.everyone"


def topic_group(topic_id):
    return f"forum.topic.{topic_id}"


def board_group(board_id):
    return f"forum.board.{board_id}"


def user_group(user_id):
    return f"forum.user.{user_id}"


def _send(group, message):
    layer = get_channel_layer()
    if layer is not None:
        async_to_sync(layer.group_send)(group, message)


def _send_post(post, event_type):
    message = {
        "type": event_type,
        "post_id": post.pk,
        "topic_id": post.topic_id,
        "board_id": post.topic.board_id,
        "number": post.number,
    }
    _send(topic_group(post.topic_id), message)
    _send(board_group(post.topic.board_id), message)


def broadcast_post_created(post):
    _send_post(post, "forum.post_created")


def broadcast_post_edited(post):
    _send_post(post, "forum.post_edited")


def broadcast_notifications_changed(user_ids):
    for user_id in set(user_ids):
        _send(user_group(user_id), {"type": "forum.notifications_changed"})


def broadcast_access_changed_for_user(user_id):
    _send(user_group(user_id), {"type": "forum.access_changed"})


def broadcast_access_changed_for_topic(topic_id):
    _send(topic_group(topic_id), {"type": "forum.access_changed"})


def broadcast_access_changed_for_everyone():
    _send(EVERYONE_GROUP, {"type": "forum.access_changed"})
