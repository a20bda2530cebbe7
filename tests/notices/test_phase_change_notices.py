"""A phase change leaves a notice for each person the phase concerns, the same people the mail goes to;
nobody outside it, and nobody who switched phase news off, hears of it."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from network.models import User
from notices import selectors
from notices import services as notice_services
from notices.models import Notice
from planning import services
from planning.announcements import PHASE_KIND
from planning.models import Phase, PlanningYear


def noticed(kind=PHASE_KIND):
    return sorted(Notice.objects.filter(kind=kind).values_list("recipient__email", flat=True))


def test_switching_to_the_rating_phase_notifies_the_lenkungsrunde_and_the_coordination(
    year_people, make_user, mailoutbox, django_capture_on_commit_callbacks
):
    second_coordinator = make_user("koordination2@example.org")
    second_coordinator.groups.add(*year_people.coordinator.groups.all())
    with django_capture_on_commit_callbacks(execute=True):
        services.set_current_phase(year_people.coordinator, year_people.year, Phase.Kind.BEWERTUNG)

    # The coordinator who switched needs no news of it; focus groups and the outsider have nothing to do.
    expected = ["koordination2@example.org", "lenkung1@example.org", "lenkung2@example.org", "lenkung3@example.org"]
    assert noticed() == expected
    assert sorted(address for message in mailoutbox for address in message.to) == expected
    notice = Notice.objects.get(recipient=year_people.raters[0])
    year = year_people.year.year
    assert notice.title == f"Planungsjahr {year}: Die Phase „Bewertung durch die Lenkungsrunde“ hat begonnen"
    rating = year_people.year.phases.get(kind=Phase.Kind.BEWERTUNG)
    assert f"Die Phase läuft bis zum {date_format(rating.ends_on, 'SHORT_DATE_FORMAT')}." in notice.text
    assert "Die Lenkungsrunde bewertet die eingereichten Vorschläge" in notice.text
    assert notice.url == f"/sozialplanung/{year_people.year.year}/"
    assert notice.read_at is None


def test_the_next_deadline_of_another_phase_is_named(year_people):
    proposals = year_people.year.phases.get(kind=Phase.Kind.ZIELVORSCHLAEGE)
    # Switched back by hand to stock-taking, whose dates are past: the deadline ahead is the proposals'.
    services.set_current_phase(year_people.coordinator, year_people.year, Phase.Kind.BESTANDSAUFNAHME)

    notice = Notice.objects.get(recipient=year_people.kita_member)
    assert (
        f"Nächste Frist: Zielvorschläge einreichen am {date_format(proposals.ends_on, 'SHORT_DATE_FORMAT')}."
        in notice.text
    )


def test_who_chose_no_mails_still_gets_the_notice_and_who_switched_phase_news_off_gets_neither(
    year_people, mailoutbox, django_capture_on_commit_callbacks
):
    no_mail, switched_off, told = year_people.raters
    User.objects.filter(pk=no_mail.pk).update(notify_by_email=User.Delivery.NEVER)
    notice_services.set_wanted_kinds(switched_off, [])

    with django_capture_on_commit_callbacks(execute=True):
        services.set_current_phase(year_people.coordinator, year_people.year, Phase.Kind.BEWERTUNG)

    assert noticed() == [no_mail.email, told.email]
    assert sorted(address for message in mailoutbox for address in message.to) == [told.email]
    assert selectors.unread_count(no_mail) == 1
    assert selectors.unread_count(switched_off) == 0


def test_a_phase_begun_by_its_dates_is_noticed_once_by_the_daily_run(year_people):
    today = timezone.localdate()
    year_people.year.phases.filter(kind=Phase.Kind.ZIELVORSCHLAEGE).update(ends_on=today - timedelta(days=1))
    year_people.year.phases.filter(kind=Phase.Kind.BEWERTUNG).update(starts_on=today)

    assert services.announce_phases_begun() == [year_people.year]
    assert services.announce_phases_begun() == []

    assert noticed() == [
        "koordination@example.org",
        "lenkung1@example.org",
        "lenkung2@example.org",
        "lenkung3@example.org",
    ]
    assert PlanningYear.objects.get(pk=year_people.year.pk).announced_phase == Phase.Kind.BEWERTUNG


def test_a_phase_change_that_is_rolled_back_leaves_no_notice(year_people):
    """The notices are written in the change's transaction: no change, no notice."""
    with pytest.raises(RuntimeError), transaction.atomic():
        services.set_current_phase(year_people.coordinator, year_people.year, Phase.Kind.BEWERTUNG)
        assert len(noticed()) == 3
        raise RuntimeError("the request failed later")

    assert noticed() == []
    assert PlanningYear.objects.get(pk=year_people.year.pk).current_phase_override == ""
