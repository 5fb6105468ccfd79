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
