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

from ..core.conditions import TRUE, Condition, describe_part, evaluate, to_data
from ..core.evaluation import Evaluator
from ..core.model import AcceptedFinding, Policy, Rule, Source
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


#: kinds whose finding is a set of scenarios, which a `findings:` entry must bound with `when`
SCENARIO_KINDS = (FindingKind.GAP, FindingKind.CONFLICT)

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
    readings: tuple[Reading, ...] = ()  # the combinations of readings under which it holds; () = all
    entry: int = attrs.field(default=-1, eq=False)  # the index of the `findings:` entry documenting it
    covered_by: frozenset[int] = attrs.field(default=frozenset(), eq=False, repr=False)  # every entry meeting it

    def reading_words(self) -> str:
        """` (only under reading b22-2-korea=literal; ...)`, or nothing when it holds under every reading."""
        if not self.readings:
            return ""
        shown = ["the default readings" if not r else ", ".join(f"{k}={v}" for k, v in r) for r in self.readings]
        if len(shown) > 3:
            among = "the default readings among them" if () in self.readings else "not the default readings"
            return f" (only under {len(shown)} combinations of readings, {among}: {'; '.join(shown[:2])}; ...)"
        return f" (only under {'; '.join(shown)})"

    @property
    def hint(self) -> str:
        """How to fix it."""
        return HINTS[self.kind]

    def words(self) -> str:
        """One line: kind, message, the scenarios (for gaps and conflicts) and a witness."""
        when = f" when {' and '.join(describe_part(c) for c in self.when)}" if self.when else ""
        witness = ("; e.g. " + " ".join(f"{k}={show_value(v)}" for k, v in self.witness.items())) if self.witness else ""
        return f"{self.kind}: {self.message}{when}{self.reading_words()}{witness}"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"kind": str(self.kind), "policy": self.policy, "rules": list(self.rules), "message": self.message,
                "when": [to_data(c) for c in self.when], "line": self.line, "hint": self.hint,
                "witness": {k: show_value(v) for k, v in self.witness.items()} if self.witness else None,
                "documented": self.documented,
                "readings": [dict(r) for r in self.readings]}


Reading = tuple[tuple[str, str], ...]  # the readings a selection changes from the defaults, sorted


def selections(policy: Policy) -> list[dict[str, str]]:
    """Every combination of the instrument's readings, the defaults first."""
    names = list(policy.interpretations)
    choices = [[policy.interpretations[n].default] + [r for r in policy.interpretations[n].readings
                                                      if r != policy.interpretations[n].default] for n in names]
    return [dict(zip(names, combo)) for combo in itertools.product(*choices)]


def _changed(policy: Policy, selection: Mapping[str, str]) -> Reading:
    return tuple(sorted((k, v) for k, v in selection.items() if policy.default_selection.get(k) != v))


def check(policy: Policy | Evaluator, vocab: Vocabulary | None = None) -> tuple[Finding, ...]:
    """Every finding of one instrument, under every combination of its readings; each finding says
    under which it holds (`readings`, empty when under all)."""
    if isinstance(policy, Evaluator):
        policy, vocab = policy.policy, policy.vocab
    if vocab is None:
        vocab = policy.cache["vocabulary"]  # the vocabulary it was loaded with
    every = selections(policy)
    fake = _entries(policy)
    spaces = [Space((policy, fake), vocab, (selection, {})) for selection in every]
    held: dict[tuple, tuple[Finding, list[Reading]]] = {}
    for selection, space in zip(every, spaces):
        found = _gaps_and_conflicts(space, policy.findings) + _exceptions(policy, space, selection) + \
            _duplicates(policy, space, selection)
        for finding in found:
            key = (finding.kind, finding.rules, finding.when)
            first, readings = held.setdefault(key, (finding, []))
            readings.append(_changed(policy, selection))
    findings = [attrs.evolve(f, readings=_only(readings, len(every))) for f, readings in held.values()]
    findings += _never_decides(policy, spaces, every)
    lines = {r.id: r.line for r in policy.rules}
    out = []
    for f in findings:
        if f.entry < 0 and f.kind not in SCENARIO_KINDS:
            f = attrs.evolve(f, entry=_documenting(f, policy.findings, vocab))
        documented = f.documented or (policy.findings[f.entry].note if f.entry >= 0 else None)
        out.append(attrs.evolve(f, documented=documented,
                                line=f.line or next((lines[r] for r in f.rules if r in lines), 0)))
    return tuple(out)


def _entries(policy: Policy) -> Policy:
    """A synthetic instrument with a rule per `findings:` entry (its `when`), so that the space splits
    on each entry's bounds and every cell knows which entries cover it."""
    source = Source("findings", "the file's findings: entries", "", None, "unverified")
    rules = tuple(Rule(f"entry-{i}", "permitted", e.when if e.when is not None else TRUE,
                       e.when if e.when is not None else TRUE, source, "", "unverified")
                  for i, e in enumerate(policy.findings))
    return Policy("findings", "the file's findings: entries", "statute", False, policy.in_force_from,
                  policy.in_force_from, policy.in_force_to, TRUE, rules, {})


def _only(readings: list[Reading], total: int) -> tuple[Reading, ...]:
    """The readings under which a finding holds; empty when it holds under every one."""
    return () if len(readings) == total else tuple(readings)


def stale(policy: Policy, findings: Sequence[Finding], vocab: Vocabulary | None = None) -> tuple[AcceptedFinding, ...]:
    """The `findings:` entries of the file that document no finding of the check (under any reading)."""
    used = {f.entry for f in findings}.union(*(f.covered_by for f in findings))
    return tuple(entry for i, entry in enumerate(policy.findings) if i not in used)


