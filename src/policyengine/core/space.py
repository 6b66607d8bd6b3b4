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

from .conditions import (
    FALSE,
    TRUE,
    All,
    Any_,
    Condition,
    Test,
    evaluate,
    fields_of,
    simplify,
    test_truth,
    tests_of,
)
from .decision import Residual
from .errors import ScenarioError
from .model import Policy, Rule
from .semantics import Outcome, combine
from .vocabulary import Value, Vocabulary

MAX_LEAVES = 20_000
MAX_CELLS = 200_000


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
    return joint_partitions((policy,), vocab)


def joint_partitions(policies: Sequence[Policy], vocab: Vocabulary) -> dict[str, tuple[ValueClass, ...]]:
    """For each field any of the instruments tests, the classes of values none of them tells apart
    (dates within the span of their periods of force)."""
    tests: dict[str, list[Test]] = {}
    for policy in policies:
        for cond in [policy.scope] + [r.condition for r in policy.rules]:
            for test in tests_of(cond):
                tests.setdefault(test.field, []).append(test)
    ends = [p.in_force_to for p in policies]
    window = (min(p.in_force_from for p in policies),
              None if None in ends else max(e for e in ends if e is not None) - dt.timedelta(days=1))
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


def _volume(box: Box) -> int:
    volume = 1
    for chosen in box.values():
        volume *= len(chosen)
    return volume


def _next(value: Value) -> Value:
    return value + (dt.timedelta(days=1) if isinstance(value, dt.date) else 1)


# --- the space over several instruments --------------------------------------------------------

Box = Mapping[str, frozenset[int]]  # field -> indices of its classes; a field left out takes any value


@attrs.frozen
class Cell:
    """A region of the scenario space (a box of value classes) on which each instrument gives one outcome."""

    box: Box = attrs.field(eq=False)
    outcomes: tuple[Outcome, ...]


