"""Forum protocol for the platform itself; runs in /work/main/.venv (see bench/README.md)."""

import time

from common import arguments, check, check_first_page, post_text, queries, time_gets, time_posts, write
from ours_env import setup

GROWTH_LEVELS = (10, 100, 1_000, 10_000)


def member():
    from allauth.account.models import EmailAddress

    from network.models import User

    user = User.objects.create_user(
        email="mitglied@example.org",
        password="bench-passwort-123",
        display_name="Mitglied",
        approval=User.Approval.APPROVED,
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def open_topic(client, board, title, number):
    """A topic through the platform's own form view; returns the topic's id."""
    from django.urls import reverse

    from forum.models import Topic

    response = client.post(
        reverse("forum:topic_create", args=[board.slug]), {"title": title, "text": post_text(number), "tags": ""}
    )
    check(response, (302,))
    return Topic.objects.get(board=board, title=title).pk


def grow(topic_id, user, target):
    """Add posts straight through the models until the topic holds `target`, as create_post would leave it."""
    from django.db import transaction
    from django.utils import timezone

    from forum import markdown
    from forum.models import Board, Post, Topic, TopicRead

    topic = Topic.objects.get(pk=topic_id)
    now = timezone.now()
    numbers = range(topic.last_post_number + 1, target + 1)
    with transaction.atomic():
        Post.objects.bulk_create(
            (
                Post(
                    topic=topic,
                    number=number,
                    author=user,
                    markdown=post_text(number),
                    html=markdown.render(post_text(number)),
                    created_at=now,
                )
                for number in numbers
            ),
            batch_size=500,
        )
        Topic.objects.filter(pk=topic.pk).update(post_count=target, last_post_number=target, last_post_at=now)
        Board.objects.filter(pk=topic.board_id).update(
            post_count=Post.objects.filter(topic__board_id=topic.board_id).count(), last_post_at=now, last_topic=topic
        )
        # The author has read everything they wrote, as services.mark_read records it.
        TopicRead.objects.filter(user=user, topic=topic).update(last_read_number=target)


def main():
    args = arguments()
    setup(args.database_url or args.db)
    import django
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from forum.models import Board

    call_command("migrate", verbosity=0)
    rounds = 10 if args.quick else 50
    user = member()
    board = Board.objects.create(name="Allgemeines", slug="allgemeines", kind=Board.Kind.GENERAL)
    client = Client()
    client.force_login(user)

    topic_id = open_topic(client, board, "Bench-Thema", 1)
    reply_url = reverse("forum:topic_reply", args=[topic_id])
    for number in range(2, 101):
        check(client.post(reply_url, {"text": post_text(number)}), (302,))

    check_first_page(client, reverse("forum:topic_detail", args=[topic_id]))
    result = {"app": "ours", "django": django.get_version()}
    result["topic_page"] = time_gets(client, reverse("forum:topic_detail", args=[topic_id]), queries, rounds)
    result["reply_post"] = time_posts(client, reply_url, lambda text: {"text": text}, queries, rounds, 101)

    growth_board = Board.objects.create(name="Wachstum", slug="wachstum", kind=Board.Kind.GENERAL)
    growth_topic = open_topic(client, growth_board, "Wachstumsthema", 0)
    growth = []
    for level in GROWTH_LEVELS[:3] if args.quick else GROWTH_LEVELS:
        started = time.perf_counter()
        grow(growth_topic, user, level)
        last_page = (level - 1) // 20 + 1
        growth.append(
            {
                "posts": level,
                "bulk_create_s": round(time.perf_counter() - started, 2),
                "topic_page": time_gets(
                    client, reverse("forum:topic_detail", args=[growth_topic]), queries, rounds // 2
                ),
                "topic_last_page": time_gets(
                    client,
                    reverse("forum:topic_detail", args=[growth_topic]) + f"?seite={last_page}",
                    queries,
                    rounds // 2,
                ),
                "board_list": time_gets(client, reverse("forum:board_list"), queries, rounds // 2),
            }
        )
    result["growth"] = growth
    write(args.out, result)


if __name__ == "__main__":
    main()
