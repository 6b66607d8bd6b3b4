"""The scenario space of an instrument: classes of values its conditions cannot tell apart, and the
partial-evaluation tree that splits a scenario's open fields on them until every rule is decided.

Every analysis that ranges over scenarios (partial evaluation, diff, checks, coverage, claims)
iterates here rather than over raw values.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping, Sequence

import attrs

from .conditions import TRUE, All, Any_, Condition, Test, evaluate, fields_of, simplify, test_truth, tests_of
from .decision import Residual
from .errors import ScenarioError
from .model import Policy, Rule
from .semantics import Outcome, combine
from .vocabulary import Value, Vocabulary

MAX_LEAVES = 20_000


@attrs.frozen
class ValueClass:
    """Values of one field that no condition of the instrument tells apart."""

    representative: Value
    values: tuple[Value, ...] = ()  # enum and bool fields
    low: Value = None  # integer and date fields: inclusive bounds, None = unbounded
    high: Value = None

    def contains(self, value: Value) -> bool:
        """True when `value` belongs to this class."""
        if self.values:
            return value in self.values
        return (self.low is None or value >= self.low) and (self.high is None or value <= self.high)


def partitions(policy: Policy, vocab: Vocabulary) -> dict[str, tuple[ValueClass, ...]]:
    """For each field the instrument tests, its classes of indistinguishable values."""
    conds = [policy.scope] + [r.condition for r in policy.rules]
    tests: dict[str, list[Test]] = {}
    for cond in conds:
        for test in tests_of(cond):
            tests.setdefault(test.field, []).append(test)
    window = (policy.in_force_from,
              policy.in_force_to - dt.timedelta(days=1) if policy.in_force_to else None)
    return {name: _classes(vocab, name, field_tests, window) for name, field_tests in tests.items()}


def _classes(vocab: Vocabulary, name: str, tests: list[Test], window: tuple) -> tuple[ValueClass, ...]:
    spec = vocab.fields[name]
    domain = spec.domain()
    if domain:
        groups: dict[tuple[bool, ...], list[Value]] = {}
        for value in domain:
            groups.setdefault(tuple(test_truth(t, value, vocab) for t in tests), []).append(value)
        return tuple(ValueClass(vals[0], tuple(vals)) for vals in groups.values())
    step = dt.timedelta(days=1) if spec.type == "date" else 1
    cuts = set()
    for test in tests:
        bound = test.values
        if test.op == "gte":
            cuts.add(bound[0])
        elif test.op == "lte":
            cuts.add(bound[0] + step)
        else:
            cuts.update(v for b in bound for v in (b, b + step))
    floor = spec.minimum if spec.type == "integer" else None
    lows: list[Value] = [floor, *sorted(c for c in cuts if floor is None or c > floor)]
    classes = []
    for low, nxt in itertools.zip_longest(lows, lows[1:]):
        high = nxt - step if nxt is not None else None
        if spec.type == "date":
            first, last = window
            if (high is not None and high < first) or (last is not None and low is not None and low > last):
                continue
            rep = max(low, first) if low is not None else first
        else:
            rep = low if low is not None else (high if high is not None else 0)
        classes.append(ValueClass(rep, (), low, high))
    return tuple(classes)


@attrs.frozen
class Leaf:
    """One branch of the decision tree: the classes chosen for the open fields, and the outcome."""

    path: tuple[tuple[str, int], ...]
    outcome: Outcome


def explore(policy: Policy, rules: Sequence[Rule], scenario: Mapping[str, Value], vocab: Vocabulary,
            classes: Mapping[str, tuple[ValueClass, ...]]) -> list[Leaf]:
    """Split on the open fields the rules need until every rule is decided; one leaf per branch."""
    order = {name: i for i, name in enumerate(vocab.names)}
    leaves: list[Leaf] = []

    def walk(known: dict[str, Value], path: tuple[tuple[str, int], ...]) -> None:
        open_fields: set[str] = set()
        scope = evaluate(policy.scope, known, vocab)
        if scope is None:
            open_fields |= fields_of(simplify(policy.scope, known, vocab))
        applicable = []
        if scope is not False:
            for rule in rules:
                truth = evaluate(rule.condition, known, vocab)
                if truth is None:
                    open_fields |= fields_of(simplify(rule.condition, known, vocab))
                elif truth:
                    applicable.append(rule)
        if not open_fields:
            leaves.append(Leaf(path, combine(policy, applicable, bool(scope))))
            if len(leaves) > MAX_LEAVES:
                raise ScenarioError(
                    f"the scenario leaves too much open to list every outcome under {policy.id}",
                    hint="give more fields, at least activity and mine",
                )
            return
        name = min(open_fields, key=order.__getitem__)
        for index, value_class in enumerate(classes[name]):
            walk({**known, name: value_class.representative}, path + ((name, index),))

    walk(dict(scenario), ())
    return leaves


def residuals(leaves: Sequence[Leaf], classes: Mapping[str, tuple[ValueClass, ...]],
              vocab: Vocabulary) -> tuple[Residual, ...]:
    """Group the leaves by outcome and state, for each, the simplest conditions under which it holds."""
    grouped: dict[tuple, list[dict[str, frozenset[int]]]] = {}
    outcomes: dict[tuple, Outcome] = {}
    for leaf in leaves:
        grouped.setdefault(leaf.outcome.key, []).append({f: frozenset((i,)) for f, i in leaf.path})
        outcomes.setdefault(leaf.outcome.key, leaf.outcome)
    out = []
    for key, paths in grouped.items():
        merged = _merge(paths, classes)
        when = tuple(tuple(condition_of_classes(vocab, f, classes[f], chosen) for f, chosen in
                           sorted(path.items(), key=lambda kv: vocab.names.index(kv[0])))
                     for path in merged)
        outcome = outcomes[key]
        out.append(Residual(outcome.verdict, outcome.deciding, when, outcome.reason))
    return tuple(out)


def _merge(paths: list[dict[str, frozenset[int]]],
           classes: Mapping[str, tuple[ValueClass, ...]]) -> list[dict[str, frozenset[int]]]:
    paths = [dict(p) for p in paths]
    changed = True
    while changed:
        changed = False
        for i, j in itertools.combinations(range(len(paths)), 2):
            a, b = paths[i], paths[j]
            if a.keys() != b.keys():
                continue
            differing = [f for f in a if a[f] != b[f]]
            if len(differing) <= 1:
                if differing:
                    a[differing[0]] = a[differing[0]] | b[differing[0]]
                del paths[j]
                changed = True
                break
        for path in paths:
            for name in [f for f, chosen in path.items() if len(chosen) == len(classes[f])]:
                del path[name]
    unique: list[dict[str, frozenset[int]]] = []
    for path in paths:
        if not any(_covers(other, path) for other in unique):
            unique = [u for u in unique if not _covers(path, u)] + [path]
    return unique


def _covers(general: dict[str, frozenset[int]], specific: dict[str, frozenset[int]]) -> bool:
    return all(f in specific and specific[f] <= chosen for f, chosen in general.items())


def condition_of_classes(vocab: Vocabulary, name: str, field_classes: tuple[ValueClass, ...],
               chosen: frozenset[int]) -> Condition:
    """The chosen classes of a field's values as one condition (ranges for ordered fields)."""
    spec = vocab.fields[name]
    picked = [field_classes[i] for i in sorted(chosen)]
    if spec.domain():
        values = tuple(v for v in spec.domain() if any(v in c.values for c in picked))
        if spec.ordered and len(values) > 1:
            positions = [spec.rank(v) for v in values]
            contiguous = positions == list(range(positions[0], positions[-1] + 1))
            if contiguous and positions[-1] == len(spec.values) - 1:
                return Test(name, "gte", (values[0],))
            if contiguous and positions[0] == 0:
                return Test(name, "lte", (values[-1],))
        return Test(name, "in", values)
    ranges: list[list[Value]] = []
    for c in sorted(picked, key=lambda c: (c.low is not None, c.low)):
        if ranges and ranges[-1][1] is not None and c.low is not None and _next(ranges[-1][1]) == c.low:
            ranges[-1][1] = c.high
        else:
            ranges.append([c.low, c.high])
    parts: list[Condition] = []
    for low, high in ranges:
        bounds = ([Test(name, "gte", (low,))] if low is not None and low != spec.minimum else []) + \
                 ([Test(name, "lte", (high,))] if high is not None else [])
        parts.append(bounds[0] if len(bounds) == 1 else All(tuple(bounds)) if bounds else TRUE)
    return parts[0] if len(parts) == 1 else Any_(tuple(parts))


def _next(value: Value) -> Value:
    return value + (dt.timedelta(days=1) if isinstance(value, dt.date) else 1)
