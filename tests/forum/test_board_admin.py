"""The coordination creates a general board in the Wagtail admin; professionals cannot."""

import pytest

from forum.models import Board


@pytest.fixture
def admin_client_for(client, with_totp):
    def login(user):
        with_totp(user)
        client.force_login(user)
        return client

    return login


def test_the_coordination_creates_a_general_board_in_the_admin(admin_client_for, coordinator):
    from network.roles import ensure_role_groups

    ensure_role_groups()
    browser = admin_client_for(coordinator)

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
