"""The demo forum from data/forum.yaml: topics, replies, reactions, read marks and notifications.

Posts are rendered by the forum's own Markdown renderer (markdown-it → nh3) and indexed for search as
real posts are. They are written with the models rather than `forum.services` because the demo needs
its history in the past (services stamp every post with "now" and their flood control would stop a
conversation written in one second) and must not send live events or mails for it. A topic is keyed
on its board and title: one that exists is left alone, so a second run changes nothing.
"""

import itertools
from datetime import timedelta

from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from forum import markdown, permissions, search
from forum.mentions import handle_for, mentioned_people
from forum.models import (
    Board,
    Notification,
    Poll,
    PollOption,
    PollVote,
    Post,
    Reaction,
    Tag,
    Topic,
    TopicRead,
    TopicSubscription,
    WatchLevel,
)
from network.models import Membership, User

from .data import load, moment

DEMO_DOMAIN = "@example.org"
# Notifications older than this count as read: the demo member's list shows a few new ones on top.
READ_NOTIFICATIONS_AFTER = timedelta(days=2)


def data():
    return load("forum")


def _board(key):
    return Board.objects.select_related("body").filter(slug=key).first() or Board.objects.select_related("body").get(
        body__slug=key
    )


class People:
    """Who `mod`, `m1`, `m2`, ... and login names stand for on a board (see the header of forum.yaml)."""

    def __init__(self):
        self._members = {}

    def members(self, board):
        if board.pk not in self._members:
            people = User.objects.filter(approval=User.Approval.APPROVED, is_active=True).exclude(
                email__endswith=DEMO_DOMAIN
            )
            members = people.filter(memberships__body=board.body_id, memberships__role=Membership.Role.MEMBER)
            if not board.body_id or not members.exists():
                # A general board, or a body whose members are only the demo logins (the conference).
                members = people.filter(memberships__isnull=False)
            self._members[board.pk] = list(members.distinct().order_by("email"))
        return self._members[board.pk]

    def get(self, key, board):
        if key == "mod":
            membership = (
                Membership.objects.filter(body=board.body_id, role=Membership.Role.MODERATOR)
                .select_related("user")
                .order_by("user__email")
                .first()
            )
            return membership.user
        if key[0] == "m" and key[1:].isdigit():
            members = self.members(board)
            return members[(int(key[1:]) - 1) % len(members)]
        return User.objects.get(email=f"{key}{DEMO_DOMAIN}")

    def reactors(self, board, author, count, offset):
        """`count` different people other than the author, a different choice for each post."""
        pool = [person for person in self.members(board) if person.pk != author.pk]
        start = offset % max(len(pool), 1)
        return (pool[start:] + pool[:start])[:count]


def _with_mentions(text, board, people):
    """@{m2} → @Vorname_Nachname of the person m2 stands for on this board."""
    for key in {part.split("}", 1)[0] for part in text.split("@{")[1:]}:
        text = text.replace(f"@{{{key}}}", f"@{handle_for(people.get(key, board))}")
    return text


def _first_paragraph(text):
    own = [line for line in text.strip().split("\n\n") if not line.lstrip().startswith((">", "**"))]
    return own[0] if own else text.strip()


def _tags(names):
    return [Tag.objects.get_or_create(slug=slugify(name)[:60], defaults={"name": name})[0] for name in names]


def _topic(board, item, people, counter):
    """Create one topic with its posts; returns it, or None when it exists already."""
    if Topic.objects.filter(board=board, title=item["title"]).exists():
        return None
    author = people.get(item["author"], board)
    started = moment(-item["days_ago"], 8) + timedelta(minutes=17 * (next(counter) % 20))
    latest = timezone.now() - timedelta(minutes=5)
    topic = Topic.objects.create(
        board=board,
        title=item["title"],
        author=author,
        created_at=min(started, latest),
        is_pinned=item.get("pinned", False),
        is_question=item.get("question", False),
    )
    topic.tags.set(_tags(item.get("tags", ())))
    posts, at = [], started
    for number, entry in enumerate(item["posts"], start=1):
        at = min(at + timedelta(hours=entry.get("hours", 0)), latest)
        writer = people.get(entry["author"], board) if "author" in entry else author
        text = _with_mentions(entry["text"].strip(), board, people)
        if "quote" in entry:
            quoted = posts[entry["quote"] - 1]
            text = markdown.quote(_first_paragraph(quoted.markdown), quoted.author.public_name) + text
        post = Post.objects.create(
            topic=topic,
            number=number,
            author=writer,
            markdown=text,
            html=markdown.render(text),
            reply_to=posts[entry["reply_to"] - 1] if "reply_to" in entry else None,
            created_at=at,
        )
        posts.append(post)
        search.index_post(post, is_new=True)
        for offset, (kind, count) in enumerate(entry.get("reactions", {}).items()):
            for person in people.reactors(board, writer, count, offset=number * 3 + offset * 5):
                Reaction.objects.get_or_create(post=post, user=person, kind=kind)
    topic.post_count = topic.last_post_number = len(posts)
    topic.last_post_at = posts[-1].created_at
    if "accepted" in item:
        topic.accepted_post = posts[item["accepted"] - 1]
    topic.save(update_fields=["post_count", "last_post_number", "last_post_at", "accepted_post"])
    _writers_follow_and_read(topic, posts)
    _notify(topic, posts)
    return topic


