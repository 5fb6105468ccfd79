"""Derived tables of the public library, written only by ``cases.domain.derived``.

``LibrarySearchEntry`` is the narrow search table: one row per published case with its search
document (stored out of line; only its GIN index is read) and the facet values (tags as arrays of
vocabulary ids), a few hundred bytes a row, so that counting the hits of a common term reads a
few megabytes, never the wide case rows. ``LibraryRankEntry`` holds the compact rank vector of
each (title and summary), inside its row, read only to rank the hits. ``LibraryTermEntry`` holds
one row per lexeme of each rank vector with the rank a search for that word alone gives the case,
indexed in rank order, so that a one-word search reads its page from the index. They use
PostgreSQL types (tsvector, arrays) and exist on PostgreSQL only: migrations
``0010_library_search_table`` and ``0018_library_terms`` create them there; SQLite searches the
live text instead.

``LibraryFigure`` holds the counts of the unfiltered library (the facet panel of the landing page
and the statistics page), recomputed when the library changes, so no request counts 100,000
cases to show them. It exists on every database.
"""

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.search import SearchVectorField
from django.db import models


class LibrarySearchEntry(models.Model):
    case = models.OneToOneField(
        "cases.Case",
        on_delete=models.DO_NOTHING,  # ON DELETE CASCADE in the database (PostgreSQL only)
        primary_key=True,
        related_name="search_entry",
        db_constraint=False,
    )
    language = models.CharField(max_length=8)
    search_config = models.CharField(max_length=20)
    search_vector = SearchVectorField()
    published_at = models.DateTimeField()
    year = models.SmallIntegerField(null=True)
    country = models.CharField(max_length=2)
    level = models.CharField(max_length=20)
    outcome = models.CharField(max_length=30)
    provenance = models.CharField(max_length=20, default="")
    # The default order of the unsearched library: 0 real cases with their text, 1 real cases
    # known by their facts only, 2 synthetic demo cases (``cases.domain.search``).
    real_order = models.SmallIntegerField(default=0)
    edition_id = models.BigIntegerField(null=True)
    category_id = models.BigIntegerField(null=True)
    innovation_stage_id = models.BigIntegerField(null=True)
    collaboration = ArrayField(models.BigIntegerField())
    phase = ArrayField(models.BigIntegerField())
    coproduction_level = ArrayField(models.BigIntegerField())
    sector = ArrayField(models.BigIntegerField())
    strong_factor = ArrayField(models.BigIntegerField())
    # Every tag above in one array, offset by facet (cases.domain.search.TAG_FACETS).
    tag_keys = ArrayField(models.BigIntegerField())

    class Meta:
        # Managed, so that Django empties it with the case table (flush), but PostgreSQL only
        # (Django skips it elsewhere; the migration creates it with its own DDL).
        db_table = "cases_librarysearch"
        required_db_vendor = "postgresql"
        indexes = [
            models.Index(
                fields=["real_order", "-published_at", "-case"], name="library_search_real_first"
            )
        ]

    def __str__(self):
        return f"search entry of case {self.case_id}"


class LibraryRankEntry(models.Model):
    entry = models.OneToOneField(
        LibrarySearchEntry,
        on_delete=models.DO_NOTHING,  # ON DELETE CASCADE in the database
        primary_key=True,
        related_name="rank",
        db_column="case_id",
        db_constraint=False,
    )
    rank_vector = SearchVectorField()

    class Meta:
        db_table = "cases_libraryrank"
        required_db_vendor = "postgresql"

    def __str__(self):
        return f"rank vector of case {self.entry_id}"


# Longer lexemes get no row in the term table (a search for such a word ranks its hits as any
# other search does): no one types a word that long, and a search is at most 200 characters.
TERM_MAX_LENGTH = 100


class RealField(models.FloatField):
    """A single-precision float (PostgreSQL ``real``): what ``ts_rank`` returns."""

    def db_type(self, connection):
        return "real"


class LibraryTermEntry(models.Model):
    """One lexeme of a case's rank vector and ``score``, the ``ts_rank`` of that vector for the
    lexeme alone: the rank a one-word search gives the case (``cases.domain.search``).

    The primary key is the order a one-word search ranks its hits in (scanned backward:
    score, publication and case descending) and holds every column, so a page is read from the
    index alone; ``library_term_case`` finds a case's rows when it changes."""

    pk = models.CompositePrimaryKey("search_config", "lexeme", "score", "published_at", "entry")
    entry = models.ForeignKey(
        LibrarySearchEntry,
        on_delete=models.DO_NOTHING,  # ON DELETE CASCADE in the database
        related_name="terms",
        db_column="case_id",
        db_constraint=False,
    )
    search_config = models.CharField(max_length=20)
    lexeme = models.CharField(max_length=TERM_MAX_LENGTH, db_collation="C")
    score = RealField()
    published_at = models.DateTimeField()

    class Meta:
        db_table = "cases_libraryterm"
        required_db_vendor = "postgresql"
        indexes = [models.Index(fields=["entry"], name="library_term_case")]

    def __str__(self):
        return f"{self.lexeme} in case {self.entry_id}"


class LibraryFigure(models.Model):
    """One count of the unfiltered library: ``kind`` names the figure, ``key``/``key2`` what
    is counted (a vocabulary id, a country code ...), ``n`` the cases, ``n2`` and ``amount``
    a second count and a sum where the figure needs them (factor coverage)."""

    kind = models.CharField(max_length=40)
    key = models.CharField(max_length=40, blank=True)
    key2 = models.CharField(max_length=40, blank=True)
    n = models.IntegerField(default=0)
    n2 = models.IntegerField(default=0)
    amount = models.DecimalField(max_digits=14, decimal_places=2, default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "key", "key2"], name="library_figure_unique")
        ]

    def __str__(self):
        return f"{self.kind} {self.key} {self.key2}: {self.n}"
