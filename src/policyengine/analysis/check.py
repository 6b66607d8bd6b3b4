"""Consistency check of one instrument over its whole scenario space.

Findings, each with the provisions involved, a witness scenario and a fix hint:

- `gap`: scenarios inside the instrument's scope that no provision addresses;
- `conflict`: scenarios where provisions of different effects stand undefeated;
- `never_decides`: a provision that decides no scenario (telling "dead under this reading, live
  under another" from "dead under every reading");
- `shadowed_exception`: an exception that never applies where its target applies, so it never
  defeats it;
- `redundant_exception`: an exception that defeats its target but never changes the verdict;
- `duplicate_rule`: two provisions of one effect that apply to exactly the same scenarios.

A file documents the findings it intends under `findings:` (kind, rules or `when`, and a note);
those are reported as documented and do not fail the check.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from ..core.conditions import Condition, describe_part, evaluate, to_data
from ..core.evaluation import Evaluator
from ..core.model import AcceptedFinding, Policy, Rule
from ..core.outcomes import Named, Verdict
from ..core.semantics import NO_RULE, combine
from ..core.space import Space
from ..core.vocabulary import Value, Vocabulary, show_value


class FindingKind(Named):
    """What the check found."""

    GAP = "gap"
    CONFLICT = "conflict"
    NEVER_DECIDES = "never_decides"
    SHADOWED_EXCEPTION = "shadowed_exception"
    REDUNDANT_EXCEPTION = "redundant_exception"
    DUPLICATE_RULE = "duplicate_rule"


HINTS = {
    FindingKind.GAP: "add a provision for these scenarios, or document the silence under `findings:` "
                     "(kind: gap, when: ..., note: why the instrument is silent)",
    FindingKind.CONFLICT: "make one provision an exception to the other (exception_to), narrow a condition, or "
                          "declare `resolution: prohibition_overrides` if the instrument says so",
    FindingKind.NEVER_DECIDES: "check its condition and the exceptions that defeat it; if it only restates "
                               "another provision, document it under `findings:`",
    FindingKind.SHADOWED_EXCEPTION: "its condition never meets its target's: widen it, or point exception_to "
                                    "at the provision it is meant to defeat",
    FindingKind.REDUNDANT_EXCEPTION: "the target and the exception give the same verdict wherever both apply: "
                                     "drop the exception link, or give the exception the effect the text says",
    FindingKind.DUPLICATE_RULE: "two provisions say the same thing: remove one, or split their conditions",
}


@attrs.frozen
class Finding:
    """One finding: its kind, the provisions involved, a witness and a fix; `documented` is the file's note."""

    kind: FindingKind
    policy: str
    rules: tuple[str, ...]
    message: str
    when: tuple[Condition, ...] = ()
    witness: Mapping[str, Value] | None = attrs.field(default=None, eq=False)
    documented: str | None = None
    line: int = 0

    @property
    def hint(self) -> str:
        """How to fix it."""
        return HINTS[self.kind]

    def words(self) -> str:
        """One line: kind, message, the scenarios (for gaps and conflicts) and a witness."""
        when = f" when {' and '.join(describe_part(c) for c in self.when)}" if self.when else ""
        witness = ("; e.g. " + " ".join(f"{k}={show_value(v)}" for k, v in self.witness.items())) if self.witness else ""
        return f"{self.kind}: {self.message}{when}{witness}"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"kind": str(self.kind), "policy": self.policy, "rules": list(self.rules), "message": self.message,
                "when": [to_data(c) for c in self.when], "line": self.line, "hint": self.hint,
                "witness": {k: show_value(v) for k, v in self.witness.items()} if self.witness else None,
                "documented": self.documented}


def check(policy: Policy | Evaluator, vocab: Vocabulary | None = None) -> tuple[Finding, ...]:
    """Every finding of one instrument (under its default readings; never-decides under every reading)."""
    if isinstance(policy, Evaluator):
        policy, vocab = policy.policy, policy.vocab
    if vocab is None:
        vocab = policy.cache["vocabulary"]  # the vocabulary it was loaded with
    space = Space((policy,), vocab, (policy.default_selection,))
    findings: list[Finding] = []
    findings += _gaps_and_conflicts(space)
    findings += _never_decides(space)
    findings += _exceptions(policy, space)
    findings += _duplicates(policy, space)
    lines = {r.id: r.line for r in policy.rules}
    return tuple(attrs.evolve(f, documented=f.documented or _documented(f, policy.findings, vocab),
                              line=f.line or next((lines[r] for r in f.rules if r in lines), 0))
                 for f in findings)


def _group_boxes(space: Space, groups: Mapping[Any, int]) -> list[tuple[Any, dict]]:
    return [(key, box) for key, bits in groups.items() for box in space.maximal_boxes(bits)]