def _poll(topic, item, people):
    """The topic's poll with its votes, once: a topic made by an earlier run gets it on the next one."""
    spec = item.get("poll")
    if spec is None or Poll.objects.filter(topic=topic).exists():
        return
    poll = Poll.objects.create(
        topic=topic,
        question=spec["question"],
        allows_multiple=spec.get("multiple", False),
        is_secret=spec.get("secret", True),
        results=spec.get("results", Poll.Results.ALWAYS),
        closes_at=moment(spec["closes_in_days"], 18) if "closes_in_days" in spec else None,
        closed_at=topic.last_post_at if spec.get("closed") else None,
        closed_by=topic.author if spec.get("closed") else None,
        created_by=topic.author,
        created_at=topic.created_at,
    )
    voters = people.reactors(topic.board, topic.author, sum(spec["votes"]), offset=topic.pk)
    for position, (text, count) in enumerate(zip(spec["options"], spec["votes"])):
        option = PollOption.objects.create(poll=poll, position=position, text=text)
        # A multiple-choice poll lets the same people tick several options; a single choice gives each one voice.
        chosen = voters[:count] if poll.allows_multiple else voters[sum(spec["votes"][:position]) :][:count]
        PollVote.objects.bulk_create(PollVote(poll=poll, option=option, user=person) for person in chosen)


def _writers_follow_and_read(topic, posts):
    """What writing does in the forum: the writer watches the topic and has read it up to their post."""
    last_of = {}
    for post in posts:
        last_of[post.author_id] = post.number
    for user_id, number in last_of.items():
        TopicSubscription.objects.get_or_create(user_id=user_id, topic=topic, defaults={"level": WatchLevel.WATCHING})
        TopicRead.objects.get_or_create(user_id=user_id, topic=topic, defaults={"last_read_number": number})


def _notify(topic, posts):
    """The in-app notifications the posts would have caused; marked as e-mailed, so no mail or digest follows."""
    now = timezone.now()
    for post in posts:
        recipients = {}
        for person in mentioned_people(post.markdown):
            recipients.setdefault(person.pk, (person, Notification.Kind.MENTION))
        if post.number > 1:
            for person in (post.reply_to.author if post.reply_to_id else None, topic.author):
                if person is not None:
                    recipients.setdefault(person.pk, (person, Notification.Kind.REPLY))
        if topic.accepted_post_id == post.pk:
            recipients[-1] = (post.author, Notification.Kind.ACCEPTED)
        for person, kind in recipients.values():
            if person.pk == post.author_id and kind != Notification.Kind.ACCEPTED:
                continue
            if not permissions.can_see_post(person, post):
                continue
            actor = topic.author if kind == Notification.Kind.ACCEPTED else post.author
            Notification.objects.get_or_create(
                recipient=person,
                post=post,
                kind=kind,
                defaults={
                    "actor": actor,
                    "created_at": post.created_at,
                    "emailed_at": post.created_at,
                    "read_at": post.created_at + timedelta(hours=1)
                    if now - post.created_at > READ_NOTIFICATIONS_AFTER
                    else None,
                },
            )


def _demo_member_reads(topic, item, member):
    """The demo member has read most topics they may see; some end in posts marked "neu", some are new entirely."""
    if not permissions.can_see_topic(member, topic):
        return
    unread = item.get("new_for_demo_member", 0)
    if unread == "all":
        TopicRead.objects.filter(user=member, topic=topic).delete()
        return
    TopicRead.objects.update_or_create(
        user=member, topic=topic, defaults={"last_read_number": max(topic.last_post_number - unread, 0)}
    )


def recount(board):
    topics = Topic.objects.filter(board=board)
    Board.objects.filter(pk=board.pk).update(
        topic_count=topics.count(),
        post_count=Post.objects.filter(topic__board=board).count(),
        last_post_at=topics.aggregate(last=Max("last_post_at"))["last"],
        last_topic=topics.order_by("-last_post_at").first(),
    )


def seed_forum():
    """Create the missing demo topics; returns the topics by title (created or found) for the newsletter."""
    source = data()
    people = People()
    member = User.objects.get(email=f"{source['demo_member']}{DEMO_DOMAIN}")
    counter = itertools.count()
    for board in source["general_boards"]:
        Board.objects.get_or_create(slug=board["slug"], defaults={k: v for k, v in board.items() if k != "slug"})
    for key in source["public_boards"]:
        Board.objects.filter(slug=key, is_public=False).update(is_public=True)
    for key, items in source["boards"].items():
        board = _board(key)
        created = False
        for item in items:
            topic = _topic(board, item, people, counter)
            if topic is not None:
                created = True
                _demo_member_reads(topic, item, member)
            if "poll" in item:
                _poll(Topic.objects.get(board=board, title=item["title"]), item, people)
        if created:
            recount(board)
    return {topic.title: topic for topic in Topic.objects.filter(title__in=_titles(source))}


def _titles(source):
    return [item["title"] for items in source["boards"].values() for item in items]
