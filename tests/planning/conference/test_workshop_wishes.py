"""Registrants choose a first and a second workshop on their own page (signed link); bad choices are
refused in German and change nothing."""

import pytest
from django.test import Client

from cms import services as cms_services
from cms.registration_links import registration_token
from planning.conference import services
from planning.models import Workshop, WorkshopChoice

pytestmark = pytest.mark.django_db


def own_page(registration):
    return Client().get(f"/veranstaltungen/anmeldung/{registration_token(registration)}/").content.decode()


def test_the_registrants_page_offers_the_workshops_with_room_and_takes_two_wishes(conf, register, wish):
    anna = register(conf.event, "anna@example.org")

    assert "Forum Kita" in own_page(anna)
    assert "Raum 1.12" in own_page(anna)
    response = wish(conf, anna, conf.a, conf.b)

    assert "Ihre Forumswünsche sind gespeichert." in response.content.decode()
    choice = WorkshopChoice.objects.get(registration=anna)
    assert (choice.first_wish, choice.second_wish) == (conf.a, conf.b)


@pytest.mark.parametrize(
    ("first", "second", "message"),
    [
        ("a", "a", "Erst- und Zweitwunsch müssen zwei verschiedene Foren sein."),
        (999999, None, "Dieses Forum gibt es bei dieser Konferenz nicht"),
        ("kein-forum", None, "Dieses Forum gibt es bei dieser Konferenz nicht"),
        (None, "b", "Bitte wählen Sie Ihren Erstwunsch."),
    ],
    ids=["same-twice", "unknown-id", "not-a-number", "no-first-wish"],
)
def test_bad_wishes_are_refused_and_the_earlier_wishes_stay(conf, register, wish, first, second, message):
    anna = register(conf.event, "anna@example.org")
    wish(conf, anna, conf.b)
    pick = {"a": conf.a, "b": conf.b}

    response = wish(conf, anna, pick.get(first, first) or "", pick.get(second, second))

    assert message in response.content.decode()
    choice = WorkshopChoice.objects.get(registration=anna)
    assert (choice.first_wish, choice.second_wish) == (conf.b, None)


def test_a_deleted_workshop_cannot_be_wished(conf, register, wish):
    anna = register(conf.event, "anna@example.org")
    gone = Workshop.objects.create(conference=conf.conference, title="Forum Senioren", room="Raum 3", capacity=5)
    gone_pk = gone.pk
    gone.delete()

    response = wish(conf, anna, gone_pk)

    assert "Dieses Forum gibt es bei dieser Konferenz nicht" in response.content.decode()
    assert not WorkshopChoice.objects.exists()


def test_a_full_workshop_cannot_be_wished_once_places_are_given(conf, register, wish):
    anna = register(conf.event, "anna@example.org")
    bert = register(conf.event, "bert@example.org")
    wish(conf, anna, conf.a)
    services.assign_automatically(conf.cycle.coordinator, conf.conference)

    response = wish(conf, bert, conf.a, conf.b)

    assert "Das Forum „Forum Kita“ ist voll; bitte wählen Sie ein anderes." in response.content.decode()
    assert not WorkshopChoice.objects.filter(registration=bert).exists()


def test_a_forged_link_cannot_set_wishes(conf, register):
    anna = register(conf.event, "anna@example.org")
    token = registration_token(anna)[:-2] + "xx"

    response = Client().post(
        f"/sozialplanung/{conf.cycle.year.year}/konferenz/anmeldung/{token}/foren/", {"first_wish": conf.a.pk}
    )

    assert response.status_code == 400
    assert "Dieser Link ist ungültig oder beschädigt." in response.content.decode()
    assert not WorkshopChoice.objects.exists()


def test_a_cancelled_registration_chooses_no_more_workshops(conf, register, wish):
    anna = register(conf.event, "anna@example.org")
    cms_services.cancel_registration(anna)

    response = wish(conf, anna, conf.a)

    assert "Diese Anmeldung ist storniert; Forumswünsche sind nicht mehr möglich." in response.content.decode()
    assert not WorkshopChoice.objects.exists()
