"""What would change the answer: the smallest sets of field changes that give another verdict.

The search runs over the classes of values the instrument tells apart (one representative each)
of every field but `activity` (changing the activity asks another question),
single fields first; pairs only when no single change alters the verdict, and then only pairs
neither of whose changes alters it alone. It is bounded and deterministic (vocabulary order).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

import attrs

from ..core.conditions import Condition, describe
from ..core.decision import Decision
from ..core.evaluation import Evaluator
from ..core.outcomes import Verdict
from ..core.space import condition_of_classes
from ..core.vocabulary import Value, show_value
from ..core.words import verdict_words
from .why import open_facts

MAX_PAIRS = 3000
FIXED = frozenset({"activity"})


@attrs.frozen
class Change:
    """Set `field` to one of `values` (the engine tries `applied`, a representative)."""

    field: str
    values: tuple[Value, ...]
    applied: Value
    condition: Condition
    classes: frozenset[int] = frozenset()

    def words(self) -> str:
        """`location were korean_dmz, south_korea or north_korea`, or `self_destruct_days <= 30`."""
        if self.values:
            shown = [show_value(v) for v in self.values]
            return f"{self.field} were " + (", ".join(shown[:-1]) + " or " + shown[-1] if len(shown) > 1 else shown[0])
        return describe(self.condition)


@attrs.frozen
class Counterfactual:
    """A set of changes and the decision it would give."""

    changes: tuple[Change, ...]
    decision: Decision

    def words(self) -> str:
        """`it would be permitted by B22-6 if location were korean_dmz or south_korea`."""
        rules = f" by {', '.join(self.decision.deciding_rules)}" if self.decision.deciding_rules else ""
        when = " and ".join(c.words() for c in self.changes)
        if self.decision.verdict == Verdict.CONDITIONAL:
            return f"it would depend on {open_facts(self.decision)} if {when}"
        return f"it would be {verdict_words(self.decision.verdict, self.decision.reason)}{rules} if {when}"

    def to_dict(self) -> dict:
        """JSON-ready form."""
        return {"changes": [{"field": c.field, "values": [show_value(v) for v in c.values], "applied": show_value(c.applied),
                             "condition": describe(c.condition)} for c in self.changes],
                "verdict": self.decision.verdict, "reason": self.decision.reason,
                "deciding_rules": list(self.decision.deciding_rules), "text": self.words()}


def candidate_changes(judge: Evaluator, scenario: dict) -> list[Change]:
    """One change per class of values the instrument distinguishes, other than the scenario's own."""
    out = []
    for name in judge.vocab.names:
        classes = judge.classes.get(name)
        if not classes or name in FIXED or (name == "date" and "date" not in scenario):
            continue
        for index, value_class in enumerate(classes):
            if name in scenario and value_class.contains(scenario[name]):
                continue
            chosen = frozenset((index,))
            out.append(Change(name, value_class.values, value_class.representative,
                              condition_of_classes(judge.vocab, name, classes, chosen), chosen))
    return out


def counterfactuals(decision: Decision, judge: Evaluator) -> tuple[Counterfactual, ...]:
    """The smallest sets of possible changes (one field, else two) under which the verdict differs.

    A change the vocabulary forbids beside the scenario's other facts (a self-destruct time over 30
    days for a design stated compliant) is offered only together with a change of the fact it
    contradicts; a counterfactual never describes an impossible scenario."""
    scenario = dict(decision.scenario)
    candidates = candidate_changes(judge, scenario)

    def attempt(changes: tuple[Change, ...]) -> Decision | None:
        trial = {**scenario, **{c.field: c.applied for c in changes}}
        if judge.vocab.contradiction(trial) is not None:
            return None
        return judge.evaluate(trial, decision.interpretation)

    singles, repaired = [], []
    for change in candidates:
        result = attempt((change,))
        if result is None:
            repaired += _repaired(change, candidates, attempt, decision, judge)
        elif result.verdict != decision.verdict:
            singles.append(Counterfactual((change,), result))
    if singles or repaired:
        return _merge(singles, judge) + tuple(repaired)
    pairs = []
    for a, b in itertools.islice(((a, b) for a, b in itertools.combinations(candidates, 2) if a.field != b.field),
                                 MAX_PAIRS):
        result = attempt((a, b))
        if result is not None and result.verdict != decision.verdict:
            pairs.append(Counterfactual((a, b), result))
    return tuple(pairs)


def _repaired(change: Change, candidates: list[Change], attempt: Callable[[tuple[Change, ...]], Decision | None],
              decision: Decision, judge: Evaluator) -> list[Counterfactual]:
    """`change` paired with a change of the fact it contradicts, when the pair changes the verdict and
    the partner alone does not (else the partner is the smaller counterfactual)."""
    clash = judge.vocab.contradiction({**decision.scenario, change.field: change.applied})
    named = {clash.first.field, clash.second.field} - {change.field} if clash else set()
    for partner in (c for c in candidates if c.field in named):
        alone = attempt((partner,))
        if alone is None or alone.verdict == decision.verdict:
            result = attempt((change, partner))
            if result is not None and result.verdict != decision.verdict:
                return [Counterfactual((change, partner), result)]
    return []


def _merge(found: list[Counterfactual], judge: Evaluator) -> tuple[Counterfactual, ...]:
    """Join single changes of one field that lead to the same outcome (e.g. korean_dmz or south_korea)."""
    merged: dict[tuple, Counterfactual] = {}
    for cf in found:
        change = cf.changes[0]
        key = (change.field, cf.decision.verdict, cf.decision.reason, cf.decision.deciding_rules)
        if key in merged and change.values:
            prior = merged[key].changes[0]
            chosen = prior.classes | change.classes
            joined = Change(change.field, prior.values + change.values, prior.applied,
                            condition_of_classes(judge.vocab, change.field, judge.classes[change.field], chosen), chosen)
            merged[key] = Counterfactual((joined,), merged[key].decision)
        else:
            merged.setdefault(key, cf)
    return tuple(merged.values())
