"""Join requests, invitations, addresses and subscriptions come from the people themselves: in the
Wagtail admin the coordination changes their status, and is offered no way to add or copy one."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

STATUS_ONLY = ["joinrequest", "invitation", "subscriber", "subscription"]


@pytest.mark.parametrize("namespace", STATUS_ONLY)
def test_the_coordination_sees_the_list_without_an_add_button(browser_for, namespace):
    coordination = browser_for("coordinator")

    page = coordination.get(reverse(f"{namespace}:index"))

    assert page.status_code == 200
    assert reverse(f"{namespace}:add") not in page.content.decode()
    refused = coordination.get(reverse(f"{namespace}:add"))
    assert refused.status_code == 302 and refused["Location"] == reverse("wagtailadmin_home")


def test_the_coordination_still_changes_an_address_status(browser_for, world):
    coordination = browser_for("coordinator")
    subscriber = world.subscriber

    response = coordination.post(reverse("subscriber:edit", args=[subscriber.pk]), {"status": "bounced"})

    assert response.status_code == 302
    subscriber.refresh_from_db()
    assert subscriber.status == "bounced"
