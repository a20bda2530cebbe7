"""Who sees whom: member lists of bodies, people of organisations and person pages, role by role."""

import pytest
from django.test import Client

from network.models import Membership

LISTED_PERSON = "Linda Listenperson"
VIEWERS = ["anonymous", "pending", "professional", "member", "other_moderator", "moderator", "coordinator"]

# Who may read the member list of a body (network.access.can_see_body_internals), per visibility.
SEES_MEMBERS = {
    "open": {"professional", "member", "other_moderator", "moderator", "coordinator"},
    "members_only": {"member", "moderator", "coordinator"},
}
SEES_PEOPLE = {"professional", "member", "other_moderator", "moderator", "coordinator"}


@pytest.fixture(params=["open", "members_only"])
def scene(request, make_user, make_body, make_organisation, add_member, pending_user, professional, coordinator):
    """One body with a listed member, and one person per role looking at it."""
    visibility = request.param
    organisation = make_organisation("Familienzentrum Teltow", slug="familienzentrum")
    body = make_body("FG Prävention", slug="fg-praevention", members_only=visibility == "members_only")
    listed = make_user("linda@example.org", display_name=LISTED_PERSON, organisation=organisation)
    add_member(listed, body)
    member = make_user("mitglied@example.org", display_name="Max Mitglied")
    add_member(member, body)
    moderator = make_user("moderation@example.org", display_name="Mona Moderation")
    add_member(moderator, body, Membership.Role.MODERATOR)
    other_moderator = make_user("andere@example.org", display_name="Olaf Anderswo")
    add_member(other_moderator, make_body("FG Schule", slug="fg-schule"), Membership.Role.MODERATOR)
    return {
        "visibility": visibility,
        "body": body,
        "organisation": organisation,
        "listed": listed,
        "viewers": {
            "anonymous": None,
            "pending": pending_user,
            "professional": professional,
            "member": member,
            "other_moderator": other_moderator,
            "moderator": moderator,
            "coordinator": coordinator,
        },
    }


def browser_of(scene, viewer, logged_in):
    user = scene["viewers"][viewer]
    return Client() if user is None else logged_in(user)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_body_member_list_is_shown_only_to_those_allowed(scene, logged_in, viewer):
    response = browser_of(scene, viewer, logged_in).get(f"/netzwerk/gremien/{scene['body'].slug}/")

    assert response.status_code == 200
    html = response.content.decode()
    assert scene["body"].name in html, "the body itself is public"
    assert (LISTED_PERSON in html) is (viewer in SEES_MEMBERS[scene["visibility"]])


@pytest.mark.parametrize("viewer", VIEWERS)
def test_organisation_page_lists_its_people_only_to_professionals(scene, logged_in, viewer):
    response = browser_of(scene, viewer, logged_in).get(f"/netzwerk/organisationen/{scene['organisation'].slug}/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Familienzentrum Teltow" in html, "the organisation itself is public"
    assert (LISTED_PERSON in html) is (viewer in SEES_PEOPLE)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_person_pages_are_only_for_professionals(scene, logged_in, viewer):
    response = browser_of(scene, viewer, logged_in).get(f"/netzwerk/personen/{scene['listed'].pk}/")

    if viewer in SEES_PEOPLE:
        assert response.status_code == 200
        assert LISTED_PERSON in response.content.decode()
    else:
        assert response.status_code in (302, 403)
        assert LISTED_PERSON not in response.content.decode()


@pytest.mark.parametrize("viewer", ["professional", "other_moderator", "member", "coordinator"])
def test_a_person_page_shows_memberships_only_where_the_viewer_may_see_the_member_list(scene, logged_in, viewer):
    """Otherwise walking through person pages would rebuild the member list of a closed body."""
    response = browser_of(scene, viewer, logged_in).get(f"/netzwerk/personen/{scene['listed'].pk}/")

    html = response.content.decode()
    assert (scene["body"].name in html) is (viewer in SEES_MEMBERS[scene["visibility"]])


def test_organisation_page_leaves_out_people_not_yet_approved(logged_in, professional, make_user, make_organisation):
    organisation = make_organisation("Kita Sonnenschein", slug="kita-sonnenschein")
    make_user(display_name="Amelie Freigegeben", organisation=organisation)
    make_user(display_name="Paul Wartend", organisation=organisation, approved=False)
    make_user(display_name="Ina Inaktiv", organisation=organisation, is_active=False)

    html = logged_in(professional).get("/netzwerk/organisationen/kita-sonnenschein/").content.decode()

    assert "Amelie Freigegeben" in html
    assert "Paul Wartend" not in html
    assert "Ina Inaktiv" not in html


def test_deactivated_members_are_not_listed(logged_in, professional, make_user, make_body, add_member):
    body = make_body("FG Kita", slug="fg-kita")
    add_member(make_user(display_name="Aktive Person"), body)
    add_member(make_user(display_name="Ehemalige Person", is_active=False), body)

    html = logged_in(professional).get("/netzwerk/gremien/fg-kita/").content.decode()

    assert "Aktive Person" in html
    assert "Ehemalige Person" not in html


@pytest.mark.parametrize("viewer", ["pending", "professional", "member", "other_moderator"])
def test_managing_a_body_is_forbidden_to_everyone_but_its_moderation(scene, logged_in, viewer):
    response = browser_of(scene, viewer, logged_in).get(f"/netzwerk/gremien/{scene['body'].slug}/verwalten/")

    assert response.status_code == 403
    assert LISTED_PERSON not in response.content.decode()


@pytest.mark.parametrize("viewer", ["moderator", "coordinator"])
def test_the_moderation_and_coordination_manage_the_body_with_its_member_list(scene, logged_in, viewer):
    response = browser_of(scene, viewer, logged_in).get(f"/netzwerk/gremien/{scene['body'].slug}/verwalten/")

    assert response.status_code == 200
    assert LISTED_PERSON in response.content.decode()


def test_anonymous_visitors_are_sent_to_log_in_for_managing(scene):
    response = Client().get(f"/netzwerk/gremien/{scene['body'].slug}/verwalten/")

    assert response.status_code == 302
    assert response["Location"].startswith("/konto/login/")
