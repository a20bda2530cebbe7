"""A phase that begins by its dates is announced once, by mail, to the people it concerns."""

from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from network.models import User
from planning import services
from planning.models import Phase, PlanningYear

from .conftest import reload


def start_rating_today(year):
    """Move the year on: the proposals' deadline was yesterday, the Lenkungsrunde's rating begins today."""
    today = timezone.localdate()
    year.phases.filter(kind=Phase.Kind.ZIELVORSCHLAEGE).update(ends_on=today - timedelta(days=1))
    year.phases.filter(kind=Phase.Kind.BEWERTUNG).update(starts_on=today)


def recipients(mailoutbox):
    return sorted(address for message in mailoutbox for address in message.to)


def test_the_rating_phase_is_announced_to_the_lenkungsrunde_and_the_coordination_once(
    cycle, mailoutbox, django_capture_on_commit_callbacks
):
    User.objects.filter(pk=cycle.raters[2].pk).update(notify_by_email=User.Delivery.NEVER)
    start_rating_today(cycle.year)

    with django_capture_on_commit_callbacks(execute=True):
        call_command("announce_planning_phases", stdout=open("/dev/null", "w"))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("announce_planning_phases", stdout=open("/dev/null", "w"))

    # The third rater chose "keine E-Mails"; the focus groups have nothing to do in this phase.
    assert recipients(mailoutbox) == ["koordination@example.org", "lenkung1@example.org", "lenkung2@example.org"]
    message = mailoutbox[0]
    assert "Bewertung durch die Lenkungsrunde" in message.subject + message.body
    assert f"im Planungsjahr {cycle.year.year} hat die Phase" in message.body
    assert reload(cycle.year).announced_phase == Phase.Kind.BEWERTUNG


def test_the_proposal_phase_goes_to_the_focus_groups(cycle, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        announced = services.announce_phases_begun()

    assert announced == [cycle.year]
    assert recipients(mailoutbox) == [
        "kita-mitglied@example.org",
        "koordination@example.org",
        "lenkung1@example.org",  # also a member of FG Kita
        "moderation-kita@example.org",
        "moderation-schule@example.org",
    ]
    assert all("Zielvorschläge einreichen" in message.body for message in mailoutbox)


def test_a_phase_switched_by_hand_is_not_announced_again_by_date(cycle, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.set_current_phase(cycle.coordinator, reload(cycle.year), Phase.Kind.BEWERTUNG)
    switched = recipients(mailoutbox)
    assert switched == ["lenkung1@example.org", "lenkung2@example.org", "lenkung3@example.org"]

    start_rating_today(cycle.year)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.announce_phases_begun() == []
    assert recipients(mailoutbox) == switched


def test_a_phase_that_began_weeks_ago_is_recorded_without_a_mail(cycle, mailoutbox, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    cycle.year.phases.filter(kind=Phase.Kind.ZIELVORSCHLAEGE).update(starts_on=today - timedelta(days=20))

    with django_capture_on_commit_callbacks(execute=True):
        assert services.announce_phases_begun() == []

    assert mailoutbox == []
    assert PlanningYear.objects.get(pk=cycle.year.pk).announced_phase == Phase.Kind.ZIELVORSCHLAEGE
