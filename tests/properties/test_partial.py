"""Partial evaluation is sound and complete, on every instrument.

A scenario that leaves open a field some rule needs is decided by the reference evaluator's partial
evaluation: one outcome, or residual outcomes, each with the conditions (alternatives of
conjunctions) under which it holds. The verdict is `conditional` when the residual outcomes differ in
verdict; when only the deciding provisions (or the reason) differ, the verdict is certain and
`deciding_rules` holds the provisions common to every residual (docs/policy-format.md). Completing the
scenario must agree:

- complete (every residual is reachable): a completion satisfying one alternative of a residual's
  conditions gets that residual's verdict, reason and deciding rules;
- sound (nothing else happens): any completion gets the residual outcome whose conditions it
  satisfies; a decision without residuals keeps its verdict, reason and deciding rules under every
  completion, and a certain verdict with residuals keeps its verdict.

Completions are decided through `evaluate` (the durable_rules engine, complete scenarios) and checked
against the reference matcher too. Open dates are completed inside the instrument's period in force:
partial evaluation splits the date only within that period (`space.partitions`).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping
from typing import Any

import pytest
from hypothesis import given, reject, settings
from hypothesis import strategies as st

from policyengine.core import conditions
from policyengine import registry
from policyengine.core.errors import ScenarioError
from policyengine.core.evaluation import Evaluator
from policyengine.testing.strategies import LAST_DAY, scenarios

pytestmark = pytest.mark.slow  # Hypothesis over every instrument, with completions

PARTIAL = settings(max_examples=max(1, settings.default.max_examples * 3 // 20))  # 300 under 'thorough'
POLICY_IDS = list(registry.evaluators())
VOCAB = registry.vocabulary()
COMPLETIONS = 8  # random completions per example
DAY = dt.timedelta(days=1)
INTEGERS = (0, 1, 2, 29, 30, 31, 32, 45, 90, 120)

each_policy = pytest.mark.parametrize("policy_id", POLICY_IDS)


def window(ev: Evaluator) -> tuple[dt.date, dt.date]:
    """First and last day the instrument is in force (the last day of the strategies if open-ended)."""
    first = ev.policy.in_force_from
    last = ev.policy.in_force_to - DAY if ev.policy.in_force_to else max(first, LAST_DAY)
    return first, last


def selections(ev: Evaluator) -> st.SearchStrategy[dict[str, str]]:
    """Any combination of the instrument's interpretation readings."""
    return st.fixed_dictionaries({name: st.sampled_from(list(spec.readings))
                                  for name, spec in ev.policy.interpretations.items()})


def random_value(ev: Evaluator, field: str, rng: random.Random) -> Any:
    """A random value of one field (dates inside the instrument's period in force)."""
    spec = VOCAB.fields[field]
    domain = spec.domain()
    if domain:
        return rng.choice(domain)
    if spec.type == "integer":
        low = spec.minimum or 0
        return rng.choice([v for v in INTEGERS if v >= low]) if rng.random() < 0.7 else rng.randint(low, 365)
    first, last = window(ev)
    special = [d for d in cut_dates(ev) if first <= d <= last]
    if special and rng.random() < 0.5:
        return rng.choice(special)
    return first + rng.randint(0, (last - first).days) * DAY


def cut_dates(ev: Evaluator) -> list[dt.date]:
    """Every date the instrument tests, and the day either side."""
    days = {v for cond in [ev.policy.scope, *(r.condition for r in ev.policy.rules)]
            for t in conditions.tests_of(cond) if t.field == "date" for v in t.values}
    return sorted(d + k * DAY for d in days for k in (-1, 0, 1))


def satisfying(ev: Evaluator, cond: conditions.Condition, field: str) -> list[Any]:
    """Values of `field` for which the one-field condition `cond` holds (dates in force preferred)."""
    spec = VOCAB.fields[field]
    candidates: list[Any] = list(spec.domain())
    if not candidates:
        step = DAY if spec.type == "date" else 1
        bounds = [v for t in conditions.tests_of(cond) for v in t.values]
        candidates = sorted({v + k * step for v in bounds for k in (-1, 0, 1)})
        if spec.type == "integer":
            candidates = [v for v in candidates if spec.minimum is None or v >= spec.minimum]
            candidates.append(spec.minimum or 0)
        else:
            candidates += list(window(ev))
    good = [v for v in candidates if conditions.evaluate(cond, {field: v}, VOCAB) is True]
    if spec.type == "date":
        first, last = window(ev)
        good = [d for d in good if first <= d <= last] or good
    return good


def decide(ev: Evaluator, scenario: Mapping[str, Any], selection: Mapping[str, str]) -> Any:
    """The decision for a possibly partial scenario; an oversized decision tree is not a test case."""
    try:
        return ev.evaluate(scenario, selection)
    except ScenarioError as exc:
        if "too much open" in exc.message:
            reject()
        raise


def key(outcome: Any) -> tuple:
    """Verdict, reason and deciding rules of a Decision or a Residual."""
    deciding = outcome.deciding_rules
    return (outcome.verdict, outcome.reason, tuple(deciding))


def complete(ev: Evaluator, scenario: Mapping[str, Any], rng: random.Random) -> dict[str, Any]:
    """The scenario with every missing field filled at random, then repaired where the filling states a
    contradiction of the vocabulary (partial evaluation announces only outcomes of possible scenarios)."""
    filled = {name: scenario[name] if name in scenario else random_value(ev, name, rng) for name in VOCAB.names}
    return VOCAB.repair(filled, keep=scenario)


