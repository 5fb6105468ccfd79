"""The library's term table (PostgreSQL only): one row per (case, lexeme of its rank vector)
with the ``ts_rank`` a search for that word alone gives the case, so that a one-word search
reads its page of results from an index instead of ranking every hit
(``cases.domain.search``, ``cases.domain.queries.library``).

The rows are filled here from the rank vectors already stored, then indexed (faster than
keeping the indexes while inserting): 22 s for the 3.5 million rows of 100,000 cases. The
table has no visibility map until it is vacuumed (autovacuum does, or ``VACUUM ANALYZE
cases_libraryterm``): until then a search reads 25 rows of the table besides the index. The fill is written out here rather than calling the live refresh, so that a later
change to the table cannot break this migration. The table follows its search row on delete
(ON DELETE CASCADE), like the rank vectors.
"""

import django.db.models.deletion
from django.db import migrations, models

import cases.models.library

CREATE_SQL = """
CREATE TABLE cases_libraryterm (
    case_id bigint NOT NULL,
    search_config varchar(20) NOT NULL,
    lexeme varchar(100) COLLATE "C" NOT NULL,
    score real NOT NULL,
    published_at timestamp with time zone NOT NULL
);
INSERT INTO cases_libraryterm (case_id, search_config, lexeme, score, published_at)
SELECT f.case_id, f.search_config, f.lexeme, f.score, f.published_at FROM (
    SELECT s.case_id, s.search_config, u.lexeme, s.published_at,
        ts_rank(r.rank_vector, ('''' || replace(replace(u.lexeme, '\\', '\\\\'), '''', '''''')
            || '''')::tsquery) AS score
    FROM cases_librarysearch s JOIN cases_libraryrank r ON r.case_id = s.case_id,
        unnest(r.rank_vector) u
    WHERE length(u.lexeme) <= 100
) f WHERE f.score > 0;
ALTER TABLE cases_libraryterm
    ADD CONSTRAINT cases_libraryterm_pkey
        PRIMARY KEY (search_config, lexeme, score, published_at, case_id),
    ADD CONSTRAINT cases_libraryterm_case_id_fk FOREIGN KEY (case_id)
        REFERENCES cases_librarysearch (case_id) ON DELETE CASCADE;
CREATE INDEX library_term_case ON cases_libraryterm (case_id);
ANALYZE cases_libraryterm;
"""


def create_term_table(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_SQL)


def drop_term_table(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TABLE IF EXISTS cases_libraryterm")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0017_figures_with_provenance"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="LibraryTermEntry",
                    fields=[
                        (
                            "pk",
                            models.CompositePrimaryKey(
                                "search_config",
                                "lexeme",
                                "score",
                                "published_at",
                                "entry",
                                blank=True,
                                editable=False,
                                primary_key=True,
                                serialize=False,
                            ),
                        ),
                        ("search_config", models.CharField(max_length=20)),
                        ("lexeme", models.CharField(db_collation="C", max_length=100)),
                        ("score", cases.models.library.RealField()),
                        ("published_at", models.DateTimeField()),
                        (
                            "entry",
                            models.ForeignKey(
                                db_column="case_id",
                                db_constraint=False,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="terms",
                                to="cases.librarysearchentry",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "cases_libraryterm",
                        "required_db_vendor": "postgresql",
                        "indexes": [models.Index(fields=["entry"], name="library_term_case")],
                    },
                ),
            ],
            database_operations=[
                migrations.RunPython(create_term_table, drop_term_table, elidable=False),
            ],
        ),
    ]
