"""A topic page's live connection: new and edited posts, access on connect, catch-up, bad frames."""

import json
import re

import pytest
from asgiref.sync import sync_to_async

from forum import consumers, services
from forum.models import Post

from .live_helpers import drain, receive_close, receive_type

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def topic(make_topic, closed_board, member):
    return make_topic(closed_board, member, title="Übergänge Kita–Schule")


def path(topic):
    return f"/ws/forum/thema/{topic.pk}/"


async def test_a_member_sees_a_new_post_rendered_like_the_topic_page(live_socket, topic, member, writer):
    socket = await live_socket(path(topic), member)

    post = await sync_to_async(services.create_post)(writer, topic, "Wir treffen uns **Dienstag**.")

    message = await receive_type(socket, "posts")
    assert message["event"] == "created"
    [shown] = message["posts"]
    assert shown["id"] == post.pk and shown["number"] == 2 and shown["author"] == "Wanda Schreiber"
    assert f'data-post-id="{post.pk}"' in shown["html"]
    assert "<strong>Dienstag</strong>" in shown["html"]
    # The member may report someone else's post; the form's CSRF token is filled in by the page.
    assert "Melden" in shown["html"] and "Bearbeiten" not in shown["html"]


async def test_an_edited_post_is_sent_again(live_socket, topic, member, writer):
    post = await sync_to_async(services.create_post)(writer, topic, "Erste Fassung")
    socket = await live_socket(path(topic), member)

    await sync_to_async(services.edit_post)(writer, post, "Zweite Fassung")

    message = await receive_type(socket, "posts")
    assert message["event"] == "edited"
    assert "Zweite Fassung" in message["posts"][0]["html"]


async def test_a_professional_outside_a_closed_body_is_refused(live_socket, topic, professional):
    socket = await live_socket(path(topic), professional)
    assert await receive_close(socket) == consumers.CLOSE_FORBIDDEN


async def test_anonymous_visitors_are_refused_on_boards_that_are_not_public(live_socket, topic):
    socket = await live_socket(path(topic))
    assert await receive_close(socket) == consumers.CLOSE_LOGIN_REQUIRED


async def test_anonymous_visitors_may_follow_a_public_board(live_socket, make_board, make_topic, professional):
    public = await sync_to_async(make_board)(is_public=True)
    public_topic = await sync_to_async(make_topic)(public, professional)
    socket = await live_socket(path(public_topic))

    await sync_to_async(services.create_post)(professional, public_topic, "Für alle lesbar")

    message = await receive_type(socket, "posts")
    assert "Für alle lesbar" in message["posts"][0]["html"]
    assert "Melden" not in message["posts"][0]["html"]


async def test_a_missing_topic_closes_with_not_found(live_socket, member):
    socket = await live_socket("/ws/forum/thema/999999/", member)
    assert await receive_close(socket) == consumers.CLOSE_NOT_FOUND


async def test_posts_written_while_disconnected_arrive_exactly_once_after_resume(live_socket, topic, member, writer):
    first = await live_socket(path(topic), member)
    await sync_to_async(services.create_post)(writer, topic, "Noch verbunden")
    seen = [post["id"] for post in (await receive_type(first, "posts"))["posts"]]
    await first.disconnect()

    missed = [await sync_to_async(services.create_post)(writer, topic, f"Verpasst {n}") for n in range(3)]

    second = await live_socket(path(topic), member)
    await second.send_json_to({"type": "resume", "last_post_id": seen[-1]})
    # A post written after the reconnect comes live; the catch-up may or may not include it.
    late = await sync_to_async(services.create_post)(writer, topic, "Nach dem Wiederverbinden")
    received = []
    for message in await drain(second, wait=0.5):
        if message["type"] == "posts":
            assert message["complete"]
            received.extend(post["id"] for post in message["posts"])
    client_side = list(dict.fromkeys(seen + received))  # live.js drops a second copy by its id
    assert client_side == [seen[0], *[post.pk for post in missed], late.pk]
    assert sorted(set(received) - {late.pk}) == [post.pk for post in missed]


async def test_edits_deletions_and_hidings_made_while_disconnected_arrive_after_resume(
    live_socket, topic, member, writer, moderator
):
    posts = [await sync_to_async(services.create_post)(writer, topic, f"Beitrag {n}") for n in range(4)]
    first = await live_socket(path(topic), member)
    await first.send_json_to({"type": "resume", "last_post_id": 0})
    shown = {
        str(post["id"]): re.search(r'data-post-version="([^"]*)"', post["html"]).group(1)
        for post in (await receive_type(first, "posts"))["posts"]
    }
    await first.disconnect()

    edited, deleted, hidden, untouched = posts
    await sync_to_async(services.edit_post)(writer, edited, "Beitrag 0, berichtigt")
    await sync_to_async(services.delete_post)(writer, deleted)
    await sync_to_async(services.set_post_hidden)(moderator, hidden, True, "Personenbezogene Daten")

    second = await live_socket(path(topic), member)
    await second.send_json_to({"type": "resume", "last_post_id": untouched.pk, "shown": shown})
    messages = [message for message in await drain(second, wait=0.5) if message["type"] == "posts"]

    assert [message["event"] for message in messages] == ["edited", "resume"]
    changed = {post["id"]: post["html"] for post in messages[0]["posts"]}
    assert list(changed) == [edited.pk, deleted.pk, hidden.pk]
    assert "Beitrag 0, berichtigt" in changed[edited.pk]
    assert "Beitrag 1" not in changed[deleted.pk] and "Beitrag 2" not in changed[hidden.pk]
    assert messages[1]["posts"] == []


async def test_resume_from_zero_returns_the_whole_topic_in_order(live_socket, topic, member):
    socket = await live_socket(path(topic), member)
    await socket.send_json_to({"type": "resume", "last_post_id": 0})
    message = await receive_type(socket, "posts")
    ids = await sync_to_async(
        lambda: list(Post.objects.filter(topic=topic).order_by("number").values_list("pk", flat=True))
    )()
    assert [post["id"] for post in message["posts"]] == ids


@pytest.mark.parametrize(
    "frame, expected",
    [
        ("kein json", "kein gültiges JSON"),
        (json.dumps([1, 2]), "kein gültiges JSON"),
        (json.dumps({"type": "unbekannt"}), "nicht unterstützt"),
        (json.dumps({"type": "resume", "last_post_id": "viele"}), "last_post_id"),
        (json.dumps({"type": "resume", "last_post_id": 0, "shown": {"erster": "0"}}), "shown"),
        (json.dumps({"type": "resume", "last_post_id": 0, "shown": {"12": 0}}), "shown"),
        (json.dumps({"type": "resume", "last_post_id": 0, "shown": [12]}), "shown"),
        (json.dumps({"type": "typing", "padding": "x" * 5000}), "zu groß"),
    ],
)
async def test_bad_frames_get_an_error_and_the_connection_stays_usable(live_socket, topic, member, frame, expected):
    socket = await live_socket(path(topic), member)
    await socket.send_to(text_data=frame)
    error = await receive_type(socket, "error")
    assert expected in error["message"]

    await socket.send_json_to({"type": "resume", "last_post_id": 0})
    assert (await receive_type(socket, "posts"))["posts"]


async def test_binary_frames_are_refused_with_an_error(live_socket, topic, member):
    socket = await live_socket(path(topic), member)
    await socket.send_to(bytes_data=b"\x00\x01")
    assert "zu groß oder kein Text" in (await receive_type(socket, "error"))["message"]
