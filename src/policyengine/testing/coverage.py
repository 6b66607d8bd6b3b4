"""Provision coverage of a test run: per instrument, which provisions the cases reached, which decided,
and whether each provision's condition was seen both true and false; for each provision that never
decided, a generated scenario that makes it decide.

The unit is a provision (a distinct rule id, counting every reading), located by its line in the
policy file. Coverage is the share of provisions that decided in some case, as an exact fraction.
"""

from __future__ import annotations

import itertools
import math
import os
from collections.abc import Iterable, Mapping
from fractions import Fraction
from typing import Any

import attrs

from ..core.errors import ScenarioError
from ..core.evaluation import Evaluator
from ..core.outcomes import Reason
from ..core.space import Space
from ..core.trace import RuleStatus
from ..core.vocabulary import show_value
from ..core.words import scenario_words
from ..show.progress import track
from .suites import CaseResult


@attrs.frozen
class CaseRef:
    """A case that covers a provision: its place in the suite file and its label."""

    where: str
    label: str

    def to_dict(self) -> dict[str, str]:
        """JSON-ready form."""
        return {"where": self.where, "label": self.label}


@attrs.frozen
class Generated:
    """A scenario (and the readings) under which a provision decides, confirmed by evaluation."""

    scenario: Mapping[str, Any] = attrs.field(eq=False)
    interpretation: Mapping[str, str] = attrs.field(factory=dict, eq=False)
    verdict: str = ""

    def words(self) -> str:
        """`field=value ...`, then `--interpretation NAME=READING` for each reading it needs."""
        readings = " ".join(f"--interpretation {n}={r}" for n, r in self.interpretation.items())
        return scenario_words(self.scenario) + (f" {readings}" if readings else "")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"scenario": {k: show_value(v) for k, v in self.scenario.items()},
                "interpretation": dict(self.interpretation), "verdict": self.verdict}


@attrs.frozen
class ProvisionCoverage:
    """How the cases exercised one provision."""

    rule: str
    line: int
    reached_by: tuple[CaseRef, ...] = ()
    decided_by: tuple[CaseRef, ...] = ()
    seen_true: bool = False
    seen_false: bool = False
    #: for a provision that never decided: a scenario that makes it decide, or None if none exists
    generated: Generated | None = None

    @property
    def reached(self) -> bool:
        """True when the provision applied, or could apply, in some case."""
        return bool(self.reached_by)

    @property
    def decided(self) -> bool:
        """True when the provision decided some case (or one outcome of a conditional case)."""
        return bool(self.decided_by)

    def to_dict(self) -> dict[str, Any]:
        """An OPA-style location (start and end row) with the cases behind each figure."""
        out: dict[str, Any] = {
            "provision": self.rule, "start": {"row": self.line}, "end": {"row": self.line},
            "reached": self.reached, "condition": {"true": self.seen_true, "false": self.seen_false},
            "cases": [c.to_dict() for c in self.decided_by],
        }
        if not self.decided:
            out["reached_by"] = [c.to_dict() for c in self.reached_by]
            out["generated"] = self.generated.to_dict() if self.generated else None
        return out


def percent(decided: int, provisions: int) -> Fraction:
    """decided / provisions as an exact percentage (100 when there is nothing to cover)."""
    return Fraction(100) if not provisions else Fraction(100 * decided, provisions)


def show_percent(value: Fraction) -> str:
    """Two decimals, truncated: 89.999... prints as 89.99, never as 90.00."""
    hundredths = math.floor(value * 100)
    return f"{hundredths // 100}.{hundredths % 100:02d}"


@attrs.frozen
class InstrumentCoverage:
    """The provisions of one instrument and how the cases exercised each."""

    policy: str
    path: str
    provisions: tuple[ProvisionCoverage, ...]

    @property
    def decided(self) -> int:
        """How many provisions decided some case."""
        return sum(p.decided for p in self.provisions)

    @property
    def reached(self) -> int:
        """How many provisions some case reached."""
        return sum(p.reached for p in self.provisions)

    @property
    def percent(self) -> Fraction:
        """Provisions that decided, as an exact percentage of all provisions."""
        return percent(self.decided, len(self.provisions))

    def to_dict(self) -> dict[str, Any]:
        """The per-file entry of an OPA-style coverage report."""
        return {
            "policy": self.policy,
            "covered": [p.to_dict() for p in self.provisions if p.decided],
            "not_covered": [p.to_dict() for p in self.provisions if not p.decided],
            "covered_provisions": self.decided,
            "not_covered_provisions": len(self.provisions) - self.decided,
            "reached_provisions": self.reached,
            "conditions_seen_both_ways": sum(p.seen_true and p.seen_false for p in self.provisions),
            "coverage": float(self.percent),
        }


@attrs.frozen
class Coverage:
    """Provision coverage over the instruments a run's cases named."""

    instruments: tuple[InstrumentCoverage, ...]

    @property
    def provisions(self) -> int:
        """How many provisions the instruments have between them."""
        return sum(len(i.provisions) for i in self.instruments)

    @property
    def decided(self) -> int:
        """How many of them decided some case."""
        return sum(i.decided for i in self.instruments)

    @property
    def percent(self) -> Fraction:
        """Provisions that decided, as an exact percentage of all provisions."""
        return percent(self.decided, self.provisions)

    def meets(self, threshold: Fraction) -> bool:
        """True when the exact coverage is at least `threshold` percent (no rounding)."""
        return self.percent >= threshold

    def uncovered(self) -> list[tuple[InstrumentCoverage, ProvisionCoverage]]:
        """Every provision that never decided, with its instrument."""
        return [(i, p) for i in self.instruments for p in i.provisions if not p.decided]

    def to_dict(self) -> dict[str, Any]:
        """Shaped like OPA's coverage report: `files` keyed by policy file, then the totals."""
        return {
            "files": {shown_path(i.path) or i.policy: i.to_dict() for i in self.instruments},
            "covered_provisions": self.decided,
            "not_covered_provisions": self.provisions - self.decided,
            "coverage": float(self.percent),
        }


