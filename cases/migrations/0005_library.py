"""The public case library: a compact ranking vector, a stored year, and the search indexes.

The GIN and covering indexes exist on PostgreSQL only (SQLite has no tsvector and searches with the
fallback in cases.domain.queries.library), so they are created by operations that do nothing
on other databases.
"""

import re

import django.contrib.postgres.search
from django.db import migrations, models

# The rank vector is only read for the hits the search document found: it needs no index.
# The covering partial index lets the unsearched library list and its facet counts read the
# published cases' facet columns from the index alone instead of the wide case rows.
PG_INDEXES = (
    ("case_search_vector_gin", "USING gin (search_vector)"),
    (
        "case_library_cover",
        "(published_at DESC, id DESC) INCLUDE (country, level, outcome, edition_id,"
        " category_id, innovation_stage_id, year) WHERE is_published",
    ),
)


def create_pg_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, definition in PG_INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON cases_case {definition}")


def drop_pg_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _definition in PG_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def fill_years_and_rank_vectors(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    Edition = apps.get_model("cases", "Edition")
    for case in Case.objects.filter(start_date__isnull=False).only("pk", "start_date"):
        Case.objects.filter(pk=case.pk).update(year=case.start_date.year)
    for edition in Edition.objects.all():
        match = re.search(r"(1[89]|20|21)\d\d", edition.year_label or "")
        if match:
            Case.objects.filter(edition=edition).update(year=int(match.group(0)))
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "UPDATE cases_case SET rank_vector ="
            " setweight(to_tsvector('english', coalesce(title, '')), 'A')"
            " || setweight(to_tsvector('english', coalesce(summary, '')), 'B')"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_evaluation"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="rank_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="case",
            name="year",
            field=models.PositiveSmallIntegerField(
                blank=True, editable=False, null=True, verbose_name="year"
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["year"], name="case_year_idx"),
        ),
        migrations.RunPython(create_pg_indexes, drop_pg_indexes, elidable=False),
        migrations.RunPython(fill_years_and_rank_vectors, migrations.RunPython.noop),
    ]
