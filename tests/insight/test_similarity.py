import io

from cases.domain.derived import refresh_derived_data, similarity_changed
from cases.domain.similarity import content_words, refresh_all_similar_lists
from cases.models import CaseStatus, SimilarCase, SimilarityFeatures
from tests.factories import CaseFactory

HIGH = [4, 4, 3, 4, 3, 4, 4, 3]
LOW = [0, 1, 0, 1, 0, 0, 1, 0]


def _similar(case):
    return list(
        SimilarCase.objects.filter(case=case).order_by("rank").values_list("similar_id", flat=True)
    )


def test_nearest_case_shares_profile_types_and_words(make_case):
    target = make_case(
        HIGH, ["public-private"], ["co-design"], title="Open data portal for citizens"
    )
    twin = make_case(HIGH, ["public-private"], ["co-design"], title="Citizens open data dashboards")
    far = make_case(LOW, ["public-research"], ["co-assessment"], title="Forest fire drones")
    middle = make_case(HIGH, ["public-research"], [], title="Hospital waiting lists")
    refresh_derived_data([target.pk, twin.pk, far.pk, middle.pk])

    assert _similar(target) == [twin.pk, middle.pk, far.pk]
    first = SimilarCase.objects.get(case=target, rank=1)
    assert set(first.reason["words"]) == {"open", "data", "citizens"}
    assert first.reason["profile_difference"] == 0
    assert first.score > SimilarCase.objects.get(case=target, rank=2).score


def test_lists_hold_five_published_cases_and_never_the_case_itself(make_case):
    cases = [make_case(HIGH, ["public-private"]) for _ in range(7)]
    hidden = CaseFactory(status=CaseStatus.ELIGIBLE, title="Unpublished twin")
    refresh_derived_data([case.pk for case in cases] + [hidden.pk])
    for case in cases:
        listed = _similar(case)
        assert len(listed) == 5
        assert case.pk not in listed
        assert hidden.pk not in listed


def test_publishing_a_case_enters_it_in_its_neighbours_lists(
    make_case, django_capture_on_commit_callbacks
):
    first = make_case(HIGH, ["public-private"], title="Mobility hub alpha")
    second = make_case(LOW, ["public-research"], title="Unrelated beta")
    refresh_derived_data([first.pk, second.pk])
    assert _similar(first) == [second.pk]

    newcomer = make_case(HIGH, ["public-private"], title="Mobility hub gamma")
    with django_capture_on_commit_callbacks(execute=True):
        similarity_changed([newcomer.pk])
    assert _similar(first) == [newcomer.pk, second.pk]
    assert _similar(newcomer)[0] == first.pk


def test_unpublishing_removes_a_case_from_every_list(make_case, django_capture_on_commit_callbacks):
    cases = [make_case(HIGH, ["public-private"]) for _ in range(3)]
    refresh_derived_data([case.pk for case in cases])
    gone = cases[0]
    with django_capture_on_commit_callbacks(execute=True):
        gone.is_published = False
        gone.save()
    assert not SimilarCase.objects.filter(similar=gone).exists()
    assert not SimilarCase.objects.filter(case=gone).exists()
    assert _similar(cases[1]) == [cases[2].pk]


def test_changing_tags_refreshes_the_list(make_case, django_capture_on_commit_callbacks):
    target = make_case(None, ["public-private"], title="aaaa")
    same = make_case(None, ["public-private"], title="bbbb")
    other = make_case(None, ["public-research"], title="cccc")
    refresh_derived_data([target.pk, same.pk, other.pk])
    assert _similar(target)[0] == same.pk
    from cases.models import CollaborationType

    with django_capture_on_commit_callbacks(execute=True):
        target.collaboration_types.set([CollaborationType.objects.get(slug="public-research")])
    assert _similar(target)[0] == other.pk
    assert SimilarityFeatures.objects.get(case=target).collaboration_count == 1


def test_bulk_refresh_leaves_lists_to_the_command(make_case, settings, monkeypatch):
    from cases.domain import similarity

    monkeypatch.setattr(similarity, "INLINE_LIST_LIMIT", 2)
    cases = [make_case(HIGH, ["public-private"]) for _ in range(3)]
    refresh_derived_data([case.pk for case in cases])
    assert not SimilarCase.objects.exists()
    assert refresh_all_similar_lists() == 3
    assert all(len(_similar(case)) == 2 for case in cases)


def test_content_words_skip_short_and_common_words():
    assert content_words("The open-data portal", "for citizens and the data") == [
        "open-data",
        "portal",
        "citizens",
        "data",
    ]


def test_refresh_similar_cases_command_fills_every_list(make_case):
    from django.core.management import call_command

    cases = [make_case(HIGH, ["public-private"]) for _ in range(3)]
    assert not SimilarCase.objects.exists()  # signals wait for a commit that never comes here
    call_command("refresh_similar_cases", stdout=io.StringIO())
    assert all(len(_similar(case)) == 2 for case in cases)


