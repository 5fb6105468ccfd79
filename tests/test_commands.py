from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from cases.models import Case, Edition, Provenance, User
from tests.factories import CategoryFactory, EditionFactory

pytestmark = pytest.mark.django_db


def _call(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


class _Rollback(Exception):
    pass


def _titles_of_fresh_run(seed):
    try:
        with transaction.atomic():
            _call("generate_cases", "--count", "12", "--seed", str(seed))
            titles = list(Case.objects.order_by("pk").values_list("title", "country", "outcome"))
            raise _Rollback
    except _Rollback:
        return titles


def test_generate_cases_reports_count_and_time():
    output = _call("generate_cases", "--count", "7", "--seed", "3")
    assert "Created 7 synthetic cases (seed 3) in " in output
    assert output.strip().endswith("s.")
    assert Case.objects.filter(provenance=Provenance.SYNTHETIC).count() == 7


def test_generate_cases_is_deterministic_for_a_seed():
    first = _titles_of_fresh_run(5)
    assert first == _titles_of_fresh_run(5)
    assert first != _titles_of_fresh_run(6)
    assert len(first) == 12


def test_generate_cases_twice_with_same_seed_keeps_slugs_unique():
    _call("generate_cases", "--count", "10", "--seed", "4")
    _call("generate_cases", "--count", "10", "--seed", "4")
    slugs = list(Case.objects.values_list("slug", flat=True))
    assert len(slugs) == len(set(slugs)) == 20


def test_generate_cases_into_editions():
    first = EditionFactory(slug="epsa-a")
    CategoryFactory(edition=first, slug="one")
    second = EditionFactory(slug="epsa-b")
    CategoryFactory(edition=second, slug="two")
    _call(
        "generate_cases",
        "--count",
        "30",
        "--seed",
        "2",
        "--edition",
        "epsa-a",
        "--edition",
        "epsa-b",
    )
    assert set(Case.objects.values_list("edition__slug", "category__slug")) == {
        ("epsa-a", "one"),
        ("epsa-b", "two"),
    }


def test_generate_cases_refuses_unknown_edition_and_bad_count():
    with pytest.raises(CommandError, match="Unknown edition slug"):
        _call("generate_cases", "--count", "3", "--edition", "nope")
    with pytest.raises(CommandError, match="at least 1"):
        _call("generate_cases", "--count", "0")
    assert not Case.objects.exists()


def test_load_demo_prints_logins_when_allowed(settings):
    settings.DEMO_USERS_ALLOWED = True
    output = _call("load_demo")
    assert "Demo data loaded" in output
    for email, password in [
        ("applicant@demo.example", "demo-applicant-pass"),
        ("evaluator@demo.example", "demo-evaluator-pass"),
        ("evaluator2@demo.example", "demo-evaluator2-pass"),
        ("evaluator3@demo.example", "demo-evaluator3-pass"),
        ("evaluator4@demo.example", "demo-evaluator4-pass"),
        ("coordinator@demo.example", "demo-coordinator-pass"),
        ("admin@demo.example", "demo-admin-pass"),
    ]:
        assert email in output and password in output
    assert User.objects.count() == 7
    assert Edition.objects.count() == 4


def test_load_demo_without_demo_users_says_so(settings):
    settings.DEMO_USERS_ALLOWED = False
    output = _call("load_demo")
    assert "No demo users were created" in output
    assert "demo-admin-pass" not in output
    assert not User.objects.exists()


def test_load_demo_twice_reports_nothing_changed(settings):
    settings.DEMO_USERS_ALLOWED = True
    _call("load_demo")
    cases = Case.objects.count()
    output = _call("load_demo")
    assert "already loaded: nothing changed" in output
    assert f"The library holds {cases} published cases" in output
    assert Case.objects.count() == cases
