"""Statements the library runs on every page view, planned once per database connection.

PostgreSQL spends more time planning the case page's one statement (about 3 ms: it joins
many tables and builds a dozen JSON arrays) than executing it (under 1 ms at 100,000
cases). A prepared statement is planned once per connection and then only executed; with
persistent connections (``CONN_MAX_AGE``) that is once per worker process.

Prepared statements belong to a database session. A pooler in transaction mode (PgBouncer's
default) hands a session's statements to other clients: behind one, set
``LIBRARY_PREPARED_STATEMENTS=0`` (``docs/deployment.md``). Other databases run the statement
as it is.
"""

import hashlib
import re
import weakref

from django.conf import settings

# Raw connection -> names prepared on it. Weak keys: a closed and reopened connection is a new
# session with nothing prepared, and it gets a new entry.
_PREPARED: "weakref.WeakKeyDictionary[object, set[str]]" = weakref.WeakKeyDictionary()

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


def execute_prepared(connection, cursor, sql: str, params: list) -> None:
    """Run ``sql`` with ``params`` on ``cursor``, as a prepared statement where possible.

    Preparing and executing go to the server together the first time, so a page's query
    count is the same whether its statement was already prepared or not."""
    if connection.vendor != "postgresql" or not getattr(
        settings, "LIBRARY_PREPARED_STATEMENTS", True
    ):
        cursor.execute(sql, params)
        return
    name = "epsa_" + hashlib.sha1(sql.encode(), usedforsecurity=False).hexdigest()[:20]
    call = f"EXECUTE {name}({', '.join(['%s'] * len(params))})" if params else f"EXECUTE {name}"
    prepared = _PREPARED.setdefault(connection.connection, set())
    if name in prepared:
        cursor.execute(call, params)
        return
    cursor.execute(f"PREPARE {name} AS {_numbered(sql)}; {call}", params)
    # Recorded once the server has accepted it: a prepared statement outlives the transaction
    # it was made in, even one rolled back.
    prepared.add(name)