def _all_lists():
    lists = {}
    for case_id, similar_id, score in SimilarCase.objects.order_by("case_id", "rank").values_list(
        "case_id", "similar_id", "score"
    ):
        lists.setdefault(case_id, []).append((similar_id, score))
    return lists


def test_incremental_refreshes_keep_the_lists_a_full_recompute_would_make(
    make_case, django_capture_on_commit_callbacks
):
    """Each change merges the changed case into its neighbours' lists (or recomputes a list
    when the case falls below its old last place): after every step the stored lists equal
    those a recompute of every list makes (below ``POOL_SIZE`` cases the pool is everyone)."""
    from cases.models import CollaborationType, CoproductionPhase

    private, research, citizen = (
        CollaborationType.objects.get(slug=slug)
        for slug in ("public-private", "public-research", "public-citizen")
    )
    design = CoproductionPhase.objects.get(slug="co-design")
    words = ["mobility hub", "open data", "school meals", "forest drones", "care homes"]
    profiles = [HIGH, LOW, [2, 2, 2, 2, 2, 2, 2, 2], [4, 3, 4, 3, 4, 3, 4, 3]]
    cases = [
        make_case(
            profiles[n % 4],
            [["public-private"], ["public-research"], ["public-private", "public-citizen"]][n % 3],
            ["co-design"] if n % 2 else [],
            title=f"{words[n % 5]} {words[(n * 2) % 5]}",
        )
        for n in range(9)
    ]
    refresh_derived_data([case.pk for case in cases])

    def check():
        incremental = _all_lists()
        refresh_all_similar_lists()
        assert incremental == _all_lists()

    check()
    steps = [
        lambda: cases[0].collaboration_types.set([research]),  # leaves lists, enters others
        lambda: cases[4].coproduction_phases.set([design]),
        lambda: cases[2].collaboration_types.set([private, citizen, research]),
        lambda: setattr(cases[5], "title", "care homes school meals") or cases[5].save(),
        lambda: setattr(cases[3], "is_published", False) or cases[3].save(),
        lambda: setattr(cases[3], "is_published", True) or cases[3].save(),
        lambda: cases[7].collaboration_types.clear(),
    ]
    newcomer = []
    steps.append(lambda: newcomer.append(make_case(HIGH, ["public-private"], title="open data")))
    for step in steps:
        with django_capture_on_commit_callbacks(execute=True):
            step()
        check()


def test_a_refresh_leaves_lists_a_bulk_import_has_not_made_yet(make_case, monkeypatch):
    """After a bulk import (lists left to the command), publishing one case must not mark its
    neighbours' lists ready with that one case in them."""
    from cases.domain import similarity

    monkeypatch.setattr(similarity, "INLINE_LIST_LIMIT", 2)
    cases = [make_case(HIGH, ["public-private"]) for _ in range(3)]
    refresh_derived_data([case.pk for case in cases])
    newcomer = make_case(HIGH, ["public-private"])
    similarity.refresh_similarity([newcomer.pk])
    assert len(_similar(newcomer)) == 3
    assert not SimilarCase.objects.filter(case__in=cases).exists()
    assert not SimilarityFeatures.objects.filter(case__in=cases, list_ready=True).exists()


