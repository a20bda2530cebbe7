"""Querysets compiled to SQL once per database connection and then run with other values.

Building a queryset with subqueries and `select_related` and compiling it to SQL costs Django a few
milliseconds of Python, while the database answers such a query in a tenth of a millisecond. A view
that asks the same query on every request with other ids (the forum's topic page and reply, the
roles of the person) builds it once with stand-in numbers, keeps the SQL, and swaps in the request's
values; the rows become model instances the way Django's own `ModelIterable` makes them (related
objects, annotations), or tuples as `values_list()` gives them.
"""

import copy
import dataclasses
import threading
import weakref
from collections.abc import Callable
from typing import Any

from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable, ValuesListIterable, get_related_populators  # type: ignore[attr-defined]
from django.db.models.sql.compiler import SQLCompiler
from django.db.models.sql.constants import MULTI

# Stand-ins for the values: within the range of a 32-bit integer column, because Django refuses
# lookups with numbers out of a field's range before they reach the SQL.
_FIRST_STAND_IN = 2_000_000_011


@dataclasses.dataclass(frozen=True)
class _Instances:
    """How a row becomes a model instance, as ModelIterable works it out from the compiler."""

    model: type[Model]
    init_list: list[str]
    model_fields: slice
    related_populators: list
    annotation_col_map: dict


@dataclasses.dataclass(frozen=True)
class _Compiled:
    compiler: SQLCompiler
    sql: str
    params: tuple
    slots: tuple[tuple[int, str, type[int]], ...]
    # None for the tuples of values_list().
    instances: _Instances | None = None


class PreparedQuery:
    """`build(**names)` returns the queryset for integer values (ids, numbers) given by name; calling
    the prepared query with those names returns the list of model instances (or of values_list()
    tuples) the queryset would.

    Only what the SQL depends on may vary through the names: anything else `build` reads (the
    clock, the language) is fixed at the first call, so such values belong in the SQL itself
    (`Now()`) or in a name.
    """

    def __init__(self, build: Callable[..., QuerySet], *names: str) -> None:
        self.build = build
        self.names = names
        # One compilation per connection: a compiler belongs to its connection, and each thread has its own.
        self._compiled: weakref.WeakKeyDictionary[Any, _Compiled] = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()

    def _compile(self, queryset: QuerySet, connection: Any, stand_ins: dict[str, int]) -> _Compiled:
        prefetches = queryset._prefetch_related_lookups  # type: ignore[attr-defined]  # not in django-stubs
        if queryset._iterable_class not in (ModelIterable, ValuesListIterable) or prefetches:
            raise TypeError("A prepared query returns model instances or values_list() tuples, without prefetching.")
        compiler = queryset.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        by_value = {value: name for name, value in stand_ins.items()}
        # On PostgreSQL the numbers come wrapped in psycopg's type for the column (Int4 is an int): each
        # slot keeps its wrapper for the values put in its place.
        slots = tuple(
            (index, by_value[value], type(value))
            for index, value in enumerate(params)
            if isinstance(value, int) and not isinstance(value, bool) and value in by_value
        )
        if {name for _index, name, _kind in slots} != set(self.names):
            raise ValueError(f"Not every value of {self.names} reaches the SQL as a parameter.")
        compiled = _Compiled(compiler=compiler, sql=sql, params=tuple(params), slots=slots)
        if queryset._iterable_class is ValuesListIterable:
            return compiled
        klass_info, select = compiler.klass_info, compiler.select
        fields = klass_info["select_fields"]
        model_fields = slice(fields[0], fields[-1] + 1)
        instances = _Instances(
            model=klass_info["model"],
            init_list=[column[0].target.attname for column in select[model_fields]],
            model_fields=model_fields,
            related_populators=get_related_populators(klass_info, select, connection.alias),
            annotation_col_map=compiler.annotation_col_map or {},
        )
        return dataclasses.replace(compiled, instances=instances)

    def _compiled_for(self, connection: Any) -> _Compiled:
        compiled = self._compiled.get(connection)
        if compiled is None:
            stand_ins = {name: _FIRST_STAND_IN + index for index, name in enumerate(self.names)}
            compiled = self._compile(self.build(**stand_ins), connection, stand_ins)
            with self._lock:
                self._compiled[connection] = compiled
        return compiled

    def statement(self, using: str = "default", **values: int) -> tuple[str, list[Any]]:
        """The SQL and its parameters for these values, for a caller that sends it together with other
        statements (one round trip) and hands the rows back to `from_rows`."""
        compiled = self._compiled_for(connections[using])
        params = list(compiled.params)
        for index, name, kind in compiled.slots:
            params[index] = kind(values[name])
        return compiled.sql, params

    def __call__(self, using: str = "default", **values: int) -> list[Any]:
        compiled = self._compiled_for(connections[using])
        sql, params = self.statement(using, **values)
        # A copy per run: execute_sql asks the compiler for its SQL, and this one answers with the kept
        # SQL and this run's values instead of compiling again.
        compiler = copy.copy(compiled.compiler)
        compiler.as_sql = lambda *args, **kwargs: (sql, params)  # type: ignore[method-assign]
        return self._objects(compiled, compiler.execute_sql(MULTI), using)

    def from_rows(self, rows: list[tuple], using: str = "default") -> list[Any]:
        """What calling the query returns, made from the rows of its `statement()` run elsewhere."""
        return self._objects(self._compiled_for(connections[using]), [rows], using)

    @staticmethod
    def _objects(compiled: _Compiled, results: Any, using: str) -> list[Any]:
        instances = compiled.instances
        rows = compiled.compiler.results_iter(results, tuple_expected=instances is None)
        if instances is None:
            return list(rows)
        objects = []
        for row in rows:
            obj = instances.model.from_db(using, instances.init_list, row[instances.model_fields])
            for populator in instances.related_populators:
                populator.populate(row, obj)
            for name, position in instances.annotation_col_map.items():
                setattr(obj, name, row[position])
            objects.append(obj)
        return objects
