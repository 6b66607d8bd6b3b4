"""Hypothesis: every counterfactual offered really changes the verdict, and none smaller exists.

On generated scenarios of every bundled instrument (`policyengine.registry.evaluators()`; activity and
mine always given, every other field the instrument tests optional), 3/40 of the Hypothesis profile's
examples each (150 under `thorough`, 7 by default; tests/README.md):

- applying a counterfactual (each change's field set to its `applied` value) gives a verdict other
  than the original one, and the verdict, reason and deciding provisions the counterfactual states;
- every value a change lists (its words: "if location were korean_dmz or south_korea") gives that
  outcome, and the change's condition holds for its applied value;
- every counterfactual describes a possible scenario (no contradiction of the vocabulary);
- singles come before pairs: a pair offered beside singles starts with a change that the scenario's
  other facts contradict, and changes the fact it contradicts; otherwise offered pairs mean no
  possible single change alters the verdict, and neither change of a pair alters it alone; offering
  nothing means no possible single change and no possible pair of changes to two fields alters it.

Examples are derandomized, so every run tests the same scenarios.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings

from policyengine import registry
from policyengine.core.conditions import evaluate
from policyengine.explanation.counterfactual import candidate_changes, counterfactuals
from policyengine.core.decision import Decision
from policyengine.core.evaluation import Evaluator
from policyengine.testing.strategies import scenarios

pytestmark = pytest.mark.slow  # Hypothesis over every instrument

POLICY_IDS = list(registry.evaluators())
ALWAYS = ("activity", "mine")
# 3/40 of the profile's examples: 150 under 'thorough'
SETTINGS = settings(max_examples=max(1, settings.default.max_examples * 3 // 40), deadline=None,
                    derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow])


def fields_of(judge: Evaluator) -> list[str]:
    """The activity, the mine, and every other field the instrument's conditions test, in vocabulary order."""
    return [name for name in judge.vocab.names if name in ALWAYS or name in judge.classes]


def outcome(decision: Decision) -> tuple:
    """What a counterfactual states about the decision it leads to."""
    return decision.verdict, decision.reason, tuple(decision.deciding_rules)


def check(judge: Evaluator, scenario: dict) -> None:
    """The counterfactual properties for one scenario of one instrument."""
    decision = judge.evaluate(scenario)
    found = counterfactuals(decision, judge)
    sizes = {len(cf.changes) for cf in found}
    assert sizes <= {1, 2}, sizes
    singles = 1 in sizes
    for cf in found:
        trial = {**scenario, **{c.field: c.applied for c in cf.changes}}
        assert judge.vocab.contradiction(trial) is None, (scenario, cf.words())
        clash = judge.vocab.contradiction({**scenario, cf.changes[0].field: cf.changes[0].applied})
        repaired = len(cf.changes) == 2 and clash is not None
        if repaired:
            assert cf.changes[1].field in {clash.first.field, clash.second.field}, cf.words()
            partner = judge.evaluate({**scenario, cf.changes[1].field: cf.changes[1].applied}, decision.interpretation)
            assert partner.verdict == decision.verdict, cf.words()  # else the partner alone is smaller
        else:
            assert not singles or len(cf.changes) == 1, cf.words()
        after = judge.evaluate(trial, decision.interpretation)
        assert after.verdict != decision.verdict, (scenario, cf.words())
        assert outcome(after) == outcome(cf.decision), (scenario, cf.words())
        for change in cf.changes:
            assert change.field != "activity"
            assert change.applied != scenario.get(change.field)
            assert evaluate(change.condition, {change.field: change.applied}, judge.vocab) is True
            for value in change.values:
                other = judge.evaluate({**trial, change.field: value}, decision.interpretation)
                assert outcome(other) == outcome(cf.decision), (scenario, cf.words(), value)
        if len(cf.changes) == 2 and not repaired:
            for change in cf.changes:
                alone = judge.evaluate({**scenario, change.field: change.applied}, decision.interpretation)
                assert alone.verdict == decision.verdict, (scenario, cf.words(), change.field)
    if not singles:  # pairs, or nothing: then no possible single change may alter the verdict
        candidates = candidate_changes(judge, scenario)
        for change in candidates:
            trial = {**scenario, change.field: change.applied}
            if judge.vocab.contradiction(trial) is None:
                alone = judge.evaluate(trial, decision.interpretation)
                assert alone.verdict == decision.verdict, (scenario, change)
        if not found:  # nothing offered: no possible pair of changes to two fields alters it either
            for a, b in itertools.combinations(candidates, 2):
                trial = {**scenario, a.field: a.applied, b.field: b.applied}
                if a.field != b.field and judge.vocab.contradiction(trial) is None:
                    both = judge.evaluate(trial, decision.interpretation)
                    assert both.verdict == decision.verdict, (scenario, a, b)


@pytest.mark.parametrize("policy_id", POLICY_IDS)
def test_counterfactuals_change_the_verdict_and_are_smallest(policy_id: str):
    """Every counterfactual offered changes the verdict as stated; no smaller one exists."""
    judge = registry.evaluator(policy_id)
    fields = fields_of(judge)

    @SETTINGS
    @given(scenarios(fields=fields, optional=[f for f in fields if f not in ALWAYS]))
    def run(scenario: dict) -> None:
        check(judge, scenario)

    run()


@pytest.mark.parametrize("policy_id", ["biden-2022", "trump-2020"])
def test_complete_scenarios(policy_id: str):
    """The same properties on complete scenarios of the two core instruments (every tested field given)."""
    judge = registry.evaluator(policy_id)
    fields = [f for f in fields_of(judge) if f != "date"]

    @SETTINGS
    @given(scenarios(fields=fields))
    def run(scenario: dict) -> None:
        check(judge, scenario)

    run()
