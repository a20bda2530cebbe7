"""A prepared query answers like the queryset it was built from, whatever values each call brings:
model instances with their related objects and annotations, or values_list() tuples."""

import random

import pytest
from django.db.models import Count, Q

from core.prepared import PreparedQuery
from forum.models import Post, Topic


def posts_of(topic_id, after):
    return (
        Post.objects.filter(topic_id=topic_id, number__gt=after)
        .select_related("author", "topic__board")
        .annotate(siblings=Count("topic__posts", filter=Q(topic__posts__number__lte=after)))
        .order_by("number")
    )


def test_each_call_gets_the_rows_of_its_own_values(open_board, closed_board, make_topic, make_user):
    rng = random.Random(16)
    authors = [make_user(), make_user()]
    topics = [
        make_topic(board, author, posts=rng.randint(3, 8)) for board, author in zip((open_board, closed_board), authors)
    ]
    prepared = PreparedQuery(posts_of, "topic_id", "after")

    for topic in topics * 2:
        after = rng.randint(0, 2)
        expected = list(posts_of(topic.pk, after))
        got = prepared(topic_id=topic.pk, after=after)
        assert [(post.pk, post.number, post.siblings) for post in got] == [
            (post.pk, post.number, post.siblings) for post in expected
        ]
        assert {post.author.public_name for post in got} == {topic.author.public_name}
        assert {post.topic.board.name for post in got} == {topic.board.name}


def test_values_list_rows_come_back_as_tuples(open_board, make_topic, make_user):
    topic = make_topic(open_board, make_user(), title="Werte", posts=2)
    prepared = PreparedQuery(lambda pk: Topic.objects.filter(pk=pk).values_list("title", "post_count"), "pk")

    assert prepared(pk=topic.pk) == [("Werte", 2)]
    assert prepared(pk=topic.pk + 1000) == []


def test_a_value_that_does_not_reach_the_sql_is_refused(db):
    prepared = PreparedQuery(lambda pk, unused: Topic.objects.filter(pk=pk), "pk", "unused")

    with pytest.raises(ValueError, match="unused"):
        prepared(pk=1, unused=2)
