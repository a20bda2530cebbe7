"""Reads of meetings that views, feeds, mails and other apps (newsletter, dashboard) use."""

from datetime import datetime, timedelta

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from core.permissions import Viewer
from network import access
from network.models import NetworkBody, User

from . import permissions, sources
from .models import Guest, Meeting, MeetingReply, Visibility

FEED_PAST_DAYS = 90


def _with_relations(meetings: QuerySet[Meeting]) -> QuerySet[Meeting]:
    return meetings.select_related("body", "organisation", "series")


def upcoming_for_body(body: NetworkBody, user: Viewer, limit: int = 5) -> list[Meeting]:
    """The next meetings of a body that this person may see, cancelled ones included (marked)."""
    meetings = permissions.visible_meetings(user).filter(body=body, end__gte=timezone.now())
    return list(_with_relations(meetings).order_by("start")[:limit])


def upcoming_for_user(user: Viewer, limit: int = 10) -> list[Meeting]:
    """ "Meine Termine": meetings of the person's bodies and those they said yes or maybe to."""
    if not user.is_authenticated:
        return []
    mine = (
        Q(body__memberships__user=user)
        | Q(replies__user=user, replies__answer__in=[MeetingReply.Answer.YES, MeetingReply.Answer.MAYBE])
        | Q(guests__user=user)
        | Q(body__standing_guests__user=user)
    )
    meetings = permissions.visible_meetings(user).filter(mine, end__gte=timezone.now(), is_cancelled=False)
    return list(_with_relations(meetings).distinct().order_by("start")[:limit])


def upcoming_public(limit: int = 10) -> list[Meeting]:
    """For the public calendar and the newsletter's "Termine" block."""
    meetings = Meeting.objects.filter(visibility=Visibility.PUBLIC, is_cancelled=False, end__gte=timezone.now())
    return list(_with_relations(meetings).order_by("start")[:limit])


def feed_meetings(meetings: QuerySet[Meeting]) -> QuerySet[Meeting]:
    """A feed keeps recent past and cancelled dates, so that calendars update the entries they have.

    A series shows as one master event (RRULE): it needs one date that follows the rule (its title, place,
    text) and every changed or cancelled date (RECURRENCE-ID, EXDATE), whenever they were; the other dates
    add nothing, so they are not loaded (bench/meetings_feed.py)."""
    since = timezone.now() - timedelta(days=FEED_PAST_DAYS)
    template = (
        Meeting.objects.filter(series=OuterRef("series"), is_exception=False, is_cancelled=False)
        .order_by("-start")
        .values("pk")[:1]
    )
    chosen = Q(series__isnull=True, end__gte=since) | Q(
        Q(is_exception=True) | Q(is_cancelled=True) | Q(pk=Subquery(template)), series__isnull=False
    )
    return _with_relations(meetings.filter(chosen)).order_by("start")


def body_feed(body: NetworkBody) -> QuerySet[Meeting]:
    return feed_meetings(Meeting.objects.filter(body=body, visibility=Visibility.PUBLIC))


def network_feed() -> QuerySet[Meeting]:
    return feed_meetings(Meeting.objects.filter(visibility=Visibility.PUBLIC))


def personal_feed(user: Viewer) -> QuerySet[Meeting]:
    return feed_meetings(permissions.visible_meetings(user))


def feed_entries(body: NetworkBody | None = None) -> list[sources.CalendarEntry]:
    """Other apps' public events for a feed (CMS events): the same window into the past as the meetings."""
    since = timezone.now() - timedelta(days=FEED_PAST_DAYS)
    return sources.entries(since, None, body.pk if body else None)


def upcoming_public_entries(limit: int = 10) -> list[Meeting | sources.CalendarEntry]:
    """Public meetings and other apps' public events, soonest first: the newsletter's "Termine" block."""
    now = timezone.now()
    merged = upcoming_public(limit) + [entry for entry in sources.entries(now) if (entry.end or entry.start) >= now]
    return sorted(merged, key=lambda item: item.start)[:limit]


def invited_people(meeting: Meeting, *, include_declined: bool = True) -> list[User]:
    """Members of the body, its guests (of this meeting or standing) and everyone who replied (network-wide
    meetings), active accounts only. Guests without an account are in `address_guests`."""
    people = User.objects.filter(is_active=True).filter(
        Q(memberships__body_id=meeting.body_id)
        | Q(meeting_replies__meeting=meeting)
        | Q(guest_roles__meeting=meeting)
        | Q(guest_roles__body_id=meeting.body_id)
    )
    if not include_declined:
        people = people.exclude(meeting_replies__meeting=meeting, meeting_replies__answer=MeetingReply.Answer.NO)
    return [
        person for person in people.distinct().order_by("display_name", "email") if permissions.can_see(person, meeting)
    ]


def replies_of(meeting: Meeting) -> QuerySet[MeetingReply]:
    return meeting.replies.select_related("user", "user__organisation").order_by(
        "answer", "waiting_position", "replied_at"
    )


def reply_of(user: Viewer, meeting: Meeting) -> MeetingReply | None:
    if not user.is_authenticated:
        return None
    return MeetingReply.objects.filter(meeting=meeting, user=user).first()


def visible_between(user: Viewer, start: datetime, end: datetime) -> list[Meeting | sources.CalendarEntry]:
    """Meetings this person may see that overlap [start, end), with the public events of other apps starting
    then: the month view of the calendar page."""
    meetings = permissions.visible_meetings(user).filter(start__lt=end, end__gt=start)
    merged = list(_with_relations(meetings)) + sources.entries(start, end)
    return sorted(merged, key=lambda item: item.start)


def upcoming_visible(user: Viewer, limit: int = 50) -> list[Meeting | sources.CalendarEntry]:
    now = timezone.now()
    meetings = list(_with_relations(permissions.visible_meetings(user).filter(end__gte=now)).order_by("start")[:limit])
    merged = meetings + [entry for entry in sources.entries(now) if (entry.end or entry.start) >= now]
    return sorted(merged, key=lambda item: item.start)[:limit]


def guests_of(meeting: Meeting) -> QuerySet[Guest]:
    """Guests of this meeting and the standing guests of its body."""
    return (
        Guest.objects.filter(Q(meeting=meeting) | Q(body_id=meeting.body_id))
        .select_related("user", "user__organisation")
        .order_by("body", "name", "email")
    )


def address_guests(meeting: Meeting, *, include_declined: bool = True) -> list[Guest]:
    """Guests of this meeting known only by their e-mail address: they get the mails, but have no account."""
    guests = meeting.guests.filter(user__isnull=True)
    if not include_declined:
        guests = guests.exclude(answer=MeetingReply.Answer.NO)
    return list(guests.order_by("name", "email"))


def is_one_meeting_guest(user: Viewer, meeting: Meeting) -> bool:
    """Invited to this date only (not a member, not a standing guest): sees this date, not its series."""
    if not user.is_authenticated or access.can_moderate_body(user, meeting.body):
        return False
    if meeting.body_id in access.member_body_ids(user):
        return False
    return not Guest.objects.filter(user=user, body_id=meeting.body_id).exists() and permissions.is_guest(user, meeting)
