"""Statements the library runs on every page view, planned once per database connection.

PostgreSQL spends more time planning the library's statements than executing them: the case
page's one statement took about 3 ms to plan and under 1 ms to run at 100,000 cases, and a
list page's query (the case table has 19 indexes to consider) 3.5 ms to plan and 1.6 ms to
run. A prepared statement is planned once per connection and then only executed; with
persistent connections (``CONN_MAX_AGE``) that is once per worker process.

Prepared statements belong to a database session. A pooler in transaction mode (PgBouncer's
default) hands a session's statements to other clients: behind one, set
``LIBRARY_PREPARED_STATEMENTS=0`` (``docs/deployment.md``). Other databases run the statements
as they are.
"""

import hashlib
import re
import weakref

from django.conf import settings

# Raw connection -> names prepared on it. Weak keys: a closed and reopened connection is a new
# session with nothing prepared, and it gets a new entry.
_PREPARED: "weakref.WeakKeyDictionary[object, set[str]]" = weakref.WeakKeyDictionary()
# Each combination of filters is a statement of its own; past this many on one connection, the
# session forgets them all and starts again, so that a crawler's combinations cannot grow it.
MAX_PREPARED = 200

_PLACEHOLDER = re.compile(r"%s|%%")


def _numbered(sql: str) -> str:
    """``%s`` placeholders as ``$1``, ``$2``…; ``%%`` kept for the driver's interpolation."""
    counter = 0

    def replace(match):
        nonlocal counter
        if match.group() == "%%":
            return "%%"
        counter += 1
        return f"${counter}"

    return _PLACEHOLDER.sub(replace, sql)


def _enabled(connection) -> bool:
    return connection.vendor == "postgresql" and getattr(
        settings, "LIBRARY_PREPARED_STATEMENTS", True
    )


def _as_prepared(connection, sql: str, params) -> tuple[str, str | None]:
    """The statement to send instead of ``sql`` (same parameters, same result), and the name
    to record as prepared once the server has accepted it (None if it already is).

    Preparing and executing go to the server together the first time, so a page's query
    count is the same whether its statement was already prepared or not."""
    count = len(params or ())
    name = "epsa_" + hashlib.sha1(sql.encode(), usedforsecurity=False).hexdigest()[:20]
    call = f"EXECUTE {name}({', '.join(['%s'] * count)})" if count else f"EXECUTE {name}"
    prepared = _PREPARED.setdefault(connection.connection, set())
    if name in prepared:
        return call, None
    reset = ""
    if len(prepared) >= MAX_PREPARED:
        prepared.clear()
        reset = "DEALLOCATE ALL; "
    return f"{reset}PREPARE {name} AS {_numbered(sql)}; {call}", name


def _record(connection, name: str | None) -> None:
    # A prepared statement outlives the transaction it was made in, even one rolled back.
    if name is not None:
        _PREPARED.setdefault(connection.connection, set()).add(name)


def execute_prepared(
    connection, cursor, sql: str, params: list, *, local_settings: str = "", generic: bool = False
) -> None:
    """Run ``sql`` with ``params`` on ``cursor``, as a prepared statement where possible.

    ``local_settings``: ``SET LOCAL`` statements that hold for this statement alone (its
    implicit transaction). ``generic``: plan it once for any parameters. PostgreSQL plans a
    prepared statement for its parameters at each of its first five runs, and keeps a generic
    plan only if it looks no more costly; for a statement whose plan is the same whatever its
    values, saying so saves the planning of every run."""
    if not _enabled(connection):
        cursor.execute(local_settings + sql, params)
        return
    if generic:
        local_settings += "SET LOCAL plan_cache_mode = force_generic_plan; "
    statement, name = _as_prepared(connection, sql, params)
    cursor.execute(local_settings + statement, params)
    _record(connection, name)
