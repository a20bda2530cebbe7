"""The coordination creates a general board in the Wagtail admin; professionals cannot."""

import pytest

from forum.models import Board
from network.roles import ensure_role_groups


def test_the_coordination_creates_a_general_board_in_the_admin(logged_in, coordinator):
    ensure_role_groups()
    browser = logged_in(coordinator)

    response = browser.post(
        "/admin/forum_boards/new/",
        {
            "name": "Fachaustausch Sprachförderung",
            "slug": "sprachfoerderung",
            "description": "Für alle Fachkräfte.",
            "kind": Board.Kind.GENERAL,
            "sort_order": 50,
        },
    )

    assert response.status_code == 302
    board = Board.objects.get(slug="sprachfoerderung")
    assert board.body is None and not board.is_public
    assert "Fachaustausch Sprachförderung" in browser.get("/forum/").content.decode()


def test_professionals_cannot_open_the_board_admin(client, professional):
    client.force_login(professional)

    response = client.post(
        "/admin/forum_boards/new/",
        {"name": "Eigener Bereich", "slug": "eigener-bereich", "kind": Board.Kind.GENERAL, "sort_order": 1},
    )

    assert response.status_code in (302, 403)
    assert not Board.objects.filter(slug="eigener-bereich").exists()


@pytest.fixture
def administrator(make_user):
    return make_user(display_name="Ada Administration", is_staff=True, is_superuser=True)


@pytest.mark.parametrize("role", ["coordinator", "administrator"])
def test_no_admin_changes_the_kind_or_the_body_of_a_board(role, request, logged_in, make_body):
    ensure_role_groups()
    body, other_body = make_body("FG Schule"), make_body("FG Kita")
    board = body.forum_board
    browser = logged_in(request.getfixturevalue(role))
    forged = {
        "name": "Schule und Jugend",
        "slug": board.slug,
        "description": "",
        "sort_order": 10,
        "kind": Board.Kind.ANNOUNCEMENTS,
        "body": other_body.pk,
    }

    assert browser.post(f"/admin/forum_boards/edit/{board.pk}/", forged).status_code == 302
    assert browser.post(f"/django-admin/forum/board/{board.pk}/change/", forged).status_code == 404

    board.refresh_from_db()
    assert board.name == "Schule und Jugend", "the allowed change went through"
    assert (board.kind, board.body) == (Board.Kind.BODY, body)
    edit_form = browser.get(f"/admin/forum_boards/edit/{board.pk}/").content.decode()
    assert 'name="name"' in edit_form
    assert 'name="kind"' not in edit_form and 'name="body"' not in edit_form


def test_a_new_board_in_the_admin_cannot_be_a_body_board(logged_in, coordinator):
    ensure_role_groups()
    browser = logged_in(coordinator)

    form = browser.get("/admin/forum_boards/new/").content.decode()
    browser.post(
        "/admin/forum_boards/new/", {"name": "Falsch", "slug": "falsch", "kind": Board.Kind.BODY, "sort_order": 1}
    )

    assert 'value="pinboard"' in form and 'value="body"' not in form
    assert not Board.objects.filter(slug="falsch").exists()
