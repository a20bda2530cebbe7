"""Notices on the site (Mitteilungen) for the demo's planning cycle: the current year's rating phase,
announced to the Lenkungsrunde and the coordination when it began, and last year's final priority list,
told to the members of some proposing groups. The texts are the ones planning.services writes
(planning.announcements), marked as example data and dated to the moment the event happened.

Each kind is written once per target page: a second run finds the rows and changes nothing.
"""

from datetime import datetime, time

from django.utils import timezone

from network.models import Membership
from notices import services
from notices.models import Notice
from planning import announcements
from planning.models import Phase, PlanningYear, Proposal
from planning.services import phase_audience

from .planning import data


def _moment(day, hour):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _send(people, content, note, at):
    if Notice.objects.filter(kind=content["kind"], url=content["url"]).exists():
        return
    content = {**content, "text": f"{content['text']} {note}"}
    sent = services.send_notices(people, **content)
    Notice.objects.filter(pk__in=[notice.pk for notice in sent]).update(created_at=at)


def seed_notices():
    source = data()["notices"]
    this_year = timezone.localdate().year
    current = PlanningYear.objects.prefetch_related("phases").get(year=this_year)
    rating = current.phase_of_kind(Phase.Kind.BEWERTUNG)
    announced = _moment(rating.starts_on, 7)
    _send(phase_audience(rating), announcements.phase_notice(current, rating), source["note"], announced)

    past = PlanningYear.objects.get(year=this_year - 1)
    for proposal in past.proposals.filter(body__slug__in=source["priority_bodies"]).select_related("body"):
        # The status the list gave it, before the paper and the council moved it on.
        event = proposal.events.filter(
            to_status__in=[Proposal.Status.PRIORISIERT, Proposal.Status.ZURUECKGESTELLT]
        ).first()
        proposal.status = event.to_status
        members = [m.user for m in Membership.objects.filter(body=proposal.body).select_related("user")]
        _send(members, announcements.priorities_notice(past, proposal), source["note"], event.created_at)