def holds(alternatives: tuple, scenario: Mapping[str, Any]) -> bool:
    """True when the complete scenario satisfies one alternative of a residual's conditions."""
    return any(all(conditions.evaluate(c, scenario, VOCAB) is True for c in conj) for conj in alternatives)


def decided(ev: Evaluator, scenario: Mapping[str, Any], selection: Mapping[str, str]) -> tuple:
    """The outcome of a complete scenario (less any field a contradiction forbids, such as a persistent
    mine's self-destruct time), checked to be the same through the engine and the reference."""
    engine = ev.evaluate(scenario, selection)
    assert ev.is_complete(scenario) or not engine.residual, scenario
    reference = ev.evaluate(scenario, selection, matcher="reference")
    assert key(engine) == key(reference), scenario
    return key(engine)


def common_or_union(groups: list[tuple[str, ...]]) -> tuple[str, ...]:
    """The ids in every group (in first-group order), or all ids if none is shared."""
    shared = set(groups[0]).intersection(*groups[1:])
    common = tuple(i for i in groups[0] if i in shared)
    return common or tuple(dict.fromkeys(i for g in groups for i in g))


def check_shape(decision: Any) -> None:
    """`conditional` exactly when the residual outcomes differ in verdict; a certain verdict with
    residuals keeps the reason all residuals share (None if they differ) and is decided by the rules
    common to every residual (their union if none is common)."""
    if not decision.residual:
        assert decision.verdict != "conditional"
        return
    assert len({key(r) for r in decision.residual}) == len(decision.residual) >= 2
    verdicts = {r.verdict for r in decision.residual}
    if decision.verdict == "conditional":
        assert len(verdicts) >= 2
        assert set(decision.deciding_rules) == {i for r in decision.residual for i in r.deciding_rules}
    else:
        assert verdicts == {decision.verdict}
        reasons = {r.reason for r in decision.residual}
        assert decision.reason == (reasons.pop() if len(reasons) == 1 else None)
        expected = common_or_union([tuple(r.deciding_rules) for r in decision.residual])
        assert tuple(decision.deciding_rules) == expected


class TestResidualsAreReachable:
    """Completeness: every residual outcome of a partial decision happens for some completion."""

    @each_policy
    @PARTIAL
    @given(data=st.data())
    def test_every_residual_alternative_is_reachable(self, policy_id: str, data: st.DataObject) -> None:
        """A completion satisfying one alternative of a residual's conditions gets that residual's outcome."""
        ev = registry.evaluator(policy_id)
        scenario = data.draw(scenarios(optional=True), label="scenario")
        selection = data.draw(selections(ev), label="interpretation")
        rng = random.Random(data.draw(st.integers(0, 2**32 - 1), label="seed"))
        decision = decide(ev, scenario, selection)
        for residual in decision.residual:
            assert residual.when, residual
            for conj in residual.when:
                completion = dict(scenario)
                for cond in conj:
                    (field,) = conditions.fields_of(cond)
                    assert field not in scenario, (field, cond)
                    values = satisfying(ev, cond, field)
                    assert values, f"no value satisfies {conditions.describe(cond)}"
                    completion[field] = rng.choice(values)
                completion = complete(ev, completion, rng)
                assert holds((conj,), completion)
                assert decided(ev, completion, selection) == key(residual), (residual.describe(), completion)


class TestCompletionsAreCovered:
    """Soundness: a completion never gets an outcome the partial decision did not announce."""

    @each_policy
    @PARTIAL
    @given(data=st.data())
    def test_random_completions_get_an_announced_outcome(self, policy_id: str, data: st.DataObject) -> None:
        """Random completions get the definite outcome, or the residual whose conditions they satisfy."""
        ev = registry.evaluator(policy_id)
        scenario = data.draw(scenarios(optional=True), label="scenario")
        selection = data.draw(selections(ev), label="interpretation")
        rng = random.Random(data.draw(st.integers(0, 2**32 - 1), label="seed"))
        decision = decide(ev, scenario, selection)
        check_shape(decision)
        for _ in range(COMPLETIONS):
            completion = complete(ev, scenario, rng)
            outcome = decided(ev, completion, selection)
            if not decision.residual:
                assert outcome == key(decision), completion
                continue
            announced = [r for r in decision.residual if holds(r.when, completion)]
            assert [key(r) for r in announced] == [outcome], (
                [r.describe() for r in announced], outcome, completion)
            if decision.verdict != "conditional":
                assert outcome[0] == decision.verdict, completion
                assert decision.reason in (None, outcome[1]), completion
                common = set.intersection(*(set(r.deciding_rules) for r in decision.residual))
                if common:
                    assert set(decision.deciding_rules) <= set(outcome[2]), completion

    @each_policy
    def test_widest_partial_decision_covers_the_product(self, policy_id: str) -> None:
        """With only a date in force given, every activity and mine reaches an announced outcome."""
        ev = registry.evaluator(policy_id)
        first, _ = window(ev)
        decision = ev.evaluate({"date": first})
        reached = set()
        rng = random.Random(7)
        for activity in VOCAB.fields["activity"].domain():
            for mine in VOCAB.fields["mine"].domain():
                completion = complete(ev, {"date": first, "activity": activity, "mine": mine}, rng)
                reached.add(decided(ev, completion, ev.default_selection))
        announced = {key(r) for r in decision.residual} if decision.residual else {key(decision)}
        assert reached <= announced
