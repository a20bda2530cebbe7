"""The network map: which bodies share people, which organisations sit where, and who connects them."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser

from network.models import NetworkBody
from network.selectors import network_map


@pytest.fixture
def three_bodies(make_body):
    return (
        make_body("FG Kita", slug="fg-kita"),
        make_body("FG Schule", slug="fg-schule"),
        make_body("FG Prävention", slug="fg-praevention"),
    )


def links_of(data):
    return {frozenset((link["a"], link["b"])): link["people"] for link in data["body_links"]}


def body_named(data, name):
    return next(body for body in data["bodies"] if body["name"] == name)


def test_a_person_in_three_bodies_links_each_pair_once(make_user, add_member, three_bodies, professional):
    kita, schule, praevention = three_bodies
    person = make_user(display_name="Brückenbauerin")
    for body in three_bodies:
        add_member(person, body)

    links = links_of(network_map(professional))

    assert links == {
        frozenset(("FG Kita", "FG Schule")): 1,
        frozenset(("FG Kita", "FG Prävention")): 1,
        frozenset(("FG Schule", "FG Prävention")): 1,
    }


def test_two_people_sitting_in_the_same_bodies_count_twice(make_user, add_member, three_bodies, professional):
    for _ in range(2):
        person = make_user()
        for body in three_bodies:
            add_member(person, body)
    loner = make_user()
    add_member(loner, three_bodies[0])

    data = network_map(professional)

    assert set(links_of(data).values()) == {2}
    assert len(data["body_links"]) == 3
    assert data["connector_count"] == 2
    kita = body_named(data, "FG Kita")
    assert {link["name"]: link["people"] for link in kita["linked_bodies"]} == {"FG Schule": 2, "FG Prävention": 2}


def test_bodies_without_shared_people_are_not_linked(make_user, add_member, three_bodies, professional):
    for body in three_bodies:
        add_member(make_user(), body)

    data = network_map(professional)

    assert data["body_links"] == []
    assert data["connector_count"] == 0


def test_organisations_are_linked_to_the_bodies_their_people_sit_in(
    make_user, make_organisation, add_member, three_bodies, professional
):
    kita, schule, praevention = three_bodies
    kita_traeger = make_organisation("Kita-Eigenbetrieb Teltow")
    beratung = make_organisation("Familienberatung Teltow")
    make_organisation("Verein ohne Mitglieder")
    add_member(make_user(organisation=kita_traeger), kita)
    add_member(make_user(organisation=kita_traeger), schule)
    add_member(make_user(organisation=beratung), praevention)
    add_member(make_user(), praevention)

    data = network_map(professional)

    organisations = {org["name"]: org["bodies"] for org in data["organisations"]}
    assert organisations == {
        "Kita-Eigenbetrieb Teltow": ["FG Kita", "FG Schule"],
        "Familienberatung Teltow": ["FG Prävention"],
    }
    assert body_named(data, "FG Prävention")["organisations"] == ["Familienberatung Teltow"]
    assert len(data["organisation_links"]) == 3


def test_deactivated_people_do_not_link_bodies(make_user, add_member, three_bodies, professional):
    gone = make_user(is_active=False)
    add_member(gone, three_bodies[0])
    add_member(gone, three_bodies[1])

    assert network_map(professional)["body_links"] == []


def test_professionals_see_who_connects_the_bodies(make_user, add_member, three_bodies, professional):
    person = make_user(display_name="Brückenbauerin")
    add_member(person, three_bodies[0])
    add_member(person, three_bodies[1])

    connectors = network_map(professional)["connectors"]

    assert connectors == [{"name": "Brückenbauerin", "bodies": ["FG Kita", "FG Schule"]}]


def test_connectors_do_not_reveal_memberships_of_closed_bodies_to_outsiders(
    make_user, make_body, add_member, professional, coordinator
):
    """Otherwise the connector list would rebuild the member list of a members-only body."""
    open_body = make_body("FG Kita", slug="fg-kita")
    other_open = make_body("FG Schule", slug="fg-schule")
    closed = make_body("Lenkungsrunde Sozialplanung", slug="lenkungsrunde", members_only=True)
    person = make_user(display_name="Brückenbauerin")
    for body in (open_body, other_open, closed):
        add_member(person, body)

    seen_by_professional = network_map(professional)["connectors"]
    seen_by_coordination = network_map(coordinator)["connectors"]

    assert all("Lenkungsrunde Sozialplanung" not in c["bodies"] for c in seen_by_professional)
    assert seen_by_coordination == [
        {"name": "Brückenbauerin", "bodies": ["FG Kita", "FG Schule", "Lenkungsrunde Sozialplanung"]}
    ]


@pytest.mark.parametrize("viewer", ["anonymous", "pending"])
def test_the_public_gets_counts_but_no_names(make_user, add_member, three_bodies, pending_user, viewer):
    person = make_user(display_name="Brückenbauerin")
    add_member(person, three_bodies[0])
    add_member(person, three_bodies[1])
    user = AnonymousUser() if viewer == "anonymous" else pending_user

    data = network_map(user)

    assert data["connectors"] == []
    assert data["connector_count"] == 1
    assert links_of(data) == {frozenset(("FG Kita", "FG Schule")): 1}
    assert "Brückenbauerin" not in repr(data)


def test_planned_bodies_are_flagged(make_body, professional):
    make_body("FG Inklusion", slug="fg-inklusion", status=NetworkBody.Status.PLANNED)
    make_body("FG Kita", slug="fg-kita")

    data = network_map(professional)

    assert body_named(data, "FG Inklusion")["planned"] is True
    assert body_named(data, "FG Kita")["planned"] is False


def test_the_map_query_count_does_not_grow_with_the_members(
    make_user, make_organisation, add_member, three_bodies, professional, django_assert_max_num_queries
):
    def add_people(count):
        for _ in range(count):
            person = make_user(organisation=make_organisation())
            for body in three_bodies:
                add_member(person, body)

    add_people(2)
    with django_assert_max_num_queries(10) as few:
        network_map(professional)
    baseline = len(few.captured_queries)

    add_people(20)
    with django_assert_max_num_queries(baseline):
        data = network_map(professional)
    assert data["connector_count"] == 22


def test_the_map_page_draws_an_accessible_svg_and_lists_the_same_bodies(client, make_user, add_member, three_bodies):
    person = make_user(display_name="Brückenbauerin")
    add_member(person, three_bodies[0])
    add_member(person, three_bodies[1])

    response = client.get("/netzwerk/netzwerkkarte/")

    assert response.status_code == 200
    html = response.content.decode()
    svg = re.search(r"<svg\b[^>]*\brole=\"img\".*?</svg>", html, re.S)
    assert svg, "the map is drawn as inline SVG that assistive technology treats as one image"
    assert re.search(r"<title[^>]*>\s*\S", svg.group(0)), "the SVG has a non-empty <title> for screen readers"
    text_alternative = html[svg.end() :]
    for body in three_bodies:
        assert body.name in svg.group(0)
        assert body.name in text_alternative, f"{body.name} is missing from the text alternative"
    assert "Brückenbauerin" not in html, "anonymous visitors see no names"


def test_the_map_page_names_the_connectors_for_professionals(client, make_user, add_member, three_bodies, professional):
    person = make_user(display_name="Brückenbauerin")
    add_member(person, three_bodies[0])
    add_member(person, three_bodies[1])
    client.force_login(professional)

    html = client.get("/netzwerk/netzwerkkarte/").content.decode()

    assert "Brückenbauerin" in html
