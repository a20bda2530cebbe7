from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from forum import live, services


def test_a_new_post_is_announced_to_its_topic_and_board_groups_after_commit(
    professional, open_board, django_capture_on_commit_callbacks
):
    layer = get_channel_layer()
    async_to_sync(layer.group_add)(live.board_group(open_board.pk), "listener")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        topic = services.create_topic(professional, open_board, "Live", "Text")
    assert callbacks, "nothing is sent before the transaction commits"
    for callback in callbacks:
        callback()
    message = async_to_sync(layer.receive)("listener")
    render_id = message.pop("render_id")
    assert len(render_id) == 32, "a fresh id per event, under which each process renders it once per variant"
    assert message == {
        "type": "forum.post_created",
        "post_id": topic.posts.get().pk,
        "topic_id": topic.pk,
        "board_id": open_board.pk,
        "number": 1,
        "author_id": professional.pk,
        "topic_state": [open_board.pk, False, False, False, professional.pk],
        "reactions": [],
    }
