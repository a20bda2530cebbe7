"""What SQLite cannot vouch for: the migrations, page tree, search and partial unique constraints on PostgreSQL."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from wagtail.models import Page

from cms.models import HomePage, NetworkBodyPage, NetworkIndexPage
from network import services
from network.models import Invitation, JoinRequest

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def network_index():
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Sozialraum Teltow", slug="start"))
    return home.add_child(instance=NetworkIndexPage(title="Netzwerk", slug="netzwerk"))


def test_the_tests_really_run_on_postgresql():
    assert connection.vendor == "postgresql"


def test_every_migration_is_applied_and_none_is_missing():
    executor = MigrationExecutor(connection)
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []


def test_a_new_body_gets_a_published_page_that_the_search_finds(network_index, make_body):
    body = make_body("Fokusgruppe Kinderarmut", purpose="Frühe Hilfen im Quartier")

    page = NetworkBodyPage.objects.get(body=body)
    assert page.live
    assert page.get_parent().specific == network_index
    assert list(NetworkBodyPage.objects.live().search("Kinderarmut")) == [page]


def test_a_second_join_request_for_a_closed_body_is_refused(make_user, make_body):
    person = make_user()
    body = make_body(members_only=True)
    services.request_to_join(person, body, "Ich arbeite in der Kita am Markt.")

    with pytest.raises(ValidationError):
        services.request_to_join(person, body, "Noch einmal")

    assert JoinRequest.objects.filter(user=person, body=body).count() == 1


def test_a_decided_join_request_does_not_block_a_new_one(make_user, make_body, coordinator):
    person = make_user()
    body = make_body(members_only=True)
    first = services.request_to_join(person, body)
    services.decide_join_request(coordinator, first, accept=False)

    second = services.request_to_join(person, body)

    assert second.pk != first.pk


def test_an_address_is_invited_to_a_body_only_once_whatever_its_case(coordinator, make_body):
    body = make_body()
    services.invite(coordinator, body, "Neue.Kollegin@Example.org")

    with pytest.raises(ValidationError):
        services.invite(coordinator, body, "neue.kollegin@example.org")

    assert Invitation.objects.filter(body=body).count() == 1


def test_the_same_address_may_be_invited_to_another_body(coordinator, make_body):
    services.invite(coordinator, make_body(), "neue.kollegin@example.org")

    services.invite(coordinator, make_body(), "NEUE.KOLLEGIN@example.org")

    assert Invitation.objects.count() == 2


def test_roles_load_in_one_query_on_postgresql(coordinator, make_body, add_member, django_assert_num_queries):
    from network import access
    from network.models import Membership, User

    body = make_body()
    add_member(coordinator, body, Membership.Role.MODERATOR)
    fresh = User.objects.get(pk=coordinator.pk)

    with django_assert_num_queries(1):
        assert access.is_coordinator(fresh)
        assert access.is_body_moderator(fresh, body)
        assert access.is_member(fresh, body)
