"""The pure-Python production matcher: which of a set of named conditions hold for a complete
scenario, with no C extension.

It is built from the same named conditions as the durable_rules ruleset (`engine.engine_conditions`:
the scope, then every rule version), in the same negation normal form, and like durable_rules it
only answers "which hold?"; `semantics` decides what they mean. For each pair of `activity` and
`mine` it folds every condition on those two values once (`conditions.simplify`), drops the ones
that cannot hold, and compiles the rest to closures, so a decision tests only what is still open.
A test on a field the scenario lacks is false, as in durable_rules.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence

from .conditions import FALSE, TRUE, All, Any_, Condition, Not, Test, negation_normal_form, simplify, test_truth
from .vocabulary import Value, Vocabulary

PIVOT = ("activity", "mine")  # the fields every instrument tests first
Check = Callable[[Mapping[str, Value]], bool]
_MISSING = object()


class PythonMatcher:
    """Names of the conditions that hold for a scenario, in priority order; safe to share between threads."""

    def __init__(self, conditions: Sequence[tuple[str, Condition]], vocab: Vocabulary) -> None:
        self._conditions = tuple(conditions)
        self._vocab = vocab
        self._pivot = tuple(f for f in PIVOT if f in vocab.fields)
        self._domains = tuple(frozenset(vocab.fields[f].domain()) for f in self._pivot)
        self._plans: dict[tuple, tuple[tuple[str, Check], ...]] = {}
        self._lock = threading.Lock()

    def match(self, scenario: Mapping[str, Value]) -> list[str]:
        """Names of the conditions that hold, in priority order, each once."""
        key = tuple(scenario.get(f) for f in self._pivot)
        plan = self._plans.get(key)
        if plan is None:
            plan = self._plan(key)
        return [name for name, holds in plan if holds(scenario)]

    def close(self) -> None:
        """Nothing to release (the durable matcher frees its C ruleset here); for a common interface."""

    def _plan(self, key: tuple) -> tuple[tuple[str, Check], ...]:
        """The conditions that can still hold once the pivot fields have these values, compiled."""
        known = {f: v for f, v in zip(self._pivot, key) if v is not None}
        plan = []
        for name, cond in self._conditions:
            folded = simplify(cond, known, self._vocab)
            if folded != FALSE:
                plan.append((name, _always if folded == TRUE else compile_check(folded, self._vocab)))
        out = tuple(plan)
        if all(v is None or v in d for v, d in zip(key, self._domains)):  # a bounded set of keys
            with self._lock:
                self._plans.setdefault(key, out)
        return out


def _always(scenario: Mapping[str, Value]) -> bool:
    return True


def compile_check(cond: Condition, vocab: Vocabulary) -> Check:
    """One condition as a closure over a scenario (negations pushed to the leaves first)."""
    return _compiled(negation_normal_form(cond), vocab)


def _compiled(cond: Condition, vocab: Vocabulary) -> Check:
    if isinstance(cond, Test):
        return _leaf(cond, vocab, negate=False)
    if isinstance(cond, Not):  # only an ordered test is left under Not in negation normal form
        assert isinstance(cond.part, Test)
        return _leaf(cond.part, vocab, negate=True)
    assert isinstance(cond, (All, Any_))
    parts = tuple(_compiled(p, vocab) for p in cond.parts)
    if len(parts) == 1:
        return parts[0]
    if isinstance(cond, All):
        return lambda s: all(p(s) for p in parts)
    return lambda s: any(p(s) for p in parts)


def _leaf(test: Test, vocab: Vocabulary, negate: bool) -> Check:
    """A test as a closure: membership in the values that pass for a finite field, else a comparison."""
    field = test.field
    domain = vocab.fields[field].domain()
    if domain:
        passing = frozenset(v for v in domain if test_truth(test, v, vocab) != negate)
        return lambda s: s.get(field, _MISSING) in passing
    if test.op in ("in", "not_in"):
        values = frozenset(test.values)
        inside = (test.op == "in") != negate
        return lambda s: (v := s.get(field, _MISSING)) is not _MISSING and (v in values) == inside
    bound = test.values[0]
    if test.op == "gte":
        if negate:
            return lambda s: (v := s.get(field, _MISSING)) is not _MISSING and v < bound
        return lambda s: (v := s.get(field, _MISSING)) is not _MISSING and v >= bound
    if negate:
        return lambda s: (v := s.get(field, _MISSING)) is not _MISSING and v > bound
    return lambda s: (v := s.get(field, _MISSING)) is not _MISSING and v <= bound