def test_a_change_is_refreshed_by_the_task_queue_after_commit(
    make_case, settings, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    from cases.tasks import refresh_similar_cases

    first = make_case(HIGH, ["public-private"])
    refresh_derived_data([first.pk])
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    newcomer = make_case(HIGH, ["public-private"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        similarity_changed([newcomer.pk])
    assert not DBTaskResult.objects.exists()  # nothing before the commit
    for callback in callbacks:
        callback()
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "cases.tasks.refresh_similar_cases"
    # (with the cases the factories saved in this test's transaction)
    assert newcomer.pk in queued.args_kwargs["kwargs"]["case_ids"]
    assert _similar(first) == []  # the request did not wait for it
    refresh_similar_cases.call(**queued.args_kwargs["kwargs"])
    assert _similar(first) == [newcomer.pk]


def test_the_candidate_search_by_tag_masks_finds_what_ordering_every_row_finds(
    make_case, monkeypatch
):
    """``_pool`` reads rows by tag masks, nearest masks first, and stops when no row left can
    come closer; it must return exactly the nearest rows of a scan of every published row, in
    the same order (here with a pool of 4 among 24 cases, so that the bound does prune)."""
    from cases.domain import similarity

    tags = [[], ["public-private"], ["public-research"], ["public-private", "public-citizen"]]
    phases = [[], ["co-design"], ["co-design", "co-assessment"]]
    profiles = [HIGH, LOW, None, [2, None, 2, 3, None, 1, 4, 0]]
    cases = [
        make_case(profiles[n % 4], tags[n % 4], phases[n % 3], title=f"case {n}") for n in range(24)
    ]
    refresh_derived_data([case.pk for case in cases])
    for case in cases:
        features = similarity._stored_features([case.pk])[case.pk]
        everyone = [row[1] for row in similarity._scan(features, None, 4)]
        assert [row.case_id for row in similarity._pool(features, 4)] == everyone
        assert case.pk not in everyone
    # Vocabularies too large to enumerate: the search orders every row instead.
    monkeypatch.setattr(similarity, "MAX_ENUMERATED_TAGS", 0)
    features = similarity._stored_features([cases[0].pk])[cases[0].pk]
    assert [row.case_id for row in similarity._pool(features, 4)] == [
        row[1] for row in similarity._scan(features, None, 4)
    ]


def _stored(case):
    row = SimilarityFeatures.objects.get(case=case)
    return row.collaboration_ids, row.phase_ids, row.words


def test_the_features_row_keeps_tags_and_words_current(
    make_case, django_capture_on_commit_callbacks
):
    """The candidates' tags and words are read from their features rows, so a change of the
    title, the summary or the tags must reach the row (published or not)."""
    from cases.models import CollaborationType, CoproductionPhase

    private, research = (
        CollaborationType.objects.get(slug=slug) for slug in ("public-private", "public-research")
    )
    design = CoproductionPhase.objects.get(slug="co-design")
    case = make_case(HIGH, ["public-private"], ["co-design"], title="Open data portal")
    refresh_derived_data([case.pk])
    assert _stored(case) == (
        str(private.pk),
        str(design.pk),
        " ".join(content_words(case.title, case.summary)),
    )
    assert _stored(case)[2].startswith("open data portal ")

    with django_capture_on_commit_callbacks(execute=True):
        case.title = "Forest drones for wildfire watch"
        case.summary = "Volunteers fly drones over the forest."
        case.save()
    assert _stored(case)[2] == "forest drones wildfire watch volunteers"

    with django_capture_on_commit_callbacks(execute=True):
        case.collaboration_types.set([research, private])
        case.coproduction_phases.clear()
    assert _stored(case)[:2] == (" ".join(map(str, sorted([private.pk, research.pk]))), "")

    # Unpublished (not a draft): the row stays, current, and out of every list.
    with django_capture_on_commit_callbacks(execute=True):
        case.is_published = False
        case.title = "Hospital waiting lists"
        case.save()
    row = SimilarityFeatures.objects.get(case=case)
    assert not row.is_published
    assert row.words.startswith("hospital waiting lists ")


def test_an_unpublished_case_gets_its_tags_and_words_stored(make_case):
    from cases.models import CollaborationType

    hidden = CaseFactory(status=CaseStatus.ELIGIBLE, title="Unpublished school meals", summary="")
    kind = CollaborationType.objects.get(slug="public-research")
    hidden.collaboration_types.add(kind)
    refresh_derived_data([hidden.pk])
    assert _stored(hidden) == (str(kind.pk), "", "unpublished school meals")


def test_the_migration_fills_the_rows_stored_before_it(make_case):
    """Rows stored before migration 0016 get the tags and words a refresh would store."""
    import importlib
    from types import SimpleNamespace

    from django.apps import apps
    from django.db import connection

    cases = [
        make_case(HIGH, ["public-private", "public-citizen"], ["co-design"], title="Open data"),
        make_case(None, [], [], title="Care homes", summary="Robots in care homes?"),
    ]
    refresh_derived_data([case.pk for case in cases])
    expected = {case.pk: _stored(case) for case in cases}
    SimilarityFeatures.objects.update(collaboration_ids="", phase_ids="", words="")
    migration = importlib.import_module("cases.migrations.0016_similarity_words_and_tags")
    # (what the function uses of a schema editor: SQLite's cannot open inside a test's atomic)
    editor = SimpleNamespace(connection=connection, quote_name=connection.ops.quote_name)
    migration.fill_words_and_tags(apps, editor)
    assert {case.pk: _stored(case) for case in cases} == expected


def test_a_refresh_that_changes_no_score_writes_no_list(make_case):
    """Every save of a case refreshes it; when its features, scores and reasons are the same,
    neither its features row nor a stored list is rewritten (and the lists stay those a
    recompute makes)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cases.domain.similarity import refresh_similarity

    cases = [make_case(HIGH, ["public-private"], title=f"open data {n}") for n in range(8)]
    refresh_derived_data([case.pk for case in cases])
    before = _all_lists()
    with CaptureQueriesContext(connection) as queries:
        refresh_similarity([cases[3].pk])
    tables = (SimilarCase._meta.db_table, SimilarityFeatures._meta.db_table)
    writes = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].startswith(("INSERT", "UPDATE", "DELETE"))
        and any(table in query["sql"] for table in tables)
    ]
    assert writes == []
    assert _all_lists() == before
    refresh_all_similar_lists()
    assert _all_lists() == before