def measure(runs: Iterable[tuple[CaseResult, Evaluator]], generate: bool = True) -> Coverage:
    """Coverage, by the cases run, of the instruments they were run against (each case with its
    instrument's evaluator), in order of first use; with `generate`, a scenario per provision that
    never decided."""
    judges: dict[str, Evaluator] = {}
    reached: dict[tuple[str, str], dict[CaseRef, None]] = {}  # ordered sets: each case once, in order
    decided: dict[tuple[str, str], dict[CaseRef, None]] = {}
    truth: dict[tuple[str, str], set[bool]] = {}
    for result, judge in runs:
        key = instrument_key(judge)
        judges.setdefault(key, judge)
        decision = result.decision
        if decision is None:
            continue
        ref = CaseRef(result.case.where, result.case.label)
        in_scope = decision.reason != Reason.OUT_OF_SCOPE
        deciding = set(decision.deciding_rules).union(*(r.deciding_rules for r in decision.residual))
        for row in judge.trace_of(decision):
            slot = (key, row.rule)
            if row.status is not RuleStatus.OPEN:
                truth.setdefault(slot, set()).add(row.status is RuleStatus.HOLDS)
            if in_scope and row.status is not RuleStatus.FAILS:
                _add(reached, slot, ref)
            if row.rule in deciding:
                _add(decided, slot, ref)
    table = {key: [ProvisionCoverage(rule_id, judge.policy.rules_named(rule_id)[0].line,
                                     tuple(reached.get((key, rule_id), ())), tuple(decided.get((key, rule_id), ())),
                                     True in truth.get((key, rule_id), ()), False in truth.get((key, rule_id), ()))
                   for rule_id in judge.policy.rule_ids()]
             for key, judge in judges.items()}
    if generate:
        pending = [(key, i) for key, rows in table.items() for i, row in enumerate(rows) if not row.decided]
        for key, i in track(pending, "generating scenarios for provisions that never decided"):
            provision = table[key][i]
            table[key][i] = attrs.evolve(provision, generated=scenario_deciding(judges[key], provision.rule))
    return Coverage(tuple(InstrumentCoverage(judges[key].policy.id, judges[key].policy.path, tuple(rows))
                          for key, rows in table.items()))


def shown_path(path: str) -> str:
    """A path relative to the working directory when it lies under it, else as it is."""
    if not path:
        return path
    relative = os.path.relpath(path)
    return os.path.normpath(path) if relative.startswith("..") else relative


def instrument_key(judge: Evaluator) -> str:
    """How a run tells instruments apart: the policy file (a user file may reuse a bundled id)."""
    return judge.policy.path or judge.policy.id


def _add(table: dict[tuple[str, str], dict[CaseRef, None]], slot: tuple[str, str], ref: CaseRef) -> None:
    table.setdefault(slot, {})[ref] = None  # a dict, not a list: adding stays constant-time however many cases


def readings_for(judge: Evaluator, rule_id: str) -> list[dict[str, str]]:
    """The default readings; for each version of the rule, the defaults with the version's readings;
    then every other combination of readings (so that `None` below means under no reading at all)."""
    default = dict(judge.default_selection)
    out = [default]
    for rule in judge.policy.rules_named(rule_id):
        selection = {**default, **dict(rule.interpretation)}
        if selection not in out:
            out.append(selection)
    names = list(judge.policy.interpretations)
    for combination in itertools.product(*(judge.policy.interpretations[n].readings for n in names)):
        selection = dict(zip(names, combination))
        if selection not in out:
            out.append(selection)
    return out


def scenario_deciding(judge: Evaluator, rule_id: str) -> Generated | None:
    """A scenario under which `rule_id` decides, confirmed by evaluating it; None if none exists.

    Searches the instrument's scenario space (one cell per class of scenarios it answers alike)
    under the default readings, then under each reading the rule is written for, then any other."""
    policy, vocab = judge.policy, judge.vocab
    for selection in readings_for(judge, rule_id):
        if not any(r.holds_under(selection) for r in policy.rules_named(rule_id)):
            continue
        space = Space([policy], vocab, [selection])
        for cell in space.cells:
            if rule_id not in cell.outcomes[0].deciding:
                continue
            scenario = space.witness(cell.box)
            readings = {n: r for n, r in selection.items() if judge.default_selection.get(n) != r}
            decision = judge.evaluate(scenario, readings)
            if rule_id in decision.deciding_rules:
                scenario = _smaller(judge, scenario, readings, rule_id)
                return Generated(scenario, readings, str(judge.evaluate(scenario, readings).verdict))
    return None


def _smaller(judge: Evaluator, scenario: Mapping[str, Any], readings: Mapping[str, str],
             rule_id: str) -> dict[str, Any]:
    """Drop each field (last first) without which the rule still decides, whatever the open fields are."""
    kept = dict(scenario)
    for name in reversed(list(scenario)):
        if name in ("activity", "mine"):
            continue
        trial = {k: v for k, v in kept.items() if k != name}
        try:
            decision = judge.evaluate(trial, readings)
        except ScenarioError:  # too much left open to list every outcome
            continue
        if not decision.residual and rule_id in decision.deciding_rules:  # it decides in every branch
            kept = trial
    return kept

