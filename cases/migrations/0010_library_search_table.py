"""The library at 100,000 cases: the narrow search table, the figures table, the case language.

- ``Case.language`` (existing cases are English).
- ``cases_librarysearch`` (PostgreSQL only): one row per published case with its search document
  and its facet values; indexed by (search configuration, document) with GIN through
  ``btree_gin``. ``cases_libraryrank``: its compact rank vector, stored inside the row (STORAGE
  MAIN), apart so that counting hits reads narrow rows. The search vectors leave the
  case rows. The table follows its case on delete (ON DELETE CASCADE), and is filled here from
  the published cases.
- ``LibraryFigure``: the counts of the unfiltered library, filled by the first reader.
"""

import django.contrib.postgres.fields
import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

CREATE_SQL = """
CREATE EXTENSION IF NOT EXISTS btree_gin;
CREATE TABLE cases_librarysearch (
    case_id bigint PRIMARY KEY REFERENCES cases_case (id) ON DELETE CASCADE,
    language varchar(8) NOT NULL,
    search_config varchar(20) NOT NULL,
    search_vector tsvector NOT NULL,
    published_at timestamp with time zone NOT NULL,
    year smallint NULL,
    country varchar(2) NOT NULL,
    level varchar(20) NOT NULL,
    outcome varchar(30) NOT NULL,
    edition_id bigint NULL,
    category_id bigint NULL,
    innovation_stage_id bigint NULL,
    collaboration bigint[] NOT NULL,
    phase bigint[] NOT NULL,
    coproduction_level bigint[] NOT NULL,
    sector bigint[] NOT NULL,
    strong_factor bigint[] NOT NULL,
    tag_keys bigint[] NOT NULL
);
CREATE TABLE cases_libraryrank (
    case_id bigint PRIMARY KEY REFERENCES cases_librarysearch (case_id) ON DELETE CASCADE,
    rank_vector tsvector NOT NULL
);
ALTER TABLE cases_libraryrank ALTER COLUMN rank_vector SET STORAGE MAIN;
CREATE INDEX library_search_document ON cases_librarysearch
    USING gin (search_config, search_vector);
CREATE INDEX library_search_newest ON cases_librarysearch (published_at DESC, case_id DESC);
"""


def create_search_table(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(CREATE_SQL)
    Case = apps.get_model("cases", "Case")
    if Case.objects.filter(is_published=True).exists():
        # The live refresh builds the rows (it is the one definition of their content); a new
        # database has no published case yet and skips it.
        from cases.domain.search import update_search_vectors

        update_search_vectors(None)


def drop_search_table(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TABLE IF EXISTS cases_librarysearch")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0013_b_operations_text_limits"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="language",
            field=models.CharField(
                choices=[
                    ("en", "English"),
                    ("fr", "French"),
                    ("de", "German"),
                    ("es", "Spanish"),
                    ("it", "Italian"),
                    ("nl", "Dutch"),
                    ("pt", "Portuguese"),
                    ("pl", "Polish"),
                    ("el", "Greek"),
                    ("cs", "Czech"),
                    ("sv", "Swedish"),
                    ("da", "Danish"),
                    ("fi", "Finnish"),
                    ("hu", "Hungarian"),
                    ("ro", "Romanian"),
                    ("bg", "Bulgarian"),
                    ("hr", "Croatian"),
                    ("sk", "Slovak"),
                    ("sl", "Slovenian"),
                    ("lt", "Lithuanian"),
                    ("lv", "Latvian"),
                    ("et", "Estonian"),
                    ("ga", "Irish"),
                    ("mt", "Maltese"),
                    ("other", "Other language"),
                ],
                default="en",
                help_text="The language the title, summary and description are written in.",
                max_length=8,
                verbose_name="language of the case",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["language"], name="case_language_idx"),
        ),
        migrations.RemoveField(model_name="case", name="rank_vector"),
        migrations.RemoveField(model_name="case", name="search_vector"),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="LibrarySearchEntry",
                    fields=[
                        (
                            "case",
                            models.OneToOneField(
                                db_constraint=False,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                primary_key=True,
                                related_name="search_entry",
                                serialize=False,
                                to="cases.case",
                            ),
                        ),
                        ("language", models.CharField(max_length=8)),
                        ("search_config", models.CharField(max_length=20)),
                        ("search_vector", django.contrib.postgres.search.SearchVectorField()),
                        ("published_at", models.DateTimeField()),
                        ("year", models.SmallIntegerField(null=True)),
                        ("country", models.CharField(max_length=2)),
                        ("level", models.CharField(max_length=20)),
                        ("outcome", models.CharField(max_length=30)),
                        ("edition_id", models.BigIntegerField(null=True)),
                        ("category_id", models.BigIntegerField(null=True)),
                        ("innovation_stage_id", models.BigIntegerField(null=True)),
                        (
                            "collaboration",
                            django.contrib.postgres.fields.ArrayField(
                                base_field=models.BigIntegerField(), size=None
                            ),
                        ),
                        (
                            "phase",
                            django.contrib.postgres.fields.ArrayField(
                                base_field=models.BigIntegerField(), size=None
                            ),
                        ),
                        (
                            "coproduction_level",
                            django.contrib.postgres.fields.ArrayField(
                                base_field=models.BigIntegerField(), size=None
                            ),
                        ),
                        (
                            "sector",
                            django.contrib.postgres.fields.ArrayField(
                                base_field=models.BigIntegerField(), size=None
                            ),
                        ),
                        (
                            "strong_factor",
                            django.contrib.postgres.fields.ArrayField(
                                base_field=models.BigIntegerField(), size=None
                            ),
                        ),
                        (
                            "tag_keys",
                            django.contrib.postgres.fields.ArrayField(
                                base_field=models.BigIntegerField(), size=None
                            ),
                        ),
                    ],
                    options={
                        "db_table": "cases_librarysearch",
                        "required_db_vendor": "postgresql",
                    },
                ),
            ],
            database_operations=[
                migrations.RunPython(create_search_table, drop_search_table, elidable=False),
            ],
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="LibraryRankEntry",
                    fields=[
                        (
                            "entry",
                            models.OneToOneField(
                                db_column="case_id",
                                db_constraint=False,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                primary_key=True,
                                related_name="rank",
                                serialize=False,
                                to="cases.librarysearchentry",
                            ),
                        ),
                        ("rank_vector", django.contrib.postgres.search.SearchVectorField()),
                    ],
                    options={
                        "db_table": "cases_libraryrank",
                        "required_db_vendor": "postgresql",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.CreateModel(
            name="LibraryFigure",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("kind", models.CharField(max_length=40)),
                ("key", models.CharField(blank=True, max_length=40)),
                ("key2", models.CharField(blank=True, max_length=40)),
                ("n", models.IntegerField(default=0)),
                ("n2", models.IntegerField(default=0)),
                ("amount", models.DecimalField(decimal_places=2, default=0, max_digits=14)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("kind", "key", "key2"), name="library_figure_unique"
                    )
                ],
            },
        ),
    ]
