"""Library reads on a streaming replica: the database router and the scope it obeys.

With ``DATABASE_REPLICA_URL`` set, ``settings.LIBRARY_READ_DATABASE`` names the replica's alias.
The public library's views run inside ``library_reads()`` (``reading_the_library`` on each view),
and while it lasts every ORM read goes to that alias, as do the library's own SQL statements
(``library_connection()``). Everything else (applications, evaluation, coordination, the admin,
and every write) stays on the primary, so nobody reads a replica's slightly older copy right
after writing.
"""

import contextlib
import functools
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import StreamingHttpResponse

_reading_library: ContextVar[bool] = ContextVar("reading_library", default=False)


def library_db() -> str:
    """The alias the library reads from right now."""
    if _reading_library.get():
        return getattr(settings, "LIBRARY_READ_DATABASE", DEFAULT_DB_ALIAS)
    return DEFAULT_DB_ALIAS


def library_connection():
    return connections[library_db()]


@contextlib.contextmanager
def library_reads():
    token = _reading_library.set(True)
    try:
        yield
    finally:
        _reading_library.reset(token)


def _streamed_in_scope(content):
    with library_reads():
        yield from content


def reading_the_library(view):
    """Run ``view`` (and the body it streams, if any) with library reads on the replica."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        with library_reads():
            response = view(request, *args, **kwargs)
        if isinstance(response, StreamingHttpResponse):
            response.streaming_content = _streamed_in_scope(response.streaming_content)
        return response

    return wrapped


# Models of the cases app the library never reads for the visitor's own account: a session or a
# signed-in user read from a replica could lag behind the log-in that just wrote them; an export
# the visitor has just asked for, behind the request that created it.
_PRIMARY_ONLY = {"user", "organisationmembership", "libraryexport"}


class LibraryReplicaRouter:
    """Sends the library's reads made inside ``library_reads()`` to ``LIBRARY_READ_DATABASE``."""

    def db_for_read(self, model, **hints):
        alias = library_db()
        if alias == DEFAULT_DB_ALIAS:
            return None
        meta = model._meta
        if meta.app_label == "cases" and meta.model_name not in _PRIMARY_ONLY:
            return alias
        return None

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # A replica follows the primary's schema through replication; migrate the primary only.
        return db == DEFAULT_DB_ALIAS or db not in getattr(settings, "READ_REPLICAS", ())
