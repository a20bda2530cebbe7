"""When the coordination finalises the priority list, each proposing group hears in-app about each of its
proposals, prioritised or set aside, with a link to it; the Lenkungsrunde and outsiders get nothing."""

from django.utils import timezone

from network.models import Membership
from notices import services as notice_services
from notices.models import Notice
from planning import services
from planning.announcements import PRIORITIES_KIND
from planning.models import PlanningYear, Proposal


def in_rating(year_people, body, title):
    proposal = services.create_proposal(
        year_people.kita_member if body == year_people.kita else year_people.outsider,
        year_people.year,
        body,
        title=title,
        problem="Viele Familien in Belastungslagen.",
        goal="Mehr Unterstützung.",
    )
    Proposal.objects.filter(pk=proposal.pk).update(status=Proposal.Status.IN_BEWERTUNG)
    return proposal


def finalise(year_people, prioritised):
    PlanningYear.objects.filter(pk=year_people.year.pk).update(rating_closed_at=timezone.now())
    year = PlanningYear.objects.get(pk=year_people.year.pk)
    services.finalise_priorities(year_people.coordinator, year, [p.pk for p in prioritised])


def test_each_member_of_the_proposing_groups_hears_about_their_proposals(
    year_people, make_body, add_member, mailoutbox, django_capture_on_commit_callbacks
):
    schule = make_body("FG Schule", slug="fg-schule")
    add_member(year_people.outsider, schule, Membership.Role.MODERATOR)
    family = in_rating(year_people, year_people.kita, "Familienzentrum Ost")
    language = in_rating(year_people, year_people.kita, "Sprachförderung")
    yard = in_rating(year_people, schule, "Schulhof öffnen")

    with django_capture_on_commit_callbacks(execute=True):
        finalise(year_people, [family, yard])

    notices = {
        (n.recipient.email, n.title, n.url)
        for n in Notice.objects.filter(kind=PRIORITIES_KIND).select_related("recipient")
    }
    assert notices == {
        ("kita-mitglied@example.org", "Zielvorschlag „Familienzentrum Ost“ ist priorisiert", family.get_absolute_url()),
        (
            "kita-mitglied@example.org",
            "Zielvorschlag „Sprachförderung“ ist zurückgestellt",
            language.get_absolute_url(),
        ),
        (
            "moderation-kita@example.org",
            "Zielvorschlag „Familienzentrum Ost“ ist priorisiert",
            family.get_absolute_url(),
        ),
        (
            "moderation-kita@example.org",
            "Zielvorschlag „Sprachförderung“ ist zurückgestellt",
            language.get_absolute_url(),
        ),
        ("fachkraft@example.org", "Zielvorschlag „Schulhof öffnen“ ist priorisiert", yard.get_absolute_url()),
    }
    text = Notice.objects.get(recipient=year_people.kita_member, url=family.get_absolute_url()).text
    assert f"Prioritätenliste {year_people.year.year} festgelegt" in text
    assert "FG Kita wird in die Sozialraumkonferenz eingebracht" in text
    # The mail goes to the same people, once each.
    assert sorted(a for m in mailoutbox for a in m.to) == [
        "fachkraft@example.org",
        "kita-mitglied@example.org",
        "moderation-kita@example.org",
    ]


def test_who_switched_the_priority_list_off_gets_neither_notice_nor_mail(
    year_people, mailoutbox, django_capture_on_commit_callbacks
):
    family = in_rating(year_people, year_people.kita, "Familienzentrum Ost")
    notice_services.set_wanted_kinds(year_people.kita_member, [])

    with django_capture_on_commit_callbacks(execute=True):
        finalise(year_people, [family])

    assert list(Notice.objects.values_list("recipient__email", flat=True)) == ["moderation-kita@example.org"]
    assert [a for m in mailoutbox for a in m.to] == ["moderation-kita@example.org"]
