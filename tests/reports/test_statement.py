"""Compiled queries: on PostgreSQL prepared in their first run on a connection, then executed by name."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports import statement
from reports.models import public_state


def test_a_value_used_in_several_places_is_one_parameter_of_the_prepared_statement():
    compiled = statement.Compiled(
        sql="SELECT a FROM t WHERE b <= %s AND c = %s AND d LIKE 'x%%' AND e <= %s",
        slots=["now", None, "now"],
        constants=[None, 7, None],
        names=["a"],
        compiler=None,
        converters={},
    )

    assert compiled.prepare("p").endswith(
        "PREPARE p AS SELECT a FROM t WHERE b <= $1 AND c = $2 AND d LIKE 'x%%' AND e <= $1; "
    )
    assert compiled.execute("p") == "EXECUTE p(%s, %s)"
    assert compiled.prepared_arguments({"now": "T"}) == ["T", 7]
    assert compiled.arguments({"now": "T"}) == ["T", 7, "T"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite's driver keeps prepared statements itself")
def test_a_compiled_query_is_prepared_once_then_executed_by_name_with_one_plan(db):
    expected = public_state()
    # As on a connection that has prepared nothing, or whose first run failed after
    # preparing: the statement is prepared again under a name of its own.
    statement._prepared[connection.connection].clear()

    with CaptureQueriesContext(connection) as queries:
        runs = [public_state() for _ in range(7)]

    assert runs == [expected] * 7
    assert [query["sql"].split(" ", 1)[0] for query in queries] == ["SET"] + ["EXECUTE"] * 6
    assert "PREPARE" in queries[0]["sql"]
    (name,) = statement._prepared[connection.connection].values()
    with connection.cursor() as cursor:
        cursor.execute("SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE name = %s", [name])
        generic, custom = cursor.fetchone()
    assert (generic, custom) == (7, 0)  # planned once, not again for each run's values