class Space:
    """The scenario space over one or several instruments: their joint value classes, and the cells
    on which every instrument's answer is fixed. `fixed` pins fields (a date, say) for every cell."""

    def __init__(self, policies: Sequence[Policy], vocab: Vocabulary,
                 selections: Sequence[Mapping[str, str]] | None = None,
                 fixed: Mapping[str, Value] | None = None) -> None:
        self.policies = tuple(policies)
        self.vocab = vocab
        self.fixed = dict(fixed or {})
        chosen = selections or [p.default_selection for p in self.policies]
        self.rules = tuple(tuple(r for r in p.rules if r.holds_under(sel)) for p, sel in zip(self.policies, chosen))
        self.classes = {f: c for f, c in joint_partitions(self.policies, vocab).items() if f not in self.fixed}
        self.fields = tuple(f for f in vocab.names if f in self.classes)
        self._cells: tuple[Cell, ...] | None = None
        self._possible_cache: dict[tuple, bool] = {}
        self._masks: dict[str, list[int]] | None = None

    @property
    def cells(self) -> tuple[Cell, ...]:
        """Every cell, in the order of the decision tree (fields split in vocabulary order)."""
        if self._cells is None:
            self._cells = tuple(self._walk())
        return self._cells

    def _walk(self) -> list[Cell]:
        vocab, order = self.vocab, {name: i for i, name in enumerate(self.vocab.names)}
        combined: dict[tuple[int, bool, tuple[str, ...]], Outcome] = {}

        def pend(cond: Condition) -> tuple[Condition, frozenset[str]]:
            cond = simplify(cond, self.fixed, vocab)
            return cond, fields_of(cond)

        start = tuple((pend(p.scope), tuple((r, *pend(r.condition)) for r in rules))
                      for p, rules in zip(self.policies, self.rules))
        cells: list[Cell] = []

        def leaf(state: tuple, box: dict[str, frozenset[int]]) -> None:
            if not self._possible(box):  # every scenario of the cell states a contradiction
                return
            outcomes = []
            for i, ((scope, _), pending) in enumerate(state):
                in_scope = scope == TRUE
                applicable = tuple(r for r, c, _ in pending if c == TRUE) if in_scope else ()
                key = (i, in_scope, tuple(r.id for r in applicable))
                if key not in combined:
                    combined[key] = combine(self.policies[i], applicable, in_scope)
                outcomes.append(combined[key])
            cells.append(Cell(dict(box), tuple(outcomes)))

        def restrict(state: tuple, name: str, value: Value) -> tuple:
            known = {name: value}
            out = []
            for (scope, scope_fields), pending in state:
                if name in scope_fields:
                    scope, scope_fields = pend_known(scope, known)
                out.append(((scope, scope_fields),
                            tuple((r, *pend_known(c, known)) if name in fs else (r, c, fs) for r, c, fs in pending)))
            return tuple(out)

        def pend_known(cond: Condition, known: Mapping[str, Value]) -> tuple[Condition, frozenset[str]]:
            cond = simplify(cond, known, vocab)
            return cond, fields_of(cond)

        def walk(state: tuple, box: dict[str, frozenset[int]]) -> None:
            open_fields: set[str] = set()
            for (scope, scope_fields), pending in state:
                open_fields |= scope_fields
                if scope != FALSE:
                    for _, _, fs in pending:
                        open_fields |= fs
            if not open_fields:
                leaf(state, box)
                return
            name = min(open_fields, key=order.__getitem__)
            branches: dict[tuple, list[int]] = {}
            states: dict[tuple, tuple] = {}
            for index, value_class in enumerate(self.classes[name]):
                after = restrict(state, name, value_class.representative)
                key = tuple((sc, tuple(c for _, c, _ in pending)) for (sc, _), pending in after)
                branches.setdefault(key, []).append(index)
                states.setdefault(key, after)
            for key, indices in branches.items():
                walk(states[key], {**box, name: frozenset(indices)})
            if len(cells) > MAX_CELLS:
                raise ScenarioError(f"the space of {', '.join(p.id for p in self.policies)} has more than "
                                    f"{MAX_CELLS:,} cells", hint="fix more fields (a date, an activity)")

        walk(start, {})
        return cells

    # --- boxes of cells ---------------------------------------------------------------------

    def full(self, name: str) -> frozenset[int]:
        """Every class index of a field."""
        return frozenset(range(len(self.classes[name])))

    def _field_masks(self) -> dict[str, list[int]]:
        if self._masks is None:
            masks = {f: [0] * len(self.classes[f]) for f in self.fields}
            for bit, cell in enumerate(self.cells):
                for f in self.fields:
                    for c in cell.box.get(f, range(len(self.classes[f]))):
                        masks[f][c] |= 1 << bit
            self._masks = masks
        return self._masks

    def within(self, box: Box) -> int:
        """The cells (a bit per cell, in `cells` order) that meet the box."""
        masks = self._field_masks()
        found = (1 << len(self.cells)) - 1
        for f, chosen in box.items():
            if len(chosen) < len(self.classes[f]):
                union = 0
                for c in chosen:
                    union |= masks[f][c]
                found &= union
        return found

    def inside(self, box: Box) -> int:
        """The cells (a bit per cell) that lie wholly inside the box."""
        masks = self._field_masks()
        found = (1 << len(self.cells)) - 1
        for f, chosen in box.items():
            for c in range(len(self.classes[f])):
                if c not in chosen:
                    found &= ~masks[f][c]
        return found

    def maximal_boxes(self, group: int) -> list[dict[str, frozenset[int]]]:
        """Cover the cells of `group` (a bit per cell) with boxes that meet only cells of the group and
        of which no field's set of values can be widened; each box grows from a part not yet covered."""
        uncovered = [self._full_box(self.cells[bit].box) for bit in range(len(self.cells)) if group >> bit & 1]
        boxes: list[dict[str, frozenset[int]]] = []
        while uncovered:
            box = dict(uncovered[0])
            for f in self.fields:
                for c in range(len(self.classes[f])):
                    if c not in box[f]:
                        trial = {**box, f: box[f] | {c}}
                        if self.within(trial) & ~group == 0:
                            box = trial
            boxes.append(box)
            uncovered = [piece for part in uncovered for piece in self._minus(part, box)]
        return self._irredundant(boxes)

    def _full_box(self, box: Box) -> dict[str, frozenset[int]]:
        return {f: box.get(f, self.full(f)) for f in self.fields}

    def _minus(self, box: Box, other: Box) -> list[dict[str, frozenset[int]]]:
        """`box` less `other`, as disjoint boxes."""
        if any(not (box[f] & other[f]) for f in self.fields):
            return [dict(box)]
        pieces, rest = [], dict(box)
        for f in self.fields:
            outside = rest[f] - other[f]
            if outside:
                pieces.append({**rest, f: outside})
                rest[f] = rest[f] & other[f]
        return pieces

    def _irredundant(self, boxes: list[dict[str, frozenset[int]]]) -> list[dict[str, frozenset[int]]]:
        """Drop each box (smallest first) that the boxes kept cover between them."""
        keep = list(range(len(boxes)))
        for i in sorted(keep, key=lambda k: _volume(boxes[k])):
            left = [boxes[i]]
            for j in keep:
                if j != i:
                    left = [piece for part in left for piece in self._minus(part, boxes[j])]
            if not left:
                keep.remove(i)
        return [boxes[i] for i in keep]

    def witness(self, box: Box) -> dict[str, Value]:
        """A scenario inside the box: the fixed fields and, for every field of the space, a representative;
        where the first representatives state a contradiction of the vocabulary, other classes of the box."""
        scenario = dict(self.fixed)
        for f in self.fields:
            chosen = box.get(f)
            scenario[f] = self.classes[f][min(chosen) if chosen else 0].representative
        if self.vocab.contradiction(scenario) is None:
            return scenario
        involved = [f for f in self.fields
                    if any(f in (c.first.field, c.second.field) for c in self.vocab.contradictions)]
        options = [sorted(box.get(f) or range(len(self.classes[f]))) for f in involved]
        for combo in itertools.product(*options):
            trial = {**scenario, **{f: self.classes[f][i].representative for f, i in zip(involved, combo)}}
            if self.vocab.contradiction(trial) is None:
                return trial
        for c in self.vocab.contradictions:  # a fact that no value of it makes consistent is left out
            if c.second.value is None and c.holds(scenario) \
                    and len(box.get(c.second.field) or self.full(c.second.field)) == len(self.classes[c.second.field]):
                scenario.pop(c.second.field)
        return scenario

    def _possible(self, box: Box) -> bool:
        """False when every choice of classes in the box states a contradiction that a value (not the
        mere presence of a field, which a scenario may leave out) makes."""
        valued = [c for c in self.vocab.contradictions if c.second.value is not None]
        involved = sorted({f for c in valued for f in (c.first.field, c.second.field) if f in self.classes})
        if not valued or not involved:
            return True
        key = tuple(box.get(f) for f in involved)
        if key not in self._possible_cache:
            options = [sorted(box.get(f) or range(len(self.classes[f]))) for f in involved]
            self._possible_cache[key] = any(
                not any(c.holds(s) for c in valued)
                for s in ({**self.fixed, **{f: self.classes[f][i].representative for f, i in zip(involved, combo)}}
                          for combo in itertools.product(*options)))
        return self._possible_cache[key]

    def conditions(self, box: Box) -> tuple[Condition, ...]:
        """The box as a conjunction of set-valued conditions, one per field it narrows."""
        return tuple(condition_of_classes(self.vocab, f, self.classes[f], box[f]) for f in self.fields
                     if f in box and len(box[f]) < len(self.classes[f]))
