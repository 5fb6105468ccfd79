"""How long the queue's task takes to write a library export of the whole library.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/DBNAME .venv/bin/python \
        benchmarks/queued_export.py [--format csv] [--runs 3]

Reads only: it runs the task's work (``render_export`` and ``_store`` of
``cases.domain.library_exports``, the same writers as the streamed download) for an unsaved
export of the unfiltered library, into a scratch folder, and prints the time, rows, bytes and
the process's peak memory per run. The two row updates the real task adds (running, ready) are
left out, so the benchmark database is never written to.
"""

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--format", default="csv")
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings

    scratch = Path(tempfile.mkdtemp(prefix="epsa-export-bench-"))
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": scratch, "base_url": None},
        },
    }
    from django.core.files.storage import default_storage

    from cases.domain.library_exports import _store
    from cases.interfaces.library_exports import render_export
    from cases.models import LibraryExport

    print(f"| run | {options.format} rows | bytes | seconds | peak memory (MB) | load |")
    print("|---|---|---|---|---|---|")
    for run in range(1, options.runs + 1):
        export = LibraryExport(
            format=options.format,
            query={},
            base_url="https://portal.example",
            file_name=f"bench.{options.format}",
        )
        started = time.perf_counter()
        rows, chunks = render_export(export)
        name, size = _store(export, chunks)
        seconds = time.perf_counter() - started
        default_storage.delete(name)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        load = os.getloadavg()[0]
        print(f"| {run} | {rows:,} | {size:,} | {seconds:.1f} | {peak:.0f} | {load:.1f} |")


if __name__ == "__main__":
    main()
