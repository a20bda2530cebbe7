"""Forum protocol for the platform itself; runs in /work/main/.venv (see bench/README.md)."""

import time
from pathlib import Path

from common import arguments, check, check_first_page, post_text, queries, summary, time_gets, time_posts, write
from ours_env import setup

GROWTH_LEVELS = (10, 100, 1_000, 10_000)


# Smallest files the upload check accepts as PNG and PDF (core.uploads.detect_type).
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"


def member(email="mitglied@example.org", name="Mitglied"):
    from allauth.account.models import EmailAddress

    from network.models import User

    user = User.objects.create_user(
        email=email,
        password="bench-passwort-123",
        display_name=name,
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


def time_cold_gets(client, url, prepare, rounds):
    """`rounds` GETs, each right after `prepare()` (untimed) took the posts' HTML out of the cache."""
    timings = []
    for _round in range(rounds):
        prepare()
        started = time.perf_counter()
        response = client.get(url)
        timings.append(time.perf_counter() - started)
        check(response)
    return summary(timings)


def cold_cache(client, topic_id, user, rounds):
    """The topic page right after a cache clear, and right after an edit of every post on it."""
    from django.core.cache import cache
    from django.urls import reverse

    from forum import services
    from forum.models import Post

    url = reverse("forum:topic_detail", args=[topic_id])
    edits = iter(range(1, 1_000_000))

    def edit_page():
        edit = next(edits)
        for post in Post.objects.filter(topic_id=topic_id, number__lte=20).select_related("topic__board"):
            services.edit_post(user, post, f"{post_text(post.number)} (Nachtrag {edit})")

    return {
        "after_clear": time_cold_gets(client, url, cache.clear, rounds),
        "after_edit": time_cold_gets(client, url, edit_page, rounds),
    }


def rich_page(client, board, user, rounds):
    """A topic of 20 posts that all carry a file, reactions of three people and a quote of the
    post before, written through the services; then its page as in the topic page measure."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from forum import markdown, services
    from forum.models import Post, Reaction, Topic

    readers = [member(f"leserin{number}@example.org", f"Leserin {number}") for number in range(1, 4)]
    # Not post_text(1) alone: the member wrote that minutes ago, and the duplicate guard would refuse it.
    topic = services.create_topic(
        user,
        board,
        "Thema mit Anhängen",
        "Anbei der Plan. " + post_text(1),
        files=[SimpleUploadedFile("plan.pdf", PDF)],
    )
    previous = Post.objects.get(topic=topic, number=1)
    for number in range(2, 21):
        text = markdown.quote(previous.markdown, user.public_name) + post_text(number)
        upload = (
            SimpleUploadedFile(f"foto-{number}.png", PNG)
            if number % 2
            else SimpleUploadedFile(f"protokoll-{number}.pdf", PDF)
        )
        previous = services.create_post(user, topic, text, reply_to=previous, files=[upload])
    kinds = Reaction.Kind.values
    for post in Post.objects.filter(topic=topic).select_related("topic__board"):
        for index, reader in enumerate(readers):
            services.toggle_reaction(reader, post, kinds[(post.number + index) % len(kinds)])
    url = reverse("forum:topic_detail", args=[topic.pk])
    content = check(client.get(url)).content.decode()
    if content.count("forum-reactions__count") < 20 or content.count("<blockquote>") < 19:
        raise SystemExit("the page of rich posts does not show every post's reactions and quote")
    return {"posts": Topic.objects.get(pk=topic.pk).post_count, **time_gets(client, url, queries, rounds)}


def main():
    args = arguments()
    folder = Path(args.db).parent
    setup(args.database_url or args.db, MEDIA_ROOT=folder / "media", PRIVATE_MEDIA_ROOT=folder / "private_media")
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
    result["cold_cache"] = cold_cache(client, topic_id, user, rounds // 5)
    result["rich_page"] = rich_page(client, board, user, rounds)

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
