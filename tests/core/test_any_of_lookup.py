"""core.lookups.AnyOf finds the rows `__in` finds: one array parameter on PostgreSQL, an IN list elsewhere."""

import random

import pytest
from django.db import connection
from django.db.models import F, Q
from django.test.utils import CaptureQueriesContext

from core.lookups import AnyOf
from network.models import NetworkBody

pytestmark = pytest.mark.both_databases


def test_any_of_finds_the_same_rows_as_in_for_many_ids_none_and_ids_that_do_not_exist(make_body):
    rng = random.Random(16)
    bodies = [make_body(f"Gremium {index}") for index in range(120)]
    ids = [body.pk for body in bodies]
    for chosen in (rng.sample(ids, 100), rng.sample(ids, 1), [], [max(ids) + 1, *rng.sample(ids, 3)]):
        found = set(NetworkBody.objects.filter(AnyOf(F("pk"), chosen)).values_list("name", flat=True))
        assert found == set(NetworkBody.objects.filter(pk__in=chosen).values_list("name", flat=True))
        assert found == {body.name for body in bodies if body.pk in chosen}


def test_any_of_keeps_its_meaning_inside_an_or_and_across_a_join(make_body, make_user, add_member):
    person = make_user()
    member_of, other = make_body("Kita-Runde"), make_body("Seniorenbeirat")
    add_member(person, member_of)
    either = NetworkBody.objects.filter(Q(name="Seniorenbeirat") | Q(AnyOf(F("pk"), [member_of.pk])))
    assert set(either.values_list("name", flat=True)) == {"Kita-Runde", "Seniorenbeirat"}
    by_membership = NetworkBody.objects.filter(AnyOf(F("memberships__user_id"), [person.pk]))
    assert list(by_membership.values_list("name", flat=True)) == ["Kita-Runde"]
    assert other not in by_membership


def test_on_postgresql_the_ids_are_one_parameter_of_the_columns_type(make_body):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no arrays: AnyOf writes the IN list of __in there")
    ids = [make_body(f"Arbeitsgruppe {index}").pk for index in range(60)]
    with CaptureQueriesContext(connection) as queries:
        assert len(NetworkBody.objects.filter(AnyOf(F("pk"), ids))) == 60
    sql = queries.captured_queries[0]["sql"]
    assert "::bigint[]" in sql and " IN (" not in sql
