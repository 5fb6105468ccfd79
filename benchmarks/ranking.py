"""Server time of the coordinators' ranking page for a large edition.

Creates (and afterwards deletes) an edition with 2,000 eligible entries in three categories,
2 evaluators per entry and 14 scores per review (6 criteria + 8 ecosystem factors), then
requests the ranking page and its CSV export through Django's test client and prints the
median of repeated runs and the number of queries.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/epsa_evaluation \
        .venv/bin/python benchmarks/ranking.py [--entries 2000] [--runs 15] [--keep]
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "epsa_portal.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from cases.domain.evaluation.scoring import weighted_total  # noqa: E402
from cases.models import (  # noqa: E402
    Assignment,
    AssignmentMethod,
    Case,
    CaseStatus,
    Category,
    Criterion,
    CriterionScore,
    EcosystemFactor,
    Edition,
    EditionPhase,
    FactorScore,
    Organisation,
    Review,
    ReviewStatus,
    User,
)

SLUG = "benchmark-ranking"
CRITERIA = ["relevance", "innovation", "stakeholder-engagement", "impact", "sustainability",
            "transferability"]  # fmt: skip


def remove_previous():
    edition = Edition.objects.filter(slug=SLUG).first()
    if edition is None:
        return
    Case.objects.filter(edition=edition).delete()
    edition.delete()
    User.objects.filter(email__endswith="@benchmark.invalid").delete()
    Organisation.objects.filter(name__startswith="Benchmark organisation").delete()


@transaction.atomic
def build(entries: int, evaluators: int, seed: int = 1):
    rng = random.Random(seed)
    now = timezone.now()
    edition = Edition.objects.create(
        slug=SLUG,
        name="Benchmark edition",
        year_label="2026",
        phase=EditionPhase.EVALUATION,
        score_min=0,
        score_max=10,
    )
    categories = [
        Category.objects.create(
            edition=edition, slug=f"category-{i}", name=f"Category {i}", order=i
        )
        for i in range(3)
    ]
    criteria = [
        Criterion.objects.create(edition=edition, slug=slug, name=slug, order=i)
        for i, slug in enumerate(CRITERIA)
    ]
    factors = list(EcosystemFactor.objects.all())
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Benchmark organisation {i}", country="BE") for i in range(200)
    )
    people = User.objects.bulk_create(
        User(email=f"evaluator{i}@benchmark.invalid", full_name=f"Evaluator {i}", country="PT")
        for i in range(evaluators)
    )
    cases = Case.objects.bulk_create(
        Case(
            edition=edition,
            category=categories[i % 3],
            lead_organisation=organisations[i % len(organisations)],
            title=f"Benchmark entry {i}",
            slug=f"benchmark-entry-{i}",
            summary="A shared service run by neighbouring municipalities.",
            problem="Long waiting times. " * 40,
            solution="One back office. " * 40,
            country="BE",
            status=CaseStatus.ELIGIBLE,
            registration_number=f"BENCH-{i + 1:04d}",
            submitted_at=now,
            screened_at=now,
            publication_consent=True,
        )
        for i in range(entries)
    )
    assignments = Assignment.objects.bulk_create(
        Assignment(
            case=case, evaluator=people[(2 * i + k) % evaluators], method=AssignmentMethod.AUTOMATIC
        )
        for i, case in enumerate(cases)
        for k in range(2)
    )  # fmt: skip
    score_rows, totals = [], []
    for _assignment in assignments:
        scores = [rng.randint(0, 10) for _ in criteria]
        score_rows.append(scores)
        totals.append(weighted_total((s, c.weight) for s, c in zip(scores, criteria, strict=True)))
    reviews = Review.objects.bulk_create(
        Review(
            assignment=assignment,
            status=ReviewStatus.SUBMITTED,
            submitted_at=now,
            weighted_total=total,
        )
        for assignment, total in zip(assignments, totals, strict=True)
    )
    CriterionScore.objects.bulk_create(
        (
            CriterionScore(review=review, criterion=criterion, score=score)
            for review, scores in zip(reviews, score_rows, strict=True)
            for criterion, score in zip(criteria, scores, strict=True)
        ),
        batch_size=5000,
    )
    FactorScore.objects.bulk_create(
        (
            FactorScore(review=review, factor=factor, score=rng.randint(0, 4))
            for review in reviews
            for factor in factors
        ),
        batch_size=5000,
    )
    staff = User.objects.create(email="staff@benchmark.invalid", is_staff=True)
    return edition, staff


def measure(client, url, runs):
    timings = []
    for _ in range(runs):
        reset_queries()
        start = time.perf_counter()
        response = client.get(url, HTTP_HOST="localhost")
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as queries:
        client.get(url, HTTP_HOST="localhost")
    return statistics.median(timings), min(timings), max(timings), len(queries)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entries", type=int, default=2000)
    parser.add_argument("--evaluators", type=int, default=60)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark data")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    remove_previous()
    started = time.perf_counter()
    edition, staff = build(args.entries, args.evaluators)
    built = time.perf_counter() - started
    print(
        f"database: {connection.vendor}; {args.entries} entries x 2 reviews x 14 scores "
        f"built in {built:.1f} s"
    )
    client = Client()
    client.force_login(staff)
    base = f"/coordinate/{edition.slug}/ranking/"
    for label, url in [
        ("ranking page (first page of 50)", base),
        ("ranking page, one category, sorted by z", f"{base}?category=category-1&sort=normalised"),
        ("ranking CSV export (all entries)", f"{base}?format=csv"),
    ]:
        median, fastest, slowest, queries = measure(client, url, args.runs)
        print(
            f"{label}: median {median:.0f} ms (min {fastest:.0f}, max {slowest:.0f}), "
            f"{queries} queries, {args.runs} runs"
        )
    if not args.keep:
        remove_previous()


if __name__ == "__main__":
    main()
