"""The memo of match sets and the bounded caches an Evaluator keeps.

A scenario's memo key is its `activity`, its `mine`, and the value class (the values no test of
the instrument tells apart) of each field the instrument still tests once those two are known, so
scenarios that differ only in fields the instrument cannot read there share one entry. Every cache
follows one size rule: once it holds its limit of entries it is emptied before the next is stored.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from .conditions import FALSE, Condition, fields_of, simplify, test_truth, tests_of
from .vocabulary import Value, Vocabulary

PIVOT = ("activity", "mine")
# entries per cache before it starts over; the memo's entries are about 200 bytes each
LIMITS = {"memo": 8_192, "resolutions": 4_096, "citations": 256, "keys": 4_096, "dates": 4_096}


class Cache(dict):
    """A named dict that follows the one size rule; `stored` counts the entries ever stored (the misses)."""

    __slots__ = ("limit", "name", "stored")

    def __init__(self, name: str, limit: int | None = None) -> None:
        super().__init__()
        self.name = name
        self.limit = LIMITS[name] if limit is None else limit
        self.stored = 0

    def __repr__(self) -> str:
        return f"<Cache {self.name}: {len(self)} of {self.limit}, {self.stored} stored>"

    def put(self, key: Any, value: Any) -> Any:
        """Store `value` under `key` (emptying the cache first when it is full) and return it."""
        if len(self) >= self.limit:
            self.clear()
        self[key] = value
        self.stored += 1
        return value


Classify = Callable[[Value], int]


class Keys:
    """Memo keys for one instrument's scope and rule conditions; `key` raises KeyError for a scenario
    that lacks a field some condition still needs (a partial scenario) or whose pivot is not a value
    of the vocabulary, and KeyError or TypeError for a value of the wrong kind. Where the scope
    cannot hold once activity and mine are known, nothing more is needed: the scenario is out of
    scope whatever else it says."""

    def __init__(self, scope: Condition, rules: Sequence[Condition], vocab: Vocabulary) -> None:
        self._scope = scope
        self._conditions = (scope, *rules)
        self._vocab = vocab
        self._domains = tuple(frozenset(vocab.fields[f].domain()) for f in PIVOT)
        self._classify = _classifiers(self._conditions, vocab)
        self.plans = Cache("keys")

    def key(self, scenario: Mapping[str, Value]) -> tuple:
        """The memo key of a complete scenario."""
        activity, mine = scenario.get("activity"), scenario.get("mine")
        plan = self.plans.get((activity, mine))
        if plan is None:
            plan = self._plan(activity, mine)
        return (activity, mine, *[classify(scenario[name]) for name, classify in plan])

    def needed(self, activity: Any, mine: Any) -> frozenset[str] | None:
        """The fields a scenario with this activity and mine must give for every condition to be
        decided (None for values outside the vocabulary)."""
        try:
            plan = self.plans.get((activity, mine))
            if plan is None:
                plan = self._plan(activity, mine)
        except (KeyError, TypeError):  # a value outside the vocabulary, or unhashable
            return None
        return frozenset(name for name, _ in plan)

    def _plan(self, activity: Any, mine: Any) -> tuple[tuple[str, Classify], ...]:
        if not all(v is None or v in d for v, d in zip((activity, mine), self._domains)):
            raise KeyError((activity, mine))
        known = {k: v for k, v in zip(PIVOT, (activity, mine)) if v is not None}
        if simplify(self._scope, known, self._vocab) == FALSE:
            return self.plans.put((activity, mine), ())
        fields = frozenset().union(*(fields_of(simplify(c, known, self._vocab)) for c in self._conditions))
        plan = tuple((name, self._classify[name]) for name in self._vocab.names if name in fields)
        return self.plans.put((activity, mine), plan)


def _classifiers(conditions: Sequence[Condition], vocab: Vocabulary) -> dict[str, Classify]:
    """For each tested field, the number of the value class a value falls in."""
    tests: dict[str, list] = {}
    for cond in conditions:
        for test in tests_of(cond):
            tests.setdefault(test.field, []).append(test)
    out: dict[str, Classify] = {}
    for name, field_tests in tests.items():
        domain = vocab.fields[name].domain()
        if domain:
            groups: dict[tuple[bool, ...], int] = {}
            table = {v: groups.setdefault(tuple(test_truth(t, v, vocab) for t in field_tests), len(groups))
                     for v in domain}
            out[name] = table.__getitem__
        else:
            out[name] = functools.partial(bisect.bisect_right, _cuts(vocab, name, field_tests))
    return out


def _cuts(vocab: Vocabulary, name: str, tests: list) -> list:
    """The sorted values of an integer or date field at which some test's truth changes."""
    step = 1 if vocab.fields[name].type == "integer" else dt.timedelta(days=1)
    cuts = set()
    for test in tests:
        if test.op == "gte":
            cuts.add(test.values[0])
        elif test.op == "lte":
            cuts.add(test.values[0] + step)
        else:
            cuts.update(v for b in test.values for v in (b, b + step))
    return sorted(cuts)
