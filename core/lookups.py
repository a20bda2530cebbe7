"""Lookups the ORM lacks."""

from collections.abc import Collection
from typing import Any

from django.db.models import Expression, F, Lookup
from django.db.models.lookups import In


class AnyOf(Lookup):
    """`AnyOf(F("board_id"), ids)`: the column holds one of these integer ids, as `board_id__in=ids` does.

    For the long lists a member of many bodies brings (a hundred bodies, boards): on PostgreSQL the ids go as one
    array parameter, `= ANY(%s::bigint[])`, instead of a placeholder each, which Django prepares and psycopg quotes
    one by one, and psycopg parses the statement anew every time (it keeps the parsing only of statements with
    up to 50 parameters). The array has the column's type: psycopg would send small ids as smallint[], whose
    comparison with an integer column PostgreSQL cannot hash, so a filter on the rows compared every row with every
    id. Elsewhere the IN list of `__in`."""

    lookup_name = "any_of"
    # The ids are ints already: no per-id preparation, which is what this lookup saves.
    prepare_rhs = False

    def __init__(self, lhs: F | Expression, rhs: Collection[int]) -> None:
        super().__init__(lhs, [int(value) for value in rhs])

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        return compiler.compile(In(self.lhs, self.rhs))

    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, params = self.process_lhs(compiler, connection)
        # The array's text, cast in the SQL: psycopg dumps a list in Python, element by element.
        array = "{" + ",".join(map(str, self.rhs)) + "}"
        return f"{lhs} = ANY(%s::{self.lhs.output_field.cast_db_type(connection)}[])", [*params, array]
