"""The coordination assigns places by wishes (first wish while it has room, else the second, in the
order of registration), keeps places given by hand, and changes places within the capacity."""

import random

import pytest

from planning.conference import services
from planning.models import WorkshopChoice

pytestmark = pytest.mark.django_db


def url(conf):
    return f"/sozialplanung/{conf.cycle.year.year}/konferenz/anmeldungen/"


def assigned(registration):
    return WorkshopChoice.objects.get(registration=registration).assigned


def test_first_wishes_fill_a_workshop_in_registration_order_then_second_wishes_take_over(
    conf, register, wish, logged_in
):
    anna, bert, cem = (register(conf.event, f"{n}@example.org") for n in ("anna", "bert", "cem"))
    for person in (anna, bert, cem):
        wish(conf, person, conf.a, conf.b)  # everyone wants the one seat of Forum Kita

    page = logged_in(conf.cycle.coordinator).post(url(conf), {"action": "assign_all"}, follow=True).content.decode()

    assert "Plätze zugeteilt: 1 nach Erstwunsch, 2 nach Zweitwunsch, 0 von Hand behalten, 0 ohne Platz." in page
    assert [assigned(p) for p in (anna, bert, cem)] == [conf.a, conf.b, conf.b]


def test_without_room_in_either_wish_a_registrant_stays_without_place_and_the_capacity_holds(conf, register, wish):
    rng = random.Random(7)
    conf.event.capacity = 10
    conf.event.save_revision().publish()
    people = [register(conf.event, f"person{n}@example.org") for n in rng.sample(range(1000), 5)]
    for person in people:
        wish(conf, person, conf.a, conf.b)

    result = services.assign_automatically(conf.cycle.coordinator, conf.conference)

    assert (result.first, result.second, result.without_place) == (1, 2, 2)
    taken = services.occupied_seats(conf.conference)
    assert taken == {conf.a.pk: 1, conf.b.pk: 2}


def test_a_place_given_by_hand_survives_the_automatic_assignment(conf, register, wish, logged_in):
    anna, bert = register(conf.event, "anna@example.org"), register(conf.event, "bert@example.org")
    wish(conf, anna, conf.a)
    wish(conf, bert, conf.a)
    browser = logged_in(conf.cycle.coordinator)
    browser.post(url(conf), {"action": "assign", "registration": bert.pk, "workshop": conf.a.pk})

    page = browser.post(url(conf), {"action": "assign_all"}, follow=True).content.decode()

    assert "0 nach Erstwunsch, 0 nach Zweitwunsch, 1 von Hand behalten, 1 ohne Platz" in page
    assert (assigned(anna), assigned(bert)) == (None, conf.a)


def test_a_change_by_hand_into_a_full_workshop_is_refused(conf, register, wish, logged_in):
    anna, bert = register(conf.event, "anna@example.org"), register(conf.event, "bert@example.org")
    wish(conf, anna, conf.a)
    wish(conf, bert, conf.b)
    services.assign_automatically(conf.cycle.coordinator, conf.conference)

    page = (
        logged_in(conf.cycle.coordinator)
        .post(url(conf), {"action": "assign", "registration": bert.pk, "workshop": conf.a.pk}, follow=True)
        .content.decode()
    )

    assert "Das Forum „Forum Kita“ ist voll; bitte wählen Sie ein anderes." in page
    assert assigned(bert) == conf.b


def test_a_waiting_registrant_gets_no_workshop_place(conf, register, logged_in):
    for name in ("anna", "bert", "cem"):
        register(conf.event, f"{name}@example.org")
    waiting = register(conf.event, "dora@example.org")

    page = (
        logged_in(conf.cycle.coordinator)
        .post(url(conf), {"action": "assign", "registration": waiting.pk, "workshop": conf.b.pk}, follow=True)
        .content.decode()
    )

    assert "Einen Platz im Forum bekommt nur, wer einen Platz auf der Konferenz hat." in page
    assert not WorkshopChoice.objects.filter(registration=waiting).exists()


def test_an_unknown_action_or_workshop_is_answered_in_german(conf, register, logged_in):
    anna = register(conf.event, "anna@example.org")
    browser = logged_in(conf.cycle.coordinator)

    unknown_action = browser.post(url(conf), {"action": "loeschen"}, follow=True).content.decode()
    unknown_workshop = browser.post(
        url(conf), {"action": "assign", "registration": anna.pk, "workshop": 987654}, follow=True
    ).content.decode()

    assert "Unbekannte Aktion." in unknown_action
    assert "Dieses Forum gibt es bei dieser Konferenz nicht" in unknown_workshop
