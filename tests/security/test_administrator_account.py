"""The coordination manages accounts in the Wagtail admin, but never the administrator's.

Its group may add and change users; without network.wagtail_hooks Wagtail would let it deactivate
the administrator's account or give it roles through the user list's bulk actions. The matrix
(test_url_authorization_matrix.py) covers making an administrator and editing the account.
"""

import pytest
from django.urls import reverse

from network.models import User

pytestmark = pytest.mark.django_db


def bulk(action, *users):
    return (
        reverse("wagtail_bulk_action", args=("network", "user", action)) + "?" + "&".join(f"id={u.pk}" for u in users)
    )


@pytest.fixture
def coordination(browser_for):
    return browser_for("coordinator")


@pytest.fixture
def administrator(world):
    return world.users["staff"]


def test_the_coordination_cannot_deactivate_the_administrator_in_bulk(coordination, administrator, world):
    response = coordination.post(bulk("set_active_state", administrator), {"mark_as_active": "False"})

    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    administrator.refresh_from_db()
    assert administrator.is_active


def test_the_coordination_still_deactivates_other_accounts_in_bulk(coordination, world):
    author = world.author

    response = coordination.post(bulk("set_active_state", author), {"mark_as_active": "False"})

    assert response.status_code == 302
    author.refresh_from_db()
    assert not author.is_active


def test_the_coordination_cannot_delete_the_administrator_alone_or_in_bulk(coordination, administrator, world):
    coordination.post(reverse("wagtailusers_users:delete", args=[administrator.pk]))
    coordination.post(bulk("delete", world.author, administrator))

    assert User.objects.filter(pk=administrator.pk).exists()
    assert not User.objects.filter(pk=world.author.pk).exists()


def test_the_coordination_cannot_give_the_administrator_a_role_in_bulk(coordination, administrator):
    from django.contrib.auth.models import Group

    role = Group.objects.get(name="Redaktion")

    response = coordination.post(bulk("assign_role", administrator), {"role": role.pk})

    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    assert not administrator.groups.filter(pk=role.pk).exists()


@pytest.mark.parametrize("view", ["add", "edit"])
def test_only_the_administrator_is_offered_the_administrator_checkbox(browser_for, world, view):
    args = [] if view == "add" else [world.author.pk]
    url = reverse(f"wagtailusers_users:{view}", args=args)

    offered = {
        role: 'name="is_superuser"' in browser_for(role).get(url).content.decode() for role in ("coordinator", "staff")
    }

    assert offered == {"coordinator": False, "staff": True}