def _group_boxes(space: Space, groups: Mapping[Any, int]) -> list[tuple[Any, dict]]:
    return [(key, box) for key, bits in groups.items() for box in space.maximal_boxes(bits)]


def _gaps_and_conflicts(space: Space, entries: Sequence[AcceptedFinding]) -> list[Finding]:
    """Gaps and conflicts, as boxes that lie wholly inside or outside each `findings:` entry covering them."""
    policy = space.policies[0]
    gaps: dict[Any, int] = {}
    conflicts: dict[Any, int] = {}
    meeting: dict[Any, set[int]] = {}
    for bit, cell in enumerate(space.cells):
        outcome, covering = cell.outcomes[0], cell.outcomes[1].applicable
        if outcome.verdict == Verdict.NOT_ADDRESSED and outcome.reason == NO_RULE:
            found = _covered(entries, covering, FindingKind.GAP, ())
            key = found[0] if found else -1
            gaps[key] = gaps.get(key, 0) | 1 << bit
            meeting.setdefault(("gap", key), set()).update(found)
        elif outcome.verdict == Verdict.CONFLICT:
            found = _covered(entries, covering, FindingKind.CONFLICT, outcome.deciding)
            key = (outcome.deciding, found[0] if found else -1)
            conflicts[key] = conflicts.get(key, 0) | 1 << bit
            meeting.setdefault(("conflict", key), set()).update(found)
    out = []
    for entry, box in _group_boxes(space, gaps):
        out.append(Finding(FindingKind.GAP, policy.id, (), "in scope but addressed by no provision",
                           space.conditions(box), space.witness(box), entry=entry,
                           covered_by=frozenset(meeting[("gap", entry)])))
    for (rules, entry), box in _group_boxes(space, conflicts):
        out.append(Finding(FindingKind.CONFLICT, policy.id, rules,
                           f"{', '.join(rules)} stand undefeated with different effects",
                           space.conditions(box), space.witness(box), entry=entry,
                           covered_by=frozenset(meeting[("conflict", (rules, entry))])))
    return out


def _covered(entries: Sequence[AcceptedFinding], covering: Sequence[str], kind: FindingKind,
             rules: tuple[str, ...]) -> list[int]:
    """The entries of this kind and these provisions whose `when` covers the cell, in file order."""
    return [i for i, e in enumerate(entries) if f"entry-{i}" in covering and e.kind == kind
            and set(e.rules) == set(rules)]


def _deciders(space: Space) -> dict[str, int]:
    found: dict[str, int] = {}
    for bit, cell in enumerate(space.cells):
        outcome = cell.outcomes[0]
        if outcome.verdict != Verdict.NOT_ADDRESSED:
            for rule_id in outcome.deciding:
                found[rule_id] = found.get(rule_id, 0) | 1 << bit
    return found


def _never_decides(policy: Policy, spaces: Sequence[Space], every: Sequence[Mapping[str, str]]) -> list[Finding]:
    """A provision that decides no scenario under some combination of readings that includes it."""
    deciders = [set(_deciders(space)) for space in spaces]
    out = []
    for rule_id in policy.rule_ids():
        part_of = [i for i, sel in enumerate(every) if any(r.holds_under(sel) for r in policy.rules_named(rule_id))]
        dead = [i for i in part_of if rule_id not in deciders[i]]
        if not dead:
            continue
        live = [i for i in part_of if rule_id in deciders[i]]
        where = "; ".join(", ".join(f"{k}={v}" for k, v in _changed(policy, every[i])) or "the default readings"
                          for i in live)
        message = (f"{rule_id} decides no scenario under any reading" if not live
                   else f"{rule_id} is dead under some readings, live under {where}")
        readings = _only([_changed(policy, every[i]) for i in dead], len(every))
        out.append(Finding(FindingKind.NEVER_DECIDES, policy.id, (rule_id,), message,
                           witness=_applies_somewhere(spaces[dead[0]], rule_id), readings=readings))
    return out


def _applies_somewhere(space: Space, rule_id: str) -> dict[str, Value] | None:
    for cell in space.cells:
        if rule_id in cell.outcomes[0].applicable:
            return space.witness(cell.box)
    return None


def _exceptions(policy: Policy, space: Space, selection: Mapping[str, str]) -> list[Finding]:
    active = [r for r in policy.rules if r.holds_under(selection)]
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


def _duplicates(policy: Policy, space: Space, selection: Mapping[str, str]) -> list[Finding]:
    masks: dict[str, int] = {}
    for bit, cell in enumerate(space.cells):
        for rule_id in cell.outcomes[0].applicable:
            masks[rule_id] = masks.get(rule_id, 0) | 1 << bit
    active = {r.id: r for r in policy.rules if r.holds_under(selection)}
    out = []
    for a, b in itertools.combinations(active.values(), 2):
        if a.effect == b.effect and masks.get(a.id) and masks.get(a.id) == masks.get(b.id) \
                and set(a.exception_to) == set(b.exception_to):
            first = (masks[a.id] & -masks[a.id]).bit_length() - 1
            out.append(Finding(FindingKind.DUPLICATE_RULE, policy.id, (a.id, b.id),
                               f"{a.id} and {b.id} are both {a.effect} and apply to exactly the same scenarios",
                               witness=space.witness(space.cells[first].box)))
    return out


def _documenting(finding: Finding, accepted: Sequence[AcceptedFinding], vocab: Any) -> int:
    """The index of the first entry documenting a finding about provisions (not scenarios), or -1."""
    for i, entry in enumerate(accepted):
        if entry.kind != finding.kind or set(entry.rules) != set(finding.rules):
            continue
        if entry.when is None or (finding.witness is not None and evaluate(entry.when, finding.witness, vocab) is True):
            return i
    return -1
