import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forum.models import Post, TopicRead, TopicSubscription, WatchLevel

# The counting UPDATE … RETURNING and the upserts differ between SQLite and PostgreSQL.
pytestmark = pytest.mark.both_databases


def reply(client, topic, text):
    return client.post(reverse("forum:topic_reply", args=[topic.pk]), {"text": text})


def test_a_reply_needs_a_fixed_few_queries_the_first_time_and_every_time_after(
    client, professional, open_board, make_topic, make_user, django_assert_max_num_queries,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    topic = make_topic(open_board, make_user(), posts=30)
    client.force_login(professional)
    # Session, user and roles; the topic with the writer's suspension; on SQLite the flood check and, in the
    # transaction (a savepoint inside the test's own), the counting UPDATE … RETURNING, the post, the board's
    # counters, the read mark and the watch (one upsert each) and the search index; on PostgreSQL all of that
    # is one statement, with no savepoint around it.
    # On PostgreSQL, once the process has seen the session, it brings its user and roles (network.sessions).
    most = {31: 5, 32: 3} if connection.vendor == "postgresql" else {31: 13, 32: 13}
    for number in (31, 32):
        with django_capture_on_commit_callbacks(execute=False), django_assert_max_num_queries(most[number]):
            response = reply(client, topic, f"Antwort Nummer {number} auf das Thema")
        assert response.status_code == 302
        post = Post.objects.get(topic=topic, number=number)
        assert response["Location"] == post.get_absolute_url()
    assert TopicRead.objects.get(user=professional, topic=topic).last_read_number == 32
    assert TopicSubscription.objects.get(user=professional, topic=topic).level == WatchLevel.WATCHING


def test_after_the_commit_a_reply_costs_one_query_for_the_task_and_none_for_the_live_event(
    professional, open_board, make_topic, make_user, settings, django_capture_on_commit_callbacks
):
    from forum import services

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    topic = make_topic(open_board, make_user(), posts=3)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.create_post(professional, topic, "Eine Antwort, die eine Aufgabe einreiht")
    with CaptureQueriesContext(connection) as captured:
        for callback in callbacks:
            callback()
    assert [query["sql"].split()[0] for query in captured.captured_queries] == ["INSERT"]
    assert "dbtaskresult" in captured.captured_queries[0]["sql"]


def test_a_muted_topic_stays_muted_when_its_reader_replies(client, professional, open_board, make_topic, make_user):
    topic = make_topic(open_board, make_user(), posts=2)
    TopicSubscription.objects.create(user=professional, topic=topic, level=WatchLevel.MUTED)
    client.force_login(professional)
    assert reply(client, topic, "Eine Antwort trotz Stummschaltung").status_code == 302
    assert TopicSubscription.objects.get(user=professional, topic=topic).level == WatchLevel.MUTED
