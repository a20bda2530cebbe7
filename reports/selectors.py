"""The figures of a yearly report, counted from the platform's own data.

Counts only: of private boards and bodies nothing but numbers leaves here, never a title or a text.
The result is plain JSON (codes, not translated labels), so that a published report can keep it
frozen and still be shown in either language.
"""

from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count
from django.utils import timezone

from cms.models import EventPage, EventRegistration
from forum.models import Board, Post, Topic
from meetings.models import Attendance, Meeting
from network.models import Membership, MembershipChange, NetworkBody, User
from newsletter.models import Send, Subscriber
from planning.models import PlanningYear, Proposal
from surveys.models import Participant, Response, SurveyPage

from .models import AnnualReport

BERLIN = ZoneInfo("Europe/Berlin")


def year_bounds(year: int) -> tuple[datetime, datetime]:
    """The year in German time, as the moments its first and the next year's first second begin."""
    start = timezone.make_aware(datetime.combine(date(year, 1, 1), time.min), BERLIN)
    end = timezone.make_aware(datetime.combine(date(year + 1, 1, 1), time.min), BERLIN)
    return start, end


def _network(year: int, start: datetime, end: datetime) -> dict[str, Any]:
    professionals = User.objects.filter(is_active=True, approval=User.Approval.APPROVED)
    changes = {
        (row["body_id"], row["kind"]): row["total"]
        for row in MembershipChange.objects.filter(on__year=year).values("body_id", "kind").annotate(total=Count("pk"))
    }
    members = dict(Membership.objects.values_list("body_id").annotate(total=Count("pk")).order_by())
    bodies = NetworkBody.objects.filter(status=NetworkBody.Status.ACTIVE).order_by("name")
    return {
        "professionals": professionals.filter(date_joined__lt=end).count(),
        "new_professionals": professionals.filter(date_joined__gte=start, date_joined__lt=end).count(),
        "bodies": [
            {
                "name": body.name,
                "members": members.get(body.pk, 0),
                "joined": changes.get((body.pk, MembershipChange.Kind.JOINED), 0),
                "left": changes.get((body.pk, MembershipChange.Kind.LEFT), 0),
            }
            for body in bodies
        ],
    }


def _meetings(start: datetime, end: datetime) -> dict[str, Any]:
    in_year = Meeting.objects.filter(start__gte=start, start__lt=end)
    held = in_year.filter(is_cancelled=False, end__lte=timezone.now())
    present = dict(
        Attendance.objects.filter(meeting__in=held, present=True)
        .values_list("meeting__body_id")
        .annotate(total=Count("pk"))
        .order_by()
    )
    rows = []
    for row in held.values("body_id", "body__name").annotate(total=Count("pk")).order_by("body__name"):
        attended = present.get(row["body_id"], 0)
        rows.append(
            {
                "body": row["body__name"],
                "held": row["total"],
                "attended": attended,
                "average": round(attended / row["total"], 1) if row["total"] else 0,
            }
        )
    return {
        "held": held.count(),
        "cancelled": in_year.filter(is_cancelled=True).count(),
        "attended": sum(present.values()),
        "bodies": rows,
    }


def _forum(start: datetime, end: datetime) -> dict[str, Any]:
    posts = Post.objects.filter(created_at__gte=start, created_at__lt=end, deleted_at__isnull=True)
    topics = Topic.objects.filter(created_at__gte=start, created_at__lt=end)
    topic_counts = dict(topics.values_list("board_id").annotate(total=Count("pk")).order_by())
    per_board = {
        row["topic__board_id"]: row
        for row in posts.values("topic__board_id").annotate(total=Count("pk"), active=Count("author", distinct=True))
    }
    rows = []
    for board in Board.objects.select_related("body").order_by("sort_order", "name"):
        row = per_board.get(board.pk, {})
        if row or topic_counts.get(board.pk):
            rows.append(
                {
                    "board": board.body.name if board.body is not None else board.name,
                    "topics": topic_counts.get(board.pk, 0),
                    "posts": row.get("total", 0),
                    "active": row.get("active", 0),
                }
            )
    return {
        "topics": topics.count(),
        "posts": posts.count(),
        "active": posts.values("author").distinct().count(),
        "boards": rows,
    }


