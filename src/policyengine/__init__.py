"""policyengine: US anti-personnel landmine policy, 1992-2025, as declarative rules.

Evaluate a scenario against one instrument (`evaluate`) or everything in force on a date
(`evaluate_on`), and get a verdict with the provision that decided it, its quote and its source.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from .decision import Assessment, Citation, Decision, Flag, Layer, Residual
from .errors import (
    EngineError,
    PolicyEngineError,
    PolicyFileError,
    ScenarioError,
    SuiteError,
    UnknownPolicyError,
)
from .evaluation import Evaluator
from .model import Policy, Rule
from .registry import evaluator, policies, vocabulary

__all__ = [
    "Assessment",
    "Citation",
    "Decision",
    "EngineError",
    "Evaluator",
    "Flag",
    "Layer",
    "Policy",
    "PolicyEngineError",
    "PolicyFileError",
    "Residual",
    "Rule",
    "ScenarioError",
    "SuiteError",
    "UnknownPolicyError",
    "across",
    "evaluate",
    "evaluate_many",
    "evaluate_on",
    "explain",
    "in_force",
    "load_policy",
    "policies",
    "policy",
    "vocabulary",
]
__version__ = "0.1.0"
_BY_ID: dict[str, Evaluator] = {}  # bundled evaluators already looked up, for a lock-free fast path


def evaluate(scenario: Mapping[str, Any], policy: str | Policy | Evaluator,
             interpretation: Mapping[str, str] | None = None, matcher: str = "auto") -> Decision:
    """Evaluate a scenario (field -> value) against one instrument and return its Decision."""
    judge = _evaluator(policy)
    return judge.evaluate(judge.vocab.validate(scenario), interpretation, matcher)


def evaluate_many(scenarios: Iterable[Mapping[str, Any]], policy: str | Policy | Evaluator,
                  interpretation: Mapping[str, str] | None = None, matcher: str = "auto") -> Iterator[Decision]:
    """Evaluate many scenarios against one instrument, lazily, in order: one Decision per scenario.

    The instrument is looked up and the interpretation checked once, so a sweep pays only for the
    decisions; an invalid scenario raises ScenarioError naming its position."""
    judge = _evaluator(policy)
    if interpretation:
        judge.selection(interpretation)  # fail before the first scenario, not in the middle
    validate, decide = judge.vocab.validate, judge.evaluate
    for number, scenario in enumerate(scenarios, start=1):
        try:
            valid = validate(scenario)
        except ScenarioError as exc:
            where = f"scenario {number}" + (f" ({exc.where})" if exc.where else "")
            raise ScenarioError(exc.message, where=where, hint=exc.hint) from None
        yield decide(valid, interpretation, matcher)


def evaluate_on(scenario: Mapping[str, Any], date: str | Any,
                interpretation: Mapping[str, str] | None = None) -> Assessment:
    """Evaluate a scenario under every instrument in force on `date`: each decision and the US position."""
    from .timeline import evaluate_on as _evaluate_on

    return _evaluate_on(scenario, date, interpretation)


def in_force(date: str | Any) -> tuple[Any, ...]:
    """The instruments in force on `date`, with their role in the layering and a note."""
    from .timeline import in_force as _in_force

    return _in_force(date)


def explain(decision: Decision, level: str = "standard", format: str = "text", why_not: str | None = None,
            policy: str | Policy | Evaluator | None = None) -> str:
    """Explain a decision in words: `level` short, standard or full; `format` text, markdown or json;
    `why_not` a provision id to ask why it did not decide. Pass `policy` for a user-loaded instrument."""
    from .api import explanation
    from .document import FORMATS

    if format not in FORMATS:
        raise ScenarioError(f"unknown format '{format}'", where="format", hint="use text, markdown or json")
    judge = _evaluator(policy if policy is not None else decision.policy)
    return explanation(decision, judge, level, why_not).render(format)


def across(scenario: Mapping[str, Any], interpretation: Mapping[str, str] | None = None,
           format: str = "text") -> str:
    """The scenario under every instrument, and each date the executive answer changed, in words."""
    from .across import across as _across

    return _across(scenario, interpretation).render(format)


def policy(policy_id: str) -> Policy:
    """One bundled instrument by id."""
    return evaluator(policy_id).policy


def load_policy(path: str | Path) -> Evaluator:
    """Load a policy file of your own (exercises, drafts); pass the result as `policy=` to evaluate."""
    from .loader import load_policy as _load

    return Evaluator(_load(path, vocabulary()), vocabulary())


def _evaluator(policy: str | Policy | Evaluator) -> Evaluator:
    if type(policy) is str:
        judge = _BY_ID.get(policy)
        if judge is None:
            judge = evaluator(policy)
            _BY_ID[policy] = judge
        return judge
    if isinstance(policy, Evaluator):
        return policy
    if isinstance(policy, Policy):
        return Evaluator(policy, vocabulary())
    return evaluator(policy)


class _Package(types.ModuleType):
    """The package module: the submodules `explain` and `across` are imported lazily, and importing
    them must not replace the functions of the same names defined here."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name in ("explain", "across") and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
