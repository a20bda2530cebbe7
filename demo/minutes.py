"""The demo minutes from data/minutes.yaml: published minutes of past meetings with decisions, tasks and a public
summary, and one set of minutes "zur Abstimmung" with its comment thread in the body's forum.

Rows are written with the models, as demo/meetings.py does: the services would open the forum topic through
the forum's services and queue its notifications, which the demo does not want. The text is rendered with the
forum's renderer, as the services do. Minutes are keyed on their meeting: a second run changes nothing.
"""

from datetime import timedelta

from django.utils import timezone

from forum import markdown, search
from forum.models import Post, Topic
from forum.services import ensure_body_board
from meetings.models import Attendance, Meeting, MeetingReply
from minutes.models import Decision, Minutes, Revision, Task
from network.models import NetworkBody, User

from .data import load
from .meetings import _person

Status = Minutes.Status


def data():
    return load("minutes")


def _meeting(item, body):
    past = Meeting.objects.filter(body=body, end__lt=timezone.now(), is_cancelled=False)
    if item.get("series"):
        return past.filter(series__isnull=False).order_by("-start")[item["nth_past"] - 1 : item["nth_past"]].first()
    return past.filter(title=item["meeting"], series__isnull=True).first()


def _present(meeting):
    recorded = list(Attendance.objects.filter(meeting=meeting, present=True).values_list("user_id", flat=True))
    if recorded:
        return recorded
    return list(meeting.replies.filter(answer=MeetingReply.Answer.YES).values_list("user_id", flat=True)) or list(
        User.objects.filter(memberships__body=meeting.body, is_active=True).values_list("pk", flat=True)[:6]
    )


def _discussion(minutes, text, author):
    board = ensure_body_board(minutes.meeting.body)
    title = f"Protokoll zur Abstimmung: {minutes.meeting.title} ({minutes.meeting.local_start:%d.%m.%Y})"
    body = f"{text.strip()}\n\n[Zum Protokoll]({minutes.get_absolute_url()})"
    topic = Topic.objects.create(board=board, title=title, author=author, post_count=1, last_post_number=1)
    post = Post.objects.create(topic=topic, number=1, author=author, markdown=body, html=markdown.render(body))
    search.index_post(post, is_new=True)
    board.topic_count += 1
    board.post_count += 1
    board.last_topic, board.last_post_at = topic, post.created_at
    board.save(update_fields=["topic_count", "post_count", "last_topic", "last_post_at"])
    return topic


def _minutes(item, body, note):
    meeting = _meeting(item, body)
    if meeting is None or Minutes.objects.filter(meeting=meeting).exists():
        return
    author = User.objects.get(email=item["author"])
    text = f"{item['text'].strip()}\n\n{note}"
    summary = item["summary"].strip()
    written = meeting.end + timedelta(days=2)
    minutes = Minutes.objects.create(
        meeting=meeting,
        author=author,
        status=item["status"],
        text=text,
        html=markdown.render(text),
        public_summary=summary,
        public_summary_html=markdown.render(summary) if summary else "",
    )
    minutes.present.set(_present(meeting))
    for position, decision in enumerate(item["decisions"], start=1):
        Decision.objects.create(minutes=minutes, position=position, text=decision)
    for position, task in enumerate(item["tasks"], start=1):
        Task.objects.create(
            minutes=minutes,
            position=position,
            what=task["what"],
            owner=_person(task["who"], body),
            due_date=timezone.localdate() + timedelta(days=task["due_days"]),
            done=task.get("done", False),
            done_at=timezone.now() if task.get("done") else None,
        )
    changes = [("Protokoll angelegt", Status.DRAFT), ("Stand: zur Abstimmung", Status.VOTING)]
    if item["status"] == Status.PUBLISHED:
        changes += [("Stand: freigegeben", Status.APPROVED), ("Stand: veröffentlicht", Status.PUBLISHED)]
        Minutes.objects.filter(pk=minutes.pk).update(
            approved_at=written + timedelta(days=7), approved_by=author, published_at=written + timedelta(days=7)
        )
    if "discussion" in item:
        Minutes.objects.filter(pk=minutes.pk).update(discussion=_discussion(minutes, item["discussion"], author))
    for number, (change, status) in enumerate(changes, start=1):
        Revision.objects.create(
            minutes=minutes,
            number=number,
            author=author,
            change=change,
            status=status,
            text=text,
            public_summary=summary,
            decisions=list(item["decisions"]),
        )


def seed_minutes():
    source = data()
    for item in source["minutes"]:
        _minutes(item, NetworkBody.objects.get(slug=item["body"]), source["note"])
