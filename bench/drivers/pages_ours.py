"""Pages protocol (platform only): the home page, a body page with its topics and meetings, the newsletter
archive and the network map, for a visitor and a logged-in member, at 10, 100 and 1,000 bodies, editions,
topics and meetings. See bench/README.md ("Pages").

The site tree is the demo's (demo.pages.ensure_pages: home, index pages, newsletter archive, site links);
the many pages are inserted in bulk (`bulk_pages`), the way treebeard itself numbers children, because
`add_child` plus a revision per page would take minutes at 1,000 bodies and 1,000 editions.
"""

import time
import uuid
from datetime import timedelta

from common import arguments, check, queries, write
from ours_env import setup

SIZES = (10, 100, 1000)
MEMBER_EMAIL = "mitglied@example.org"
PEOPLE = 40
ORGANISATIONS = 12


def bulk_pages(parent, model, pages):
    """Insert `pages` (unsaved instances of the specific `model`, each with title and slug) as the last
    children of `parent`, live: the Page rows in one bulk insert with paths numbered as treebeard numbers
    them, then the specific rows, then the parent's child count. Same rows as add_child + publish, without
    revisions (nothing here is edited in the admin)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.utils import timezone
    from wagtail.models import Locale, Page

    if not pages:
        return []
    parent = Page.objects.get(pk=parent.pk)
    last = parent.get_last_child()
    step = Page._str2int(last.path[-Page.steplen :]) if last else 0
    content_type = ContentType.objects.get_for_model(model)
    locale = Locale.get_default()
    now = timezone.now()
    base = []
    for page in pages:
        step += 1
        base.append(
            Page(
                title=page.title, draft_title=page.title, slug=page.slug, content_type=content_type, live=True,
                path=Page._get_path(parent.path, parent.depth + 1, step), depth=parent.depth + 1, numchild=0,
                url_path=f"{parent.url_path}{page.slug}/", locale=locale, translation_key=uuid.uuid4(),
                first_published_at=getattr(page, "first_published_at", None) or now, last_published_at=now,
            )
        )  # fmt: skip
    with transaction.atomic():
        created = Page.objects.bulk_create(base, batch_size=500)
        fields = model._meta.local_concrete_fields
        for page, row in zip(pages, created):
            page.page_ptr_id = page.pk = row.pk
            for field in Page._meta.concrete_fields:
                setattr(page, field.attname, getattr(row, field.attname))
        for start in range(0, len(pages), 200):
            model._base_manager._insert(pages[start : start + 200], fields=fields)
        Page.objects.filter(pk=parent.pk).update(numchild=parent.numchild + len(pages))
    return pages


class Site:
    """The demo's page tree and the people; `grow(n)` brings bodies, editions, topics and meetings to n."""

    def __init__(self):
        from django.utils import timezone

        from cms.models import EventIndexPage, NetworkIndexPage
        from demo.pages import ensure_pages
        from network.models import Membership, NetworkBody, Organisation, Themenfeld, User
        from newsletter.models import Newsletter

        self.now = timezone.now()
        self.pages = ensure_pages()
        self.network_index = NetworkIndexPage.objects.get()
        self.events_index = EventIndexPage.objects.get()
        self.fields = [
            Themenfeld.objects.create(name=f"Themenfeld {n}", slug=f"themenfeld-{n}", sort_order=n) for n in range(6)
        ]
        self.organisations = Organisation.objects.bulk_create(
            Organisation(name=f"Träger {n} e. V.", slug=f"traeger-{n}") for n in range(ORGANISATIONS)
        )
        self.people = [
            User.objects.create_user(
                email=f"fachkraft{n}@example.org", password=None, display_name=f"Fachkraft {n}",
                approval=User.Approval.APPROVED, organisation=self.organisations[n % ORGANISATIONS],
            )
            for n in range(PEOPLE)
        ]  # fmt: skip
        self.member = self.people[0]
        # The measured body goes through the services' path (signals: its board and its page).
        self.body = NetworkBody.objects.create(
            name="FG Gemessen", slug="fg-gemessen", themenfeld=self.fields[0], purpose="Die gemessene Fokusgruppe."
        )
        Membership.objects.create(user=self.member, body=self.body)
        self.body_page = self.body.page
        self.board = self.body.forum_board
        # A public board, so that the visitor's body page lists topics as the member's does.
        self.board.is_public = True
        self.board.save()
        self.newsletter = Newsletter.objects.create(name="Netzwerk-Newsletter", slug="netzwerk", public_subscribe=True)
        self.bodies = 1
        self.last_body = self.body
        self.editions = self.topics = self.meetings = self.events = 0

    def grow(self, size):
        self._bodies(size)
        self._editions(size)
        self._topics(size)
        self._meetings(size)
        self._events(size)

    def _bodies(self, size):
        from cms.models import NetworkBodyPage
        from forum.models import Board
        from network.models import Membership, NetworkBody, User

        numbers = range(self.bodies, size)
        bodies = NetworkBody.objects.bulk_create(
            NetworkBody(name=f"Gremium {n:04d}", short_name=f"G {n:04d}", slug=f"gremium-{n:04d}",
                        themenfeld=self.fields[n % len(self.fields)], purpose=f"Arbeitsgruppe Nummer {n} im Netzwerk.")
            for n in numbers
        )  # fmt: skip
        Board.objects.bulk_create(
            Board(name=body.name, slug=body.slug, kind=Board.Kind.BODY, body=body) for body in bodies
        )
        # One new person per body, who also sits in the body before: a chain, so the map has links between
        # bodies and to organisations at every size, growing with the bodies (not with their square).
        people = User.objects.bulk_create(
            User(email=f"gremium{n}@example.org", display_name=f"Fachkraft {n}", password="!",
                 approval=User.Approval.APPROVED, organisation=self.organisations[n % ORGANISATIONS])
            for n in numbers
        )  # fmt: skip
        Membership.objects.bulk_create(
            Membership(user=person, body=body)
            for person, body, before in zip(people, bodies, [self.last_body, *bodies[:-1]])
            for body in (body, before)
        )
        self.last_body = bodies[-1]
        bulk_pages(
            self.network_index,
            NetworkBodyPage,
            [NetworkBodyPage(title=body.name, slug=body.slug, body=body, intro=body.purpose) for body in bodies],
        )
        self.bodies = size

    def _editions(self, size):
        from newsletter.models import NewsletterArchivePage, NewsletterEdition, Send

        archive = NewsletterArchivePage.objects.get()
        numbers = range(self.editions, size)
        editions = bulk_pages(
            archive,
            NewsletterEdition,
            [
                NewsletterEdition(title=f"Ausgabe {n + 1}", slug=f"ausgabe-{n + 1}", newsletter=self.newsletter,
                                  subject=f"Neues aus dem Netzwerk, Ausgabe {n + 1}",
                                  first_published_at=self.now - timedelta(days=7 * (size - n)))
                for n in numbers
            ],
        )  # fmt: skip
        Send.objects.bulk_create(
            Send(edition=edition, status=Send.Status.DONE, all_professionals=True) for edition in editions
        )
        self.editions = size

    def _topics(self, size):
        from forum.models import Board, Post, Topic

        numbers = range(self.topics, size)
        topics = Topic.objects.bulk_create(
            Topic(board=self.board, title=f"Thema {n + 1} der Fokusgruppe", author=self.member, post_count=1,
                  last_post_number=1, created_at=self.now - timedelta(hours=size - n),
                  last_post_at=self.now - timedelta(hours=size - n))
            for n in numbers
        )  # fmt: skip
        Post.objects.bulk_create(
            Post(topic=topic, number=1, author=self.member, markdown=topic.title, html=f"<p>{topic.title}</p>",
                 created_at=topic.created_at)
            for topic in topics
        )  # fmt: skip
        Board.objects.filter(pk=self.board.pk).update(
            topic_count=size, last_topic=topics[-1], last_post_at=topics[-1].last_post_at
        )
        self.topics = size

    def _meetings(self, size):
        from meetings.models import Meeting, Visibility

        Meeting.objects.bulk_create(
            Meeting(body=self.body, title=f"Sitzung {n + 1}", start=self.now + timedelta(days=n + 1, hours=2),
                    end=self.now + timedelta(days=n + 1, hours=4), place="Rathaus Teltow, Raum 1",
                    visibility=Visibility.PUBLIC if n % 2 else Visibility.MEMBERS)
            for n in range(self.meetings, size)
        )  # fmt: skip
        self.meetings = size

    def _events(self, size):
        from cms.models import EventPage

        bulk_pages(
            self.events_index,
            EventPage,
            [
                EventPage(title=f"Termin {n + 1}", slug=f"termin-{n + 1}", start=self.now + timedelta(days=n + 1),
                          location="Rathaus Teltow", intro="Ein Termin.", network_body=self.body)
                for n in range(self.events, size)
            ],
        )  # fmt: skip
        self.events = size


