"""The library's export formats, written once: each format's content type, file name and
writer, used alike by the downloads that stream within a request (``cases.library.export_views``)
and by the exports prepared in the task queue (``cases.domain.library_exports``), so a prepared
file holds the same bytes as the streamed one.

The writers are those of the exporters: ``csv_rows`` (on PostgreSQL the SQL line writer of
``cases.interfaces.csv_sql``), ``json_chunks``, and the citation chunk writers, which cite at
most ``CITATION_EXPORT_LIMIT`` cases.
"""

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.http import QueryDict

from cases.domain.queries.library import LibraryCriteria, library_cases, ordered
from cases.interfaces.citations import (
    CITATION_EXPORT_LIMIT,
    bibtex_chunks,
    csl_json_chunks,
    from_record,
    ris_chunks,
)
from cases.interfaces.exporters import csv_rows, export_records, json_chunks
from cases.interfaces.filters import LibraryFilterSet
from cases.models import ExportFormat


def _cases(criteria: LibraryCriteria):
    return ordered(library_cases(criteria), criteria)


def _citables(criteria: LibraryCriteria, base_url: str, limit: int):
    queryset = _cases(criteria)[:limit]
    return (from_record(record) for record in export_records(queryset, base_url))


@dataclass(frozen=True)
class Writer:
    format: str
    content_type: str
    extension: str
    write: Callable[[LibraryCriteria, str, int | None], Iterator[str]]
    # Citation formats cite the first cases only: this many, unless a caller says otherwise.
    limit: int | None = None

    def rows(self, total: int, limit: int | None = None) -> int:
        """How many cases an export of a set of ``total`` cases holds."""
        limit = limit or self.limit
        return total if limit is None else min(total, limit)

    def chunks(
        self, criteria: LibraryCriteria, base_url: str, limit: int | None = None
    ) -> Iterator[str]:
        return self.write(criteria, base_url, limit or self.limit)

    def file_name(self, day: datetime.date) -> str:
        return f"epsa-library-{day:%Y-%m-%d}.{self.extension}"


WRITERS = {
    writer.format: writer
    for writer in (
        Writer(
            ExportFormat.CSV,
            "text/csv; charset=utf-8",
            "csv",
            lambda criteria, base_url, _limit: csv_rows(_cases(criteria), base_url),
        ),
        Writer(
            ExportFormat.JSON,
            "application/json; charset=utf-8",
            "json",
            lambda criteria, base_url, _limit: json_chunks(
                _cases(criteria), base_url, query=criteria.as_params()
            ),
        ),
        Writer(
            ExportFormat.BIBTEX,
            "application/x-bibtex; charset=utf-8",
            "bib",
            lambda criteria, base_url, limit: bibtex_chunks(_citables(criteria, base_url, limit)),
            CITATION_EXPORT_LIMIT,
        ),
        Writer(
            ExportFormat.RIS,
            "application/x-research-info-systems; charset=utf-8",
            "ris",
            lambda criteria, base_url, limit: ris_chunks(_citables(criteria, base_url, limit)),
            CITATION_EXPORT_LIMIT,
        ),
        Writer(
            ExportFormat.CSL_JSON,
            "application/vnd.citationstyles.csl+json; charset=utf-8",
            "json",
            lambda criteria, base_url, limit: csl_json_chunks(_citables(criteria, base_url, limit)),
            CITATION_EXPORT_LIMIT,
        ),
    )
}


def criteria_of(params) -> LibraryCriteria:
    """The validated criteria of library parameters: a request's GET or POST, or the
    ``as_params()`` dict an export stored."""
    if not isinstance(params, QueryDict):
        data = QueryDict(mutable=True)
        for key, values in params.items():
            data.setlist(key, list(values))
        params = data
    return LibraryFilterSet(params).criteria


def render_export(export) -> tuple[int, Iterator[str]]:
    """The rows and the text, piece by piece, of a stored export request (the queue's task
    hands this to ``cases.domain.library_exports.build_export``)."""
    writer = WRITERS[export.format]
    criteria = criteria_of(export.query)
    total = library_cases(criteria).count()
    return writer.rows(total), writer.chunks(criteria, export.base_url)
