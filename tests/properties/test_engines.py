"""The two engines give one answer: every instrument decided under durable and python must agree on
verdict, reason, deciding, applicable and defeated rules, residual, flags and trace.

Compared on every case of the scenario suites (with its readings), on Hypothesis scenarios complete
and partial under every reading, and on a sweep of each instrument's value classes. Where
durable_rules is missing the whole module skips, saying why (the python engine is then checked
against the reference evaluator by test_differential and test_memo).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import policyengine as pe
from policyengine import registry
from policyengine.core import engines
from policyengine.core.evaluation import Evaluator
from policyengine.testing.strategies import scenarios
from policyengine.testing.suites import all_cases

if engines.durable_missing():
    pytest.skip(f"comparing the engines needs both: {engines.durable_missing()}", allow_module_level=True)

POLICY_IDS = list(registry.evaluators())
CASES = all_cases(pe.bundled())


def judges(policy_id: str) -> tuple[Evaluator, Evaluator]:
    """The durable and the python evaluator of one bundled instrument."""
    judge = registry.evaluator(policy_id)
    return judge.with_engine("durable"), judge.with_engine("python")


def everything(decision: pe.Decision) -> tuple:
    """All a decision says: its dict form (verdict, rules, residual, flags, sources) and its trace."""
    return decision.to_dict(), [row.to_dict() for row in decision.trace]


def agree(policy_id: str, scenario: Mapping[str, Any], interpretation: Mapping[str, str] | None = None,
          matcher: str = "auto") -> None:
    """Both engines decide the scenario identically."""
    durable, python = judges(policy_id)
    valid = durable.vocab.validate(scenario)
    assert everything(python.evaluate(valid, interpretation, matcher)) == \
        everything(durable.evaluate(valid, interpretation, matcher)), (policy_id, dict(valid), interpretation)


def readings(policy_id: str) -> list[dict[str, str] | None]:
    """The default readings and each other reading of every interpretation."""
    policy = registry.evaluator(policy_id).policy
    return [None] + [{name: r} for name, spec in policy.interpretations.items() for r in spec.readings]


@pytest.mark.parametrize("case", CASES, ids=[f"{c.policy}:{c.label}" for c in CASES])
def test_every_suite_case(case: Any) -> None:
    """Each case of the scenario suites, with its readings, through the memo and without it."""
    agree(case.policy, case.fields, case.interpretation or None)
    agree(case.policy, case.fields, case.interpretation or None, matcher="engine")


@pytest.mark.parametrize("policy_id", POLICY_IDS)
# each example builds 2 traces per reading: 3/100 of the profile's examples, 60 under 'thorough'
@settings(max_examples=max(1, settings.default.max_examples * 3 // 100))
@given(scenario=scenarios(), data=st.data())
def test_generated_scenarios(policy_id: str, scenario: dict[str, Any], data: st.DataObject) -> None:
    """A complete scenario under each reading, and the scenario with one or two fields left open."""
    dropped = data.draw(st.sets(st.sampled_from(sorted(scenario)), min_size=1, max_size=2), label="left open")
    for interpretation in readings(policy_id):
        agree(policy_id, scenario, interpretation)
    agree(policy_id, {k: v for k, v in scenario.items() if k not in dropped})


@pytest.mark.parametrize("policy_id", POLICY_IDS)
def test_every_value_class_of_the_first_fields(policy_id: str) -> None:
    """One scenario per class of activity, mine and the fields the instrument then still needs."""
    durable, _ = judges(policy_id)
    vocab = durable.vocab
    base = {name: (spec.domain() or (30,))[0] for name, spec in vocab.fields.items() if spec.type != "date"}
    base["date"] = durable.policy.in_force_from
    count = 0
    for activity, mine in itertools.product(vocab.fields["activity"].domain(), vocab.fields["mine"].domain()):
        needed = sorted(durable.keys.needed(activity, mine) or ())
        options = [[c.representative for c in durable.classes.get(f, ())] or [base[f]] for f in needed]
        for combo in itertools.islice(itertools.product(*options), 200):
            agree(policy_id, vocab.repair({**base, "activity": activity, "mine": mine, **dict(zip(needed, combo))}))
            count += 1
    assert count >= len(vocab.fields["activity"].domain()) * len(vocab.fields["mine"].domain())
