"""Property tests of the automatic assignment planner on random instances."""

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from cases.domain.evaluation.assignment import plan_assignments


@st.composite
def instances(draw, with_constraints=True):
    n_cases = draw(st.integers(min_value=0, max_value=25))
    n_evaluators = draw(st.integers(min_value=0, max_value=9))
    categories = [1, 2, 3]
    cases = [(100 + i, draw(st.sampled_from(categories))) for i in range(n_cases)]
    evaluators = [500 + i for i in range(n_evaluators)]
    pairs = [(c, e) for c, _cat in cases for e in evaluators]
    excluded = set()
    existing = {}
    if with_constraints and pairs:
        excluded = set(draw(st.lists(st.sampled_from(pairs), max_size=len(pairs))))
        free = [p for p in pairs if p not in excluded]
        if free:
            for case_id, evaluator in draw(st.lists(st.sampled_from(free), max_size=8)):
                existing.setdefault(case_id, set()).add(evaluator)
    preferences = {
        e: set(draw(st.lists(st.sampled_from(categories), max_size=2))) for e in evaluators
    }
    return {
        "cases": cases,
        "evaluators": evaluators,
        "per_case": draw(st.integers(min_value=1, max_value=3)),
        "seed": draw(st.integers(min_value=0, max_value=2**16)),
        "excluded": excluded,
        "existing": existing,
        "preferences": preferences,
    }


def final_sets(instance, plan):
    sets = {
        case_id: set(instance["existing"].get(case_id, ())) for case_id, _cat in instance["cases"]
    }
    for case_id, evaluator in plan.pairs:
        sets[case_id].add(evaluator)
    return sets


@settings(max_examples=200, deadline=None)
@given(instances())
def test_never_a_conflicted_or_duplicate_evaluator_and_shortfalls_are_exact(instance):
    plan = plan_assignments(**instance)
    assert not set(plan.pairs) & instance["excluded"]
    assert len(plan.pairs) == len(set(plan.pairs))
    for case_id, evaluator in plan.pairs:
        assert evaluator not in instance["existing"].get(case_id, set())
    shortfalls = {s.case_id: s for s in plan.shortfalls}
    for case_id, assigned in final_sets(instance, plan).items():
        expected = max(instance["per_case"], len(instance["existing"].get(case_id, ())))
        if case_id in shortfalls:
            assert len(assigned) == expected - shortfalls[case_id].missing
            candidates = [
                e
                for e in instance["evaluators"]
                if (case_id, e) not in instance["excluded"]
                and e not in instance["existing"].get(case_id, set())
            ]
            assert shortfalls[case_id].available == len(candidates)
        else:
            assert len(assigned) == expected


@settings(max_examples=200, deadline=None)
@given(instances())
def test_no_new_assignment_could_move_to_an_evaluator_two_entries_lighter(instance):
    plan = plan_assignments(**instance)
    loads = Counter()
    for assigned in final_sets(instance, plan).values():
        loads.update(assigned)
    sets = final_sets(instance, plan)
    for case_id, evaluator in plan.pairs:
        for other in instance["evaluators"]:
            could_take = (case_id, other) not in instance["excluded"] and other not in sets[case_id]
            if could_take:
                assert loads[evaluator] <= loads[other] + 1
    assert {e: n for e, n in loads.items() if n} == {e: n for e, n in plan.loads.items() if n}


@settings(max_examples=150, deadline=None)
@given(instances(with_constraints=False))
def test_without_constraints_everyone_is_within_one_entry_of_everyone(instance):
    plan = plan_assignments(**instance)
    if len(instance["evaluators"]) >= instance["per_case"]:
        assert plan.shortfalls == []
    if instance["evaluators"]:
        loads = [plan.loads[e] for e in instance["evaluators"]]
        assert max(loads) - min(loads) <= 1


@settings(max_examples=100, deadline=None)
@given(instances())
def test_same_seed_same_plan(instance):
    assert plan_assignments(**instance).pairs == plan_assignments(**instance).pairs


def test_different_seeds_can_give_different_plans():
    instance = {
        "cases": [(c, 1) for c in range(1, 5)],
        "evaluators": list(range(10, 30)),
        "per_case": 2,
    }
    plans = {tuple(plan_assignments(**instance, seed=seed).pairs) for seed in range(5)}
    assert len(plans) > 1


def test_evaluators_who_chose_the_category_are_preferred():
    for seed in range(10):
        plan = plan_assignments(
            cases=[(1, 7), (2, 8)],
            evaluators=[10, 11, 12, 13],
            per_case=2,
            seed=seed,
            preferences={12: {7}, 13: {7}, 10: {8}, 11: {8, 9}},
        )
        assert sorted(plan.pairs) == [(1, 12), (1, 13), (2, 10), (2, 11)]


def test_balance_beats_preference():
    plan = plan_assignments(
        cases=[(c, 7) for c in range(1, 5)],
        evaluators=[10, 11],
        per_case=1,
        preferences={10: {7}},
    )
    assert Counter(e for _case, e in plan.pairs) == {10: 2, 11: 2}


def test_existing_loads_count_towards_balance():
    plan = plan_assignments(
        cases=[(1, None), (2, None)],
        evaluators=[10, 11],
        per_case=1,
        loads={10: 3},
    )
    assert [e for _case, e in plan.pairs] == [11, 11]


def test_an_entry_everyone_is_conflicted_with_is_reported():
    plan = plan_assignments(
        cases=[(1, None), (2, None)],
        evaluators=[10, 11, 12],
        per_case=2,
        excluded={(1, 10), (1, 11)},
    )
    assert [(s.case_id, s.missing, s.available, s.excluded) for s in plan.shortfalls] == [
        (1, 1, 1, 2)
    ]
    assert (1, 12) in plan.pairs
