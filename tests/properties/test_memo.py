"""The match memo against the reference: a miss (the engine answers) and a hit (the memo answers)
give the reference's decision, on every instrument, under each engine that can run here.

`evaluate` keeps the match set of each complete scenario, keyed by its activity, its mine and the
value class of each field the instrument still tests once those two are known. Each example is
decided twice by a fresh memo (first a miss, then a hit) and once by a scenario that differs only
inside its value classes (a hit for a different scenario).
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from hypothesis import given, settings

from policyengine import registry
from policyengine.core import engines
from policyengine.core.evaluation import Evaluator
from policyengine.testing.strategies import scenarios

pytestmark = pytest.mark.slow  # Hypothesis over every instrument

POLICY_IDS = list(registry.evaluators())
RUNNABLE = [e for e in engines.ENGINES if e == "python" or engines.durable_missing() is None]
JUDGES = {(pid, e): Evaluator(registry.evaluator(pid).policy, registry.vocabulary(), engine=e)
          for pid in POLICY_IDS for e in RUNNABLE}


# a complete scenario for trump-2020 once self_destruct_days is given
USE_2021 = {"activity": "use", "mine": "anti_personnel", "persistence": "non_persistent", "location": "elsewhere",
            "authorization": "secretary_of_defense", "exceptional_circumstances": True, "detectable": True,
            "delivery": "remote", "compliant_sd_sda": False, "plan_approved_by_secdef": True,
            "date": dt.date(2021, 3, 1)}


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


@pytest.mark.parametrize("engine", RUNNABLE)
@pytest.mark.parametrize("policy_id", POLICY_IDS)
@settings(max_examples=max(1, settings.default.max_examples * 3 // 20))  # 300 under 'thorough'
@given(scenario=scenarios())
def test_memo_miss_and_hit_agree_with_the_reference(policy_id: str, engine: str, scenario: dict[str, Any]) -> None:
    """Miss, hit, and a hit from a same-class scenario all decide like the reference evaluator."""
    judge = JUDGES[(policy_id, engine)]
    judge.memo.clear()
    want = summary(judge.evaluate(scenario, matcher="reference"))
    assert summary(judge.evaluate(scenario)) == want  # miss: the engine
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
    judge = JUDGES[("trump-2020", "python")]  # tests self_destruct_days against 30
    base = {**USE_2021, "self_destruct_days": 10}
    key = judge.keys.key
    assert key(base) == key({**base, "self_destruct_days": 11})
    assert key(base) != key({**base, "self_destruct_days": 31})


def test_memo_keys_skip_fields_the_instrument_no_longer_reads() -> None:
    """Once activity and mine are known, a field no remaining test reads is not part of the key."""
    judge = JUDGES[("biden-2022", "python")]
    assert judge.keys.needed("develop", "anti_personnel") == frozenset()  # B22-1 bars it whatever else is said
    assert judge.keys.needed("retain", "anti_personnel") == {"purpose"}
    assert judge.keys.needed("retain", "anti_vehicle") == frozenset()  # outside biden-2022's scope
    develop = {"activity": "develop", "mine": "anti_personnel", "date": dt.date(2023, 1, 1)}
    assert judge.keys.key({**develop, "purpose": "combat"}) == judge.keys.key({**develop, "purpose": "training"})


def test_memo_is_bounded() -> None:
    """The memo never holds more than its limit: when full it starts over, and decisions stay right."""
    judge = Evaluator(registry.evaluator("clinton-1996").policy, registry.vocabulary(), engine="python")
    judge.memo.limit = 8
    vocab = judge.vocab
    every = {name: (spec.domain() or ((10,) if spec.type == "integer" else (dt.date(1997, 3, 1),)))[0]
             for name, spec in vocab.fields.items()}  # a complete scenario: every field given
    fields = {name: vocab.fields[name].domain() for name in ("activity", "mine", "location", "purpose")}
    seen = set()
    for combo in itertools.product(*fields.values()):
        valid = vocab.validate(vocab.repair({**every, **dict(zip(fields, combo))}))
        seen.add(judge.keys.key(valid))
        assert summary(judge.evaluate(valid)) == summary(judge.evaluate(valid, matcher="reference"))
        assert len(judge.memo) <= 8
    assert len(seen) > 8 and judge.memo.stored >= len(seen)
