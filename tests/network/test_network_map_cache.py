"""The network map page is a cached fragment under the map's stamp (network.freshness): it costs the same
few queries with 3 bodies as with 15, and a change shows at the next request."""

import random

from django.db import connection
from django.test.utils import CaptureQueriesContext

from network.models import Membership

URL = "/netzwerk/netzwerkkarte/"
random.seed(16)


def warm_queries(client):
    client.get(URL)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_the_map_costs_the_same_few_queries_with_three_and_with_fifteen_bodies(
    make_body, make_user, add_member, professional, logged_in
):
    visitor, member = logged_in(None), logged_in(professional)
    people = [make_user(display_name=f"Fachkraft {n}") for n in range(16)]

    def grow(count):
        for _number in range(count):
            body = make_body(f"Gremium {random.randrange(10**6)}")
            add_member(people[len(grow.bodies)], body)
            if grow.bodies:
                add_member(people[len(grow.bodies)], grow.bodies[-1])
            grow.bodies.append(body)

    grow.bodies = []
    grow(3)
    small = [warm_queries(visitor)[0], warm_queries(member)[0]]
    grow(12)
    (visitor_queries, html), (member_queries, member_html) = warm_queries(visitor), warm_queries(member)

    assert [visitor_queries, member_queries] == small
    # Warm, the visitor's map costs no query; the member's the session, the user, their roles and the menu's
    # count of unread notices.
    assert small == [0, 4]
    assert all(body.name in html for body in grow.bodies)
    assert "Fachkraft 14" in member_html  # connects two bodies: named for a professional
    assert "Fachkraft 14" not in html


def test_a_new_membership_and_a_renamed_body_show_on_the_map_at_once(make_body, make_user, add_member, client):
    kita, schule = make_body("FG Kita", slug="fg-kita"), make_body("FG Schule", slug="fg-schule")
    person = make_user(display_name="Brückenbauerin")
    add_member(person, kita)
    assert "Keine gemeinsamen Mitglieder mit anderen Gremien." in client.get(URL).content.decode()

    add_member(person, schule)
    html = client.get(URL).content.decode()
    assert "FG Kita – FG Schule: 1 gemeinsames Mitglied" in html

    schule.name = "FG Grundschule"
    schule.save()
    Membership.objects.filter(user=person, body=kita).delete()
    html = client.get(URL).content.decode()
    assert "FG Grundschule" in html and "FG Schule" not in html
    assert "gemeinsames Mitglied" not in html.split("Die Karte als Liste")[1]


def test_the_district_filter_appears_with_the_first_district_at_once(make_district, client):
    assert 'name="quartier"' not in client.get(URL).content.decode()

    make_district("Teltow-Seehof")

    html = client.get(URL).content.decode()
    assert 'name="quartier"' in html and "Teltow-Seehof" in html
