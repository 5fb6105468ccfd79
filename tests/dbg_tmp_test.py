import pytest
from django.db import connection


@pytest.mark.django_db
def test_a():
    print("DBG A", len(getattr(connection, "_test_serialized_contents", "") or ""))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_b():
    print("DBG B", len(getattr(connection, "_test_serialized_contents", "") or ""))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_c():
    print("DBG C", len(getattr(connection, "_test_serialized_contents", "") or ""))
