"""Differential tests: each engine's matcher (durable_rules, and the pure-Python matcher) against the
reference evaluator, on every instrument.

The reference evaluator (`semantics` + Kleene evaluation of each rule's condition) is the spec; the
engine's matcher is what `evaluate` uses for complete scenarios. Every test covers each engine that
can run here (durable needs durable_rules; `tests/properties/test_engines.py` compares the two
engines' decisions directly): the Hypothesis test once per engine, the sweeps every engine against
one computation of the reference. On complete scenarios both must
find the same applicable rules and scope, and give the same decision (verdict, reason, deciding,
applicable and defeated rules) under every interpretation reading (durable-rules.md section 6.5).
Instruments are discovered through the registry, so a new policy file is tested without editing this
module.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator, Mapping
from typing import Any

import pytest
from hypothesis import given

from policyengine import registry
from policyengine.core import conditions, engines
from policyengine.core.evaluation import Evaluator
from policyengine.testing.strategies import scenarios

POLICY_IDS = list(registry.evaluators())
VOCAB = registry.vocabulary()
# The enum and bool fields most rules test; the exhaustive check runs their full cross product.
PRODUCT_FIELDS = ("activity", "mine", "persistence", "location", "purpose", "authorization",
                  "exceptional_circumstances")
MAX_SELECTIONS = 64  # beyond this many reading combinations, vary one interpretation at a time
DAY = dt.timedelta(days=1)


ENGINES = [pytest.param(name, marks=pytest.mark.skipif(
    name == "durable" and engines.durable_missing() is not None,
    reason=f"the durable engine cannot run here: {engines.durable_missing()}")) for name in engines.ENGINES]


def evaluator(policy_id: str, engine: str | None = None) -> Evaluator:
    """The bundled evaluator of one instrument, for `engine` (default: the one chosen at load)."""
    return registry.evaluator(policy_id).with_engine(engine)


def runnable(policy_id: str) -> list[Evaluator]:
    """The bundled evaluator of one instrument for each engine that can run here (the sweeps compare
    them all with one reference computation: the reference does not depend on the engine)."""
    return [evaluator(policy_id, name) for name in engines.ENGINES
            if name != "durable" or engines.durable_missing() is None]


def selections(ev: Evaluator) -> list[dict[str, str]]:
    """Every interpretation selection to test: the default and every non-default reading."""
    names = list(ev.policy.interpretations)
    choices = [list(ev.policy.interpretations[n].readings) for n in names]
    total = 1
    for c in choices:
        total *= len(c)
    if total <= MAX_SELECTIONS:
        combos = [dict(zip(names, combo)) for combo in itertools.product(*choices)]
    else:
        combos = [{**ev.default_selection, name: reading}
                  for name, readings in zip(names, choices) for reading in readings]
    default = dict(ev.default_selection)
    return [default] + [c for c in combos if c != default]


def summary(decision: Any) -> tuple:
    """What the two matchers must agree on."""
    return (decision.verdict, decision.reason, tuple(decision.deciding_rules),
            tuple(decision.applicable_rules), dict(decision.defeated_rules))


def disagreements(evs: list[Evaluator], scenario: Mapping[str, Any], readings: list[dict[str, str]]) -> list[str]:
    """How each engine of `evs` (one instrument) and the reference differ on one complete scenario
    (empty when they agree); the reference is computed once for all of them.

    Decisions are compared under the default reading, and under every other reading when a rule
    that exists only under some reading applies (elsewhere the readings cannot differ; the
    Hypothesis test compares every reading on every example)."""
    out = []
    reference = evs[0].match(scenario, "reference")
    for ev in evs:
        engine = ev.match(scenario, "engine")
        if engine != reference:
            out.append(f"match: {ev.engine} engine {sorted(engine[0])} scope={engine[1]} vs reference "
                       f"{sorted(reference[0])} scope={reference[1]} for {dict(scenario)}")
    tagged = any(evs[0].policy.rules[i].interpretation for i in reference[0])
    for selection in readings if tagged else readings[:1]:
        want = summary(evs[0].evaluate(scenario, selection, matcher="reference"))
        for ev in evs:
            got = summary(ev.evaluate(scenario, selection, matcher="engine"))
            if got != want:
                out.append(f"decision under {selection}: {ev.engine} engine {got} vs reference {want} "
                           f"for {dict(scenario)}")
    return out


def background(ev: Evaluator, flavour: int) -> dict[str, Any]:
    """A complete scenario to fix the fields a sweep does not vary (two flavours: low and high ends)."""
    policy = ev.policy
    last_day = (policy.in_force_to - DAY) if policy.in_force_to else policy.in_force_from + 365 * DAY
    out: dict[str, Any] = {}
    for name, spec in VOCAB.fields.items():
        domain = spec.domain()
        if domain:
            out[name] = domain[0] if flavour == 0 else domain[-1]
        elif spec.type == "integer":
            out[name] = 30 if flavour == 0 else 31
        else:
            out[name] = policy.in_force_from if flavour == 0 else last_day
    return out


def boundary_values(ev: Evaluator) -> dict[str, list[Any]]:
    """For each integer and date field: every bound the instrument tests, and the value either side."""
    policy = ev.policy
    found: dict[str, set[Any]] = {name: set() for name, spec in VOCAB.fields.items() if not spec.domain()}
    if "self_destruct_days" in found:
        found["self_destruct_days"].update((30, 31))
    if "date" in found:
        found["date"].update(d for d in (policy.in_force_from, policy.in_force_to) if d)
        for rule in policy.rules:
            found["date"].update(d for d in (rule.start, rule.end) if d)
    for cond in [policy.scope, *(r.condition for r in policy.rules)]:
        for test in conditions.tests_of(cond):
            if test.field in found:
                found[test.field].update(test.values)
    out = {}
    for name, values in found.items():
        step = DAY if VOCAB.fields[name].type == "date" else 1
        minimum = VOCAB.fields[name].minimum
        around = {v + k * step for v in values for k in (-1, 0, 1)}
        out[name] = sorted(v for v in around if minimum is None or v >= minimum)
    return out


def witnesses(ev: Evaluator, known: Mapping[str, Any], base: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    """Complete scenarios, one per branch of the reference decision tree under `known`, at both ends
    of every integer or date class the branch picks."""
    for leaf in ev.outcomes(known, ev.default_selection):
        low: dict[str, Any] = {}
        high: dict[str, Any] = {}
        for name, index in leaf.path:
            value_class = ev.classes[name][index]
            low[name] = value_class.representative
            high[name] = value_class.high if value_class.high is not None else value_class.representative
        yield {**base, **known, **low}
        if high != low:
            yield {**base, **known, **high}


each_policy = pytest.mark.parametrize("policy_id", POLICY_IDS)
each_engine = pytest.mark.parametrize("engine", ENGINES)


class TestGeneratedScenarios:
    """Hypothesis-generated complete scenarios: engine and reference agree."""

    @each_engine
    @each_policy
    @given(scenario=scenarios())
    def test_engine_agrees_with_reference(self, policy_id: str, engine: str, scenario: dict) -> None:
        """Same rule set and scope, and the same decision under every interpretation reading."""
        ev = evaluator(policy_id, engine)
        assert ev.is_complete(scenario)
        assert ev.match(scenario, "engine") == ev.match(scenario, "reference")
        for selection in selections(ev):
            engine = ev.evaluate(scenario, selection, matcher="engine")
            reference = ev.evaluate(scenario, selection, matcher="reference")
            assert summary(engine) == summary(reference), selection


@pytest.mark.slow
class TestExhaustiveProduct:
    """The full cross product of the enum and bool fields most rules test, other fields fixed."""

    @each_policy
    @pytest.mark.parametrize("flavour", [0, 1])
    def test_cross_product_agrees(self, policy_id: str, flavour: int) -> None:
        """Every engine that runs here agrees with the reference on every combination of the product
        fields, under each reading."""
        evs = runnable(policy_id)
        readings = selections(evs[0])
        base = background(evs[0], flavour)
        fields = [f for f in PRODUCT_FIELDS if f in VOCAB.fields]
        domains = [VOCAB.fields[f].domain() for f in fields]
        problems: list[str] = []
        count = 0
        for combo in itertools.product(*domains):
            scenario = {**base, **dict(zip(fields, combo))}
            problems += disagreements(evs, scenario, readings)
            count += 1
            if len(problems) >= 5:
                break
        assert not problems, "\n".join(problems)
        assert count == len(list(itertools.product(*domains)))


class TestBoundaries:
    """Integer and date bounds: each rule's bound, and the value either side, on every decision branch."""

    @each_policy
    @pytest.mark.slow
    def test_boundaries_agree(self, policy_id: str) -> None:
        """Every engine that runs here agrees with the reference at every tested bound (30/31 days, rule
        and instrument dates, +-1)."""
        evs = runnable(policy_id)
        ev = evs[0]
        readings = selections(ev)
        problems: list[str] = []
        checked = 0
        for field, values in boundary_values(ev).items():
            for value in values:
                for flavour in (0, 1):
                    base = background(ev, flavour)
                    for activity in VOCAB.fields["activity"].domain():
                        for scenario in witnesses(ev, {"activity": activity, field: value}, base):
                            problems += disagreements(evs, scenario, readings)
                            checked += 1
                if len(problems) >= 5:
                    break
        assert not problems, "\n".join(problems[:5])
        assert checked > 0

    @each_policy
    def test_self_destruct_boundary_is_covered(self, policy_id: str) -> None:
        """The boundary sweep includes self_destruct_days 30 and 31 for every instrument."""
        values = boundary_values(evaluator(policy_id))
        assert {30, 31} <= set(values["self_destruct_days"])

    @each_policy
    def test_rule_dates_are_covered(self, policy_id: str) -> None:
        """The boundary sweep includes every rule's from/until date and the day either side."""
        ev = evaluator(policy_id)
        dates = set(boundary_values(ev)["date"])
        for rule in ev.policy.rules:
            for day in (rule.start, rule.end):
                if day is not None:
                    assert {day - DAY, day, day + DAY} <= dates, rule.id
