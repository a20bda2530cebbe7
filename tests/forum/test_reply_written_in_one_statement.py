"""On PostgreSQL a reply without files is checked, counted and written in one statement (forum.services); these
hold what the separate statements did: search entry, counters, read mark, signals, and nothing written on refusal."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from forum import search, services
from forum.models import Attachment, Board, Post, Topic, TopicRead
from network.freshness import body_sections_stamp

pytestmark = pytest.mark.both_databases


def test_a_reply_is_found_by_its_words_and_its_topics_title(professional, member, open_board, make_topic):
    topic = make_topic(open_board, member, title="Ferienbetreuung Sommer", posts=2)
    reply = services.create_post(professional, topic, "Wir bieten eine Hausaufgabenhilfe im Jugendclub an")
    assert [post.pk for post in search.search_posts(member, "Hausaufgabenhilfe")] == [reply.pk]
    assert reply.pk in {post.pk for post in search.search_posts(member, "Ferienbetreuung")}


def test_a_reply_moves_the_counters_and_the_read_mark_and_renews_the_body_page_sections(
    professional, member, open_board, make_topic
):
    topic = make_topic(open_board, member, posts=4)
    board_posts = Board.objects.get(pk=open_board.pk).post_count
    stamp = body_sections_stamp()
    reply = services.create_post(professional, topic, "Eine Antwort mit der Nummer fünf")
    stored = Post.objects.get(pk=reply.pk)
    assert (stored.number, stored.author, stored.markdown) == (5, professional, "Eine Antwort mit der Nummer fünf")
    assert "<p>Eine Antwort mit der Nummer fünf</p>" in stored.html
    topic = Topic.objects.get(pk=topic.pk)
    assert (topic.post_count, topic.last_post_number, topic.last_post_at) == (5, 5, stored.created_at)
    assert Board.objects.get(pk=open_board.pk).post_count == board_posts + 1
    assert TopicRead.objects.get(user=professional, topic=topic).last_read_number == 5
    assert body_sections_stamp() != stamp


def test_a_reply_refused_by_the_flood_check_writes_nothing(settings, professional, member, open_board, make_topic):
    settings.FORUM_POSTS_PER_WINDOW = settings.FORUM_POSTS_PER_WINDOW_NEW_ACCOUNT = 1
    topic = make_topic(open_board, member, posts=2)
    services.create_post(professional, topic, "Die erste Antwort")
    with pytest.raises(ValidationError, match="höchstens 1 Beitrag in 5 Minuten"):
        services.create_post(professional, topic, "Die zweite Antwort, zu schnell")
    topic = Topic.objects.get(pk=topic.pk)
    assert (topic.post_count, topic.last_post_number) == (3, 3)
    assert list(Post.objects.filter(topic=topic).values_list("number", flat=True)) == [1, 2, 3]
    assert TopicRead.objects.get(user=professional, topic=topic).last_read_number == 3


def test_a_reply_to_a_topic_deleted_meanwhile_is_refused_with_a_message(professional, member, open_board, make_topic):
    topic = make_topic(open_board, member, posts=2)
    Topic.objects.filter(pk=topic.pk).delete()
    with pytest.raises(ValidationError, match="Dieses Thema gibt es nicht mehr"):
        services.create_post(professional, topic, "Eine Antwort ins Leere")
    assert not Post.objects.filter(topic_id=topic.pk).exists()


def test_a_reply_with_a_file_is_counted_and_keeps_its_file(professional, member, open_board, make_topic):
    topic = make_topic(open_board, member, posts=2)
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    reply = services.create_post(professional, topic, "Anbei das Foto", files=[SimpleUploadedFile("foto.png", png)])
    stored = Post.objects.get(pk=reply.pk)
    assert (stored.number, stored.has_attachments) == (3, True)
    assert [attachment.original_name for attachment in Attachment.objects.filter(post=stored)] == ["foto.png"]
    assert [post.pk for post in search.search_posts(member, "Foto")] == [reply.pk]
