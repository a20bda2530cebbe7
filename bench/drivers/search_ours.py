"""Search protocol for the platform (bench/search.py); runs in the platform's environment.

Loads the corpus in bulk (bulk_create for bodies, boards and topics, COPY or one prepared INSERT for the
posts; not the services: 100,000 posts through the reply view would take most of an hour), then fills the search index the way an operator does after an import:
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

    from forum.models import Board, Topic
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
        # Posts of a topic are numbered in corpus order; the topics' counters are known before they are written.
        numbers = [0] * len(corpus["topics"])
        rows = []
        for index, (topic, text) in enumerate(corpus["posts"]):
            numbers[topic] += 1
            rows.append((topic, numbers[topic], authors[(index * 7) % AUTHORS].pk, text, html[index],
                         start + timedelta(minutes=10 * index)))  # fmt: skip
        topics = Topic.objects.bulk_create(
            (
                Topic(board=boards[board], title=title, author=authors[index % AUTHORS], created_at=start,
                      last_post_at=now, post_count=numbers[index], last_post_number=numbers[index])
                for index, (board, title) in enumerate(corpus["topics"])
            ),
            batch_size=2000,
        )  # fmt: skip
        insert_posts([(topics[topic].pk, *rest) for topic, *rest in rows])
    return members


POST_COLUMNS = ("topic_id", "number", "author_id", "markdown", "html", "created_at")
# The other columns of a post as a new reply has them (Post's defaults).
POST_DEFAULTS = {"revision_count": 0, "is_hidden": False, "has_attachments": False}


def insert_posts(rows):
    """100,000 posts in one statement stream: COPY on PostgreSQL, one prepared INSERT on SQLite (bulk_create
    writes at most 999 parameters a statement there, about 70 posts). What is measured afterwards is the same."""
    from django.db import connection

    columns = [*POST_COLUMNS, *POST_DEFAULTS]
    defaults = tuple(POST_DEFAULTS.values())
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY forum_post ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row((*row, *defaults))
        else:
            # Written as the ORM writes a DateTimeField on SQLite (text in UTC), so that filters compare alike.
            stamp = connection.ops.adapt_datetimefield_value
            placeholders = ", ".join(["%s"] * len(columns))
            cursor.executemany(
                f"INSERT INTO forum_post ({', '.join(columns)}) VALUES ({placeholders})",
                [(*row[:-1], stamp(row[-1]), *defaults) for row in rows],
            )


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
        index_how = "manage.py rebuild_forum_search_index: a narrow row per post (post, board, vector), GIN index; then VACUUM ANALYZE"
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
