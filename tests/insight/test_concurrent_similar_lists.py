"""First visitors of a case whose similar cases are not stored yet, all at once: every one gets
the page, and the list is stored once.

Found under load (benchmarks/throughput.sh): each request computed and stored the same list,
and all but the first failed on the unique constraint of (case, similar case) with a 500.
"""

import threading

import pytest
from django.db import connection
from django.test import Client

from cases.domain.derived import refresh_derived_data
from cases.models import SimilarCase, SimilarityFeatures
from tests.factories import ensure_seed_data

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

VISITORS = 6


@pytest.fixture(autouse=True)
def seed_rows():
    ensure_seed_data()  # a transactional test before this one may have emptied the tables


def test_first_visitors_at_once_all_get_the_page_and_one_list(make_case):
    cases = [
        make_case([3, 3, 2, 3, 2, 3, 3, 2], ["public-private"], title=f"Shared data hub {n}")
        for n in range(8)
    ]
    refresh_derived_data([case.pk for case in cases])
    target = cases[0]
    # As a bulk import leaves it: features stored, the list left for the first visitor.
    SimilarCase.objects.filter(case=target).delete()
    SimilarityFeatures.objects.filter(case=target).update(list_ready=False)

    barrier = threading.Barrier(VISITORS)
    statuses = [None] * VISITORS

    def visit(index):
        client = Client(raise_request_exception=False)
        try:
            barrier.wait(timeout=20)
            statuses[index] = client.get(target.get_absolute_url()).status_code
        finally:
            connection.close()

    threads = [threading.Thread(target=visit, args=(index,)) for index in range(VISITORS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses == [200] * VISITORS
    stored = list(SimilarCase.objects.filter(case=target).order_by("rank"))
    assert [item.rank for item in stored] == [1, 2, 3, 4, 5]
    assert len({item.similar_id for item in stored}) == 5
    assert SimilarityFeatures.objects.get(case=target).list_ready
