"""Search protocol for the platform (bench/search.py); runs in the platform's environment.

Loads the corpus in bulk (models' bulk_create, not the services: 100,000 posts through the reply view would
take most of an hour), then fills the search index the way an operator does after an import:
`manage.py rebuild_forum_search_index` (SQLite: FTS5 rows of German stems; PostgreSQL: the stored tsvector of
each post). Then members who see 1, 10 and 100 boards GET the search page for every query.
"""

import argparse
import io
import json
import time
from datetime import timedelta
from pathlib import Path

from common import check, queries, write
from ours_env import setup

VISIBLE_BOARDS = (1, 10, 100)
AUTHORS = 60


def arguments():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--corpus", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--database-url")
    parser.add_argument("--quick", action="store_true")
    return parser.parse_args()


def rendered(corpus, path):
    """The posts' HTML, rendered by the forum's Markdown renderer once per corpus (the second driver reuses it)."""
    from forum import markdown

    cache = Path(path).with_suffix(".html.json")
    if cache.exists():
        return json.loads(cache.read_text())
    html = [markdown.render(text) for _topic, text in corpus["posts"]]
    cache.write_text(json.dumps(html, ensure_ascii=False))
    return html


def person(email, name):
    from allauth.account.models import EmailAddress

    from network.models import User

    user = User.objects.create_user(
        email=email, password="bench-passwort-123", display_name=name, approval=User.Approval.APPROVED
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def load(corpus, html):
    """Bodies with members-only boards, authors, topics and posts in bulk; returns {visible boards: member}."""
    from django.db import transaction
    from django.utils import timezone

    from forum.models import Board, Post, Topic
    from network.models import Membership, NetworkBody, User

    now = timezone.now()
    with transaction.atomic():
        # The general boards of migration 0002 are visible to every professional: without them a member sees
        # exactly the boards of the bodies they belong to.
        Board.objects.all().delete()
        bodies = NetworkBody.objects.bulk_create(
            NetworkBody(name=f"Arbeitsgruppe {index:03d}", slug=f"ag-{index:03d}",
                        kind=NetworkBody.Kind.ARBEITSGRUPPE, visibility=NetworkBody.Visibility.MEMBERS)
            for index in range(corpus["boards"])
        )  # fmt: skip
        boards = Board.objects.bulk_create(
            Board(name=body.name, slug=body.slug, kind=Board.Kind.BODY, body=body) for body in bodies
        )
        authors = User.objects.bulk_create(
            User(email=f"autor-{index}@example.org", display_name=f"Autorin {index}", password="!",
                 approval=User.Approval.APPROVED)
            for index in range(AUTHORS)
        )  # fmt: skip
        members = {count: person(f"sieht-{count}@example.org", f"Sieht {count}") for count in VISIBLE_BOARDS}
        Membership.objects.bulk_create(
            Membership(user=member, body=bodies[index]) for count, member in members.items() for index in range(count)
        )
        Membership.objects.bulk_create(
            Membership(user=author, body=body) for offset, author in enumerate(authors) for body in bodies[offset::AUTHORS]
        )  # fmt: skip
        total = len(corpus["posts"])
        start = now - timedelta(minutes=10 * total)
        topics = Topic.objects.bulk_create(
            (
                Topic(board=boards[board], title=title, author=authors[index % AUTHORS], created_at=start,
                      last_post_at=now)
                for index, (board, title) in enumerate(corpus["topics"])
            ),
            batch_size=2000,
        )  # fmt: skip
        numbers = [0] * len(topics)
        posts = []
        for index, (topic, _text) in enumerate(corpus["posts"]):
            numbers[topic] += 1
            posts.append(
                Post(topic=topics[topic], number=numbers[topic], author=authors[(index * 7) % AUTHORS],
                     markdown=corpus["posts"][index][1], html=html[index],
                     created_at=start + timedelta(minutes=10 * index))
            )  # fmt: skip
        Post.objects.bulk_create(posts, batch_size=2000)
        for topic, count in zip(topics, numbers, strict=True):
            topic.post_count = topic.last_post_number = count
        Topic.objects.bulk_update(topics, ["post_count", "last_post_number"], batch_size=2000)
    return members


def summary(seconds):
    ordered = sorted(seconds)

    def at(share):
        return round(ordered[min(len(ordered) - 1, int(len(ordered) * share))] * 1000, 2)

    return {"p50_ms": at(0.5), "p95_ms": at(0.95), "max_ms": round(ordered[-1] * 1000, 2), "n": len(ordered)}


def main():
    args = arguments()
    setup(args.database_url or args.db)
    import django
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from django.utils.http import urlencode

    from forum import permissions, search

    call_command("migrate", verbosity=0)
    corpus = json.loads(Path(args.corpus).read_text())
    started = time.perf_counter()
    html = rendered(corpus, args.corpus)
    render_s = time.perf_counter() - started
    started = time.perf_counter()
    members = load(corpus, html)
    load_s = time.perf_counter() - started
    started = time.perf_counter()
    call_command("rebuild_forum_search_index", stdout=io.StringIO())
    index_s = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        index_how = "manage.py rebuild_forum_search_index: stored tsvector per post, GIN index; then VACUUM ANALYZE"
    else:
        index_how = "manage.py rebuild_forum_search_index: FTS5 rows of PyStemmer stems"

    url = reverse("forum:search")
    lengths = ("1", "2", "3")
    rounds = 1 if args.quick else 3
    result = {"app": "ours", "django": django.get_version(), "database": connection.vendor,
              "render_s": round(render_s, 1), "load_s": round(load_s, 1), "index_s": round(index_s, 1),
              "index_how": index_how, "rounds": rounds, "by_boards": {}}  # fmt: skip
    for count, member in members.items():
        client = Client()
        client.force_login(member)
        visible = set(permissions.visible_boards(member).values_list("pk", flat=True))
        assert len(visible) == count, (count, len(visible))
        timings = {length: [] for length in lengths}
        # The client process's CPU per request: on a busy machine the wall time mostly measures waiting.
        cpu = []
        hits = {}
        for length in lengths:
            for text in corpus["queries"][length]:
                address = f"{url}?{urlencode({'q': text})}"
                check(client.get(address))
                for _round in range(rounds):
                    begun, begun_cpu = time.perf_counter(), time.process_time()
                    response = client.get(address)
                    timings[length].append(time.perf_counter() - begun)
                    cpu.append(time.process_time() - begun_cpu)
                    check(response)
                # Visibility stays exact: every hit lies in a board the member sees.
                found = search.search_posts(member, text)
                assert {post.topic.board_id for post in found} <= visible, text
                hits[text] = len(found)
        with queries() as captured:
            check(client.get(f"{url}?{urlencode({'q': corpus['queries']['2'][0]})}"))
        entry = {length: summary(timings[length]) for length in lengths}
        cpu_summary = summary(cpu)
        entry["all"] = {**summary(sum(timings.values(), [])), "queries": len(captured),
                        "cpu_p50_ms": cpu_summary["p50_ms"], "cpu_p95_ms": cpu_summary["p95_ms"]}  # fmt: skip
        entry["queries_without_hits"] = sum(1 for value in hits.values() if value == 0)
        entry["hits_median"] = sorted(hits.values())[len(hits) // 2]
        result["by_boards"][str(count)] = entry
    write(args.out, result)


if __name__ == "__main__":
    main()