def _newsletter(start: datetime, end: datetime) -> dict[str, Any]:
    sends = (
        Send.objects.filter(status=Send.Status.DONE, finished_at__gte=start, finished_at__lt=end)
        .select_related("edition")
        .order_by("finished_at")
    )
    return {
        "editions": [
            {
                "subject": send.edition.subject,
                "sent_on": timezone.localtime(send.finished_at, BERLIN).date().isoformat(),
                "recipients": send.recipients_count,
                "sent": send.sent_count,
                "failed": send.failed_count,
            }
            for send in sends
        ],
        "bounced_subscribers": Subscriber.objects.filter(status=Subscriber.Status.BOUNCED).count(),
    }


def _planning(year: int) -> dict[str, Any]:
    planning_year = PlanningYear.objects.filter(year=year).first()
    if planning_year is None:
        return {"exists": False, "by_status": [], "proposals": []}
    proposals = (
        Proposal.objects.filter(year=planning_year)
        .exclude(status=Proposal.Status.ENTWURF)
        .select_related("body")
        .order_by("body__name", "title")
    )
    by_status = dict(proposals.values_list("status").annotate(total=Count("pk")).order_by())
    return {
        "exists": True,
        "by_status": [
            {"status": status, "count": by_status[status]} for status in Proposal.Status.values if status in by_status
        ],
        "proposals": [{"title": p.title, "body": p.body.name, "status": p.status} for p in proposals],
    }


def _events(start: datetime, end: datetime) -> list[dict[str, Any]]:
    events = (
        EventPage.objects.live()
        .filter(start__gte=start, start__lt=end)
        .annotate(registered=Count("registrations"))
        .order_by("start")
    )
    return [
        {
            "title": event.title,
            "date": timezone.localtime(event.start, BERLIN).date().isoformat(),
            "registrations": event.registered,
            "conference": event.is_conference,
        }
        for event in events
    ]


def _surveys(start: datetime, end: datetime) -> list[dict[str, Any]]:
    """Surveys that opened in the year: answers sent, and for invited surveys the response rate."""
    surveys = list(SurveyPage.objects.live().filter(opens_at__gte=start, opens_at__lt=end).order_by("opens_at"))
    ids = [survey.pk for survey in surveys]
    sent = dict(
        Response.objects.filter(survey_id__in=ids, submitted_on__isnull=False)
        .values_list("survey_id")
        .annotate(total=Count("pk"))
        .order_by()
    )
    invited = dict(
        Participant.objects.filter(survey_id__in=ids, invited_at__isnull=False)
        .values_list("survey_id")
        .annotate(total=Count("pk"))
        .order_by()
    )
    return [
        {
            "title": survey.title,
            "opened": timezone.localtime(survey.opens_at, BERLIN).date().isoformat(),
            "answers": sent.get(survey.pk, 0),
            "invited": invited.get(survey.pk, 0),
            "rate": round(100 * sent.get(survey.pk, 0) / invited[survey.pk]) if invited.get(survey.pk) else None,
        }
        for survey in surveys
    ]


def annual_figures(year: int) -> dict[str, Any]:
    start, end = year_bounds(year)
    return {
        "year": year,
        "counted_at": timezone.now().isoformat(),
        "network": _network(year, start, end),
        "meetings": _meetings(start, end),
        "forum": _forum(start, end),
        "newsletter": _newsletter(start, end),
        "planning": _planning(year),
        "events": _events(start, end),
        "surveys": _surveys(start, end),
        "registrations": EventRegistration.objects.filter(event__start__gte=start, event__start__lt=end).count(),
    }


def report_figures(report: AnnualReport) -> dict[str, Any]:
    """What a report shows: its frozen figures once published, until then counted afresh."""
    return report.figures if report.figures is not None else annual_figures(report.year)


def years_with_reports(user_may_edit: bool) -> list[AnnualReport]:
    reports = AnnualReport.objects.all()
    return list(reports if user_may_edit else reports.filter(published_at__isnull=False))