def _gaps_and_conflicts(space: Space) -> list[Finding]:
    policy = space.policies[0]
    gaps: dict[Any, int] = {}
    conflicts: dict[Any, int] = {}
    for bit, cell in enumerate(space.cells):
        (outcome,) = cell.outcomes
        if outcome.verdict == Verdict.NOT_ADDRESSED and outcome.reason == NO_RULE:
            gaps[()] = gaps.get((), 0) | 1 << bit
        elif outcome.verdict == Verdict.CONFLICT:
            conflicts[outcome.deciding] = conflicts.get(outcome.deciding, 0) | 1 << bit
    out = []
    for _, box in _group_boxes(space, gaps):
        out.append(Finding(FindingKind.GAP, policy.id, (), "in scope but addressed by no provision",
                           space.conditions(box), space.witness(box)))
    for rules, box in _group_boxes(space, conflicts):
        out.append(Finding(FindingKind.CONFLICT, policy.id, rules,
                           f"{', '.join(rules)} stand undefeated with different effects",
                           space.conditions(box), space.witness(box)))
    return out


def _deciders(space: Space) -> dict[str, int]:
    found: dict[str, int] = {}
    for bit, cell in enumerate(space.cells):
        (outcome,) = cell.outcomes
        if outcome.verdict != Verdict.NOT_ADDRESSED:
            for rule_id in outcome.deciding:
                found[rule_id] = found.get(rule_id, 0) | 1 << bit
    return found


def _never_decides(space: Space) -> list[Finding]:
    policy = space.policies[0]
    default = _deciders(space)
    others: dict[tuple[tuple[str, str], ...], set[str]] = {}
    for name, spec in policy.interpretations.items():
        for reading in spec.readings:
            if reading != spec.default:
                selection = {**policy.default_selection, name: reading}
                other = Space((policy,), space.vocab, (selection,))
                others[((name, reading),)] = set(_deciders(other))
    out = []
    for rule_id in policy.rule_ids():
        if rule_id in default:
            continue
        live = [f"{n}={r}" for key, ids in others.items() if rule_id in ids for n, r in key]
        part_of_default = any(r.holds_under(policy.default_selection) for r in policy.rules_named(rule_id))
        documented = None
        if live and part_of_default:
            message = f"{rule_id} is dead under the default readings, live under {', '.join(live)}"
        elif live:
            message = f"{rule_id} is dead under the default readings, live under {', '.join(live)}"
            documented = f"part of the reading {', '.join(live)} only"
        else:
            message = f"{rule_id} decides no scenario under any reading"
        out.append(Finding(FindingKind.NEVER_DECIDES, policy.id, (rule_id,), message,
                           witness=_applies_somewhere(space, rule_id), documented=documented))
    return out


def _applies_somewhere(space: Space, rule_id: str) -> dict[str, Value] | None:
    for cell in space.cells:
        if rule_id in cell.outcomes[0].applicable:
            return space.witness(cell.box)
    return None


def _exceptions(policy: Policy, space: Space) -> list[Finding]:
    active = [r for r in policy.rules if r.holds_under(policy.default_selection)]
    by_id = {r.id: r for r in active}
    out = []
    for rule in active:
        for target in rule.exception_to:
            if target not in by_id:
                continue
            both = [c for c in space.cells if rule.id in c.outcomes[0].applicable and target in c.outcomes[0].applicable]
            if not both:
                out.append(Finding(FindingKind.SHADOWED_EXCEPTION, policy.id, (rule.id, target),
                                   f"{rule.id} never applies where {target} applies, so it never defeats it"))
                continue
            if all(_verdict_without_link(policy, active, c, rule, target) == c.outcomes[0].verdict for c in both):
                out.append(Finding(FindingKind.REDUNDANT_EXCEPTION, policy.id, (rule.id, target),
                                   f"{rule.id} defeats {target} but the verdict is the same without the defeat",
                                   witness=space.witness(both[0].box)))
    return out


def _verdict_without_link(policy: Policy, active: Sequence[Rule], cell: Any, rule: Rule, target: str) -> str:
    applicable = [attrs.evolve(r, exception_to=tuple(t for t in r.exception_to if t != target)) if r is rule else r
                  for r in active if r.id in cell.outcomes[0].applicable]
    return combine(policy, applicable, True).verdict


def _duplicates(policy: Policy, space: Space) -> list[Finding]:
    masks: dict[str, int] = {}
    for bit, cell in enumerate(space.cells):
        for rule_id in cell.outcomes[0].applicable:
            masks[rule_id] = masks.get(rule_id, 0) | 1 << bit
    active = {r.id: r for r in policy.rules if r.holds_under(policy.default_selection)}
    out = []
    for a, b in itertools.combinations(active.values(), 2):
        if a.effect == b.effect and masks.get(a.id) and masks.get(a.id) == masks.get(b.id) \
                and set(a.exception_to) == set(b.exception_to):
            first = (masks[a.id] & -masks[a.id]).bit_length() - 1
            out.append(Finding(FindingKind.DUPLICATE_RULE, policy.id, (a.id, b.id),
                               f"{a.id} and {b.id} are both {a.effect} and apply to exactly the same scenarios",
                               witness=space.witness(space.cells[first].box)))
    return out


def _documented(finding: Finding, accepted: Sequence[AcceptedFinding], vocab: Any) -> str | None:
    for entry in accepted:
        if entry.kind != finding.kind:
            continue
        if not set(entry.rules) <= set(finding.rules):
            continue
        if entry.when is not None and (finding.witness is None or evaluate(entry.when, finding.witness, vocab) is not True):
            continue
        return entry.note
    return None
