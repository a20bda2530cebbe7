"""The demo meetings from data/meetings.yaml: the FG Kita series, the Lenkungsrunde, an open preparation
meeting with a waiting list and past meetings with attendance.

Rows are written with the models, as demo/forum.py does: `meetings.services` refuses dates in the past and
queues invitation mails on commit, and the demo needs neither. The series' dates still come from the
app's own recurrence helpers, so they are exactly what scheduling the series would have made. A series or
meeting is keyed on its body and title: one that exists is left alone, so a second run changes nothing.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from meetings import recurrence, selectors
from meetings.models import BERLIN, AgendaItem, Attendance, Guest, Meeting, MeetingReply, MeetingSeries
from network.models import Membership, NetworkBody, Organisation, User

from .data import days_from_today, load, moment

DEMO_DOMAIN = "@example.org"


def data():
    return load("meetings")


def _person(key, body):
    """A demo login by e-mail address, or `m<n>`: the n-th other member of the body (by e-mail address)."""
    if "@" in key:
        return User.objects.get(email=key)
    members = list(
        User.objects.filter(
            approval=User.Approval.APPROVED,
            is_active=True,
            memberships__body=body,
            memberships__role=Membership.Role.MEMBER,
        )
        .exclude(email__endswith=DEMO_DOMAIN)
        .distinct()
        .order_by("email")
    )
    return members[(int(key[1:]) - 1) % len(members)]


def _description(item):
    return f"{item['description'].strip()}\n\n{data()['note']}"


def _second_tuesday(day):
    first = day.replace(day=1)
    return first + timedelta(days=(1 - first.weekday()) % 7 + 7)


def _agenda(meeting, items, organiser):
    for position, item in enumerate(items, start=1):
        item = item if isinstance(item, dict) else {"title": item}
        proposer = User.objects.get(email=item["proposed_by"]) if "proposed_by" in item else organiser
        AgendaItem.objects.create(
            meeting=meeting,
            position=position,
            title=item["title"],
            description=item.get("description", ""),
            proposed_by=proposer,
            is_proposal=item.get("proposal", False),
        )


def _replies(meeting, replies, body):
    for hours_ago, reply in enumerate(reversed(replies), start=1):
        MeetingReply.objects.create(
            meeting=meeting,
            user=_person(reply["who"], body),
            answer=reply["answer"],
            comment=reply.get("comment", ""),
            replied_at=timezone.now() - timedelta(hours=7 * hours_ago),
        )


def _attendance(meeting, absent_keys, organiser):
    absent = {_person(key, meeting.body).pk for key in absent_keys}
    for person in selectors.invited_people(meeting, include_declined=True):
        Attendance.objects.create(meeting=meeting, user=person, present=person.pk not in absent, recorded_by=organiser)


def _series(item, body):
    if MeetingSeries.objects.filter(body=body, title=item["title"]).exists():
        return
    organiser = User.objects.get(email=item["organiser"])
    begin, finish = (time(hour) for hour in item["hours"])
    day = _second_tuesday(days_from_today(item["first_month_days"]))
    first_start = datetime.combine(day, begin, tzinfo=BERLIN)
    duration = datetime.combine(day, finish, tzinfo=BERLIN) - first_start
    rule = recurrence.build_rule(recurrence.Repeat.MONTHLY_WEEKDAY, first_start, days_from_today(item["until_days"]))
    series = MeetingSeries.objects.create(
        body=body,
        title=item["title"],
        rrule=rule,
        first_start=first_start,
        first_end=first_start + duration,
        created_by=organiser,
    )
    meetings = []
    for start in recurrence.occurrences(rule, first_start):
        meeting = Meeting.objects.create(
            body=body,
            series=series,
            recurrence_id=start,
            title=item["title"],
            description=_description(item),
            start=start,
            end=start + duration,
            place=data()["place_rathaus"],
            visibility=item["visibility"],
            created_by=organiser,
            reminder_sent_at=start - timedelta(days=1) if start < timezone.now() else None,
        )
        _agenda(meeting, item["agenda"], organiser)
        meetings.append(meeting)
    now = timezone.now()
    past = [meeting for meeting in meetings if meeting.end <= now]
    upcoming = [meeting for meeting in meetings if meeting.start > now]
    for meeting in past[-item["attendance_of_past"] :]:
        _attendance(meeting, item["absent"], organiser)
    _replies(upcoming[0], item["replies_next"], body)
    cancelled = upcoming[item["cancelled_upcoming"] - 1]
    Meeting.objects.filter(pk=cancelled.pk).update(is_cancelled=True, sequence=1)
    moved = upcoming[item["moved_upcoming"] - 1]
    shift = timedelta(days=item["moved_by_days"])
    Meeting.objects.filter(pk=moved.pk).update(
        start=moved.start + shift,
        end=moved.end + shift,
        sequence=1,
        is_exception=True,
        description=f"{item['moved_note'].strip()}\n\n{moved.description}",
    )
    MeetingSeries.objects.filter(pk=series.pk).update(sequence=2)


def _waiting_list_replies(meeting, item):
    """`yes_count` yes replies in the order they came: those beyond the capacity wait, 1 first in line."""
    first = [User.objects.get(email=email) for email in item.get("yes_first", ())]
    others = (
        User.objects.filter(approval=User.Approval.APPROVED, is_active=True, memberships__isnull=False)
        .exclude(email__endswith=DEMO_DOMAIN)
        .exclude(pk__in=[person.pk for person in first])
        .distinct()
        .order_by("email")
    )
    people = (first + list(others))[: item["yes_count"]]
    started = timezone.now() - timedelta(days=len(people))
    for number, person in enumerate(people):
        full = number >= item["capacity"]
        MeetingReply.objects.create(
            meeting=meeting,
            user=person,
            answer=MeetingReply.Answer.YES,
            waiting_position=number - item["capacity"] + 1 if full else None,
            replied_at=started + timedelta(days=number, hours=number % 5),
        )


def _meeting(item, body):
    if Meeting.objects.filter(body=body, title=item["title"], series__isnull=True).exists():
        return
    organiser = User.objects.get(email=item["organiser"])
    start = moment(item["days"], item["hours"][0], weekday=item.get("weekday"))
    end = moment(item["days"], item["hours"][1], weekday=item.get("weekday"))
    before = item.get("agenda_deadline_days_before")
    meeting = Meeting.objects.create(
        body=body,
        title=item["title"],
        description=_description(item),
        start=start,
        end=end,
        place=data()["place_rathaus"],
        visibility=item["visibility"],
        capacity=item.get("capacity"),
        agenda_deadline=start - timedelta(days=before) if before else None,
        created_by=organiser,
        reminder_sent_at=start - timedelta(days=1) if start < timezone.now() else None,
    )
    _agenda(meeting, item["agenda"], organiser)
    _replies(meeting, item.get("replies", []), body)
    if "yes_count" in item:
        _waiting_list_replies(meeting, item)
    if item.get("attendance"):
        _attendance(meeting, item.get("absent", ()), organiser)


def _standing_guest(item):
    """A functional account of an outside office, standing guest of a body: invited to each of its meetings."""
    body = NetworkBody.objects.get(slug=item["body"])
    person = User.objects.filter(email=item["email"]).first()
    if person is None:
        person = User.objects.create_user(
            email=item["email"],
            password=None,
            display_name=item["name"],
            job_title=item["function"],
            organisation=Organisation.objects.get(slug=item["organisation"]),
            approval=User.Approval.APPROVED,
            approved_at=timezone.now(),
        )
    Guest.objects.get_or_create(
        body=body, user=person, defaults={"kind": Guest.Kind.GUEST, "function": item["function"]}
    )
    for reply in item.get("replies", ()):
        meeting = Meeting.objects.filter(body=body, title=reply["meeting"], start__gt=timezone.now()).first()
        if meeting is not None:
            MeetingReply.objects.get_or_create(
                meeting=meeting, user=person, defaults={"answer": reply["answer"], "comment": reply.get("comment", "")}
            )


def seed_meetings():
    source = data()
    for item in source["series"]:
        _series(item, NetworkBody.objects.get(slug=item["body"]))
    for item in source["meetings"]:
        _meeting(item, NetworkBody.objects.get(slug=item["body"]))
    for item in source.get("standing_guests", ()):
        _standing_guest(item)