def measure(client, url, rounds, expect):
    """Cold first (every cache cleared: what the first visitor after a change waits for), then warm-ups
    and `rounds` timed GETs; queries of one cold and one warm request."""
    import statistics

    from django.core.cache import cache

    cache.clear()
    with queries() as captured:
        started = time.perf_counter()
        response = check(client.get(url))
        cold_ms = (time.perf_counter() - started) * 1000
    cold_queries = len(captured)
    content = response.content.decode()
    missing = [text for text in expect if text not in content]
    if missing:
        raise SystemExit(f"{url} does not show {missing}")
    for _round in range(3):
        check(client.get(url))
    timings, cpu = [], []
    for _round in range(rounds):
        started, started_cpu = time.perf_counter(), time.process_time()
        check(client.get(url))
        timings.append((time.perf_counter() - started) * 1000)
        # The test client serves in this process: its CPU time is the server's work without waits for a core.
        cpu.append((time.process_time() - started_cpu) * 1000)
    with queries() as captured:
        check(client.get(url))
    timings.sort()
    return {
        "median_ms": round(statistics.median(timings), 2),
        "p95_ms": round(timings[min(len(timings) - 1, int(len(timings) * 0.95))], 2),
        "cpu_median_ms": round(statistics.median(cpu), 2),
        "queries": len(captured),
        "cold_ms": round(cold_ms, 2),
        "cold_queries": cold_queries,
        "bytes": len(content),
    }


def main():
    args = arguments()
    setup(args.database_url or args.db)
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    rounds = 10 if args.quick else 30
    started = time.perf_counter()
    site = Site()
    visitor, member = Client(), Client()
    member.force_login(site.member)
    pages = {
        "home": ("/", ["FG Gemessen"]),
        "body": (site.body_page.url, ["der Fokusgruppe", "Sitzung 2"]),
        "archive": (site.pages["newsletter"].url, ["Ausgabe"]),
        "map": ("/netzwerk/netzwerkkarte/", ["FG Gemessen"]),
    }
    levels = []
    for size in SIZES:
        grown = time.perf_counter()
        site.grow(size)
        level = {"size": size, "build_s": round(time.perf_counter() - grown, 2), "pages": {}}
        for name, (url, expect) in pages.items():
            level["pages"][name] = {
                role: measure(client, url, rounds, expect)
                for role, client in (("visitor", visitor), ("member", member))
            }
        levels.append(level)
    write(
        args.out,
        {
            "database": connection.vendor,
            "cache": settings.CACHES["default"]["BACKEND"],
            "levels": levels,
            "rounds": rounds,
            "wall_s": round(time.perf_counter() - started, 1),
        },
    )


if __name__ == "__main__":
    main()
