"""The match memo against the reference: a miss (durable_rules answers) and a hit (the memo answers)
give the reference's decision, on every instrument.

`evaluate` keeps the match set of each complete scenario, keyed by the fact the engine sees with
integers and dates replaced by a representative of their value class. Each example is decided
twice by a fresh evaluator (first a miss, then a hit) and once by a scenario that differs only
inside its value classes (a hit for a different scenario).
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import pytest
from hypothesis import given, settings

from policyengine import registry
from policyengine.core.evaluation import Evaluator
from policyengine.testing.strategies import scenarios

PROFILE = settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
POLICY_IDS = list(registry.evaluators())
JUDGES = {pid: Evaluator(registry.evaluator(pid).policy, registry.vocabulary()) for pid in POLICY_IDS}


def summary(decision: Any) -> tuple:
    """What the paths must agree on."""
    return (decision.verdict, decision.reason, tuple(decision.deciding_rules), tuple(decision.applicable_rules),
            dict(decision.defeated_rules), tuple(f.kind for f in decision.flags))


def same_class(judge: Evaluator, scenario: dict[str, Any]) -> dict[str, Any] | None:
    """Another scenario in the same value classes: each integer and date moved to its class's other end."""
    out = dict(scenario)
    for name, classes in judge.classes.items():
        if name not in out or not judge.vocab.fields[name].type in ("integer", "date"):
            continue
        for value_class in classes:
            if value_class.contains(out[name]):
                other = value_class.high if value_class.high is not None and value_class.high != out[name] \
                    else value_class.low
                if other is not None and value_class.contains(other):
                    out[name] = other
                break
    return out if out != scenario else None


@pytest.mark.parametrize("policy_id", POLICY_IDS)
@settings(PROFILE, max_examples=min(PROFILE.max_examples, 300))
@given(scenario=scenarios())
def test_memo_miss_and_hit_agree_with_the_reference(policy_id: str, scenario: dict[str, Any]) -> None:
    """Miss, hit, and a hit from a same-class scenario all decide like the reference evaluator."""
    judge = JUDGES[policy_id]
    judge._memo.clear()
    judge._fast_memo.clear()
    want = summary(judge.evaluate(scenario, matcher="reference"))
    assert summary(judge.evaluate(scenario)) == want  # miss: durable_rules
    assert summary(judge.evaluate(scenario)) == want  # hit
    other = same_class(judge, scenario)
    if other is not None:
        assert summary(judge.evaluate(other)) == summary(judge.evaluate(other, matcher="reference"))
    for selection in ({**judge.default_selection, name: reading}
                      for name, spec in judge.policy.interpretations.items() for reading in spec.readings):
        expected = summary(judge.evaluate(scenario, selection, matcher="reference"))
        assert summary(judge.evaluate(scenario, selection)) == expected  # the memoised match set, other readings


def test_memo_keys_are_classes() -> None:
    """Two scenarios that differ only within value classes share a memo key; across a bound they do not."""
    judge = JUDGES["trump-2020"]  # tests self_destruct_days against 30
    base = {"activity": "use", "mine": "anti_personnel", "self_destruct_days": 10, "date": dt.date(2023, 1, 1)}
    body = judge.matcher.encoder.body
    assert body(base) == body({**base, "self_destruct_days": 11})
    assert body(base) != body({**base, "self_destruct_days": 31})
