"""policyengine: US anti-personnel landmine policy, 1992-2025, as declarative rules.

Evaluate a scenario against one instrument (`evaluate`) or everything in force on a date
(`evaluate_on`), and get a verdict with the provision that decided it, its quote and its source.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

from .core.corpus import Corpus, PolicyRef
from .core.decision import Assessment, Citation, Decision, Flag, Layer, Residual
from .core.errors import (
    EngineError,
    PolicyEngineError,
    PolicyFileError,
    ScenarioError,
    SuiteError,
    UnknownPolicyError,
)
from .core.evaluation import Evaluator
from .core.model import Policy, Rule
from .registry import bundled, vocabulary

if TYPE_CHECKING:
    from .analysis.across import Across
    from .show.results import PolicyList, Standing, Timeline

_LAZY = {"PolicyList": "show.results", "Standing": "show.results", "Timeline": "show.results"}  # imported on first use

__all__ = [
    "Assessment",
    "Citation",
    "Corpus",
    "Decision",
    "EngineError",
    "Evaluator",
    "Flag",
    "Layer",
    "Policy",
    "PolicyEngineError",
    "PolicyFileError",
    "PolicyList",
    "Residual",
    "Rule",
    "ScenarioError",
    "Standing",
    "SuiteError",
    "Timeline",
    "UnknownPolicyError",
    "across",
    "bundled",
    "claim",
    "compare",
    "diff",
    "evaluate",
    "evaluate_many",
    "evaluate_on",
    "explain",
    "implies",
    "in_force",
    "load_policy",
    "policies",
    "policy",
    "timeline",
    "vocabulary",
]
__version__ = "0.1.0"
_BY_ID: dict[str, Evaluator] = {}  # bundled evaluators already looked up, for a lock-free fast path


def evaluate(scenario: Mapping[str, Any], policy: PolicyRef,
             interpretation: Mapping[str, str] | None = None, matcher: str = "auto",
             corpus: Corpus | None = None) -> Decision:
    """Evaluate a scenario (field -> value) against one instrument (an id of the corpus, a loaded
    Policy or a policy file) and return its Decision."""
    judge = _judge(policy, corpus)
    return judge.evaluate(judge.vocab.validate(scenario), interpretation, matcher)


def evaluate_many(scenarios: Iterable[Mapping[str, Any]], policy: PolicyRef,
                  interpretation: Mapping[str, str] | None = None, matcher: str = "auto",
                  corpus: Corpus | None = None) -> Iterator[Decision]:
    """Evaluate many scenarios against one instrument, lazily, in order: one Decision per scenario.

    The instrument is looked up and the interpretation checked once, so a sweep pays only for the
    decisions; an invalid scenario raises ScenarioError naming its position."""
    judge = _judge(policy, corpus)
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
                interpretation: Mapping[str, str] | None = None, corpus: Corpus | None = None) -> Assessment:
    """Evaluate a scenario under every instrument of the corpus in force on `date`: each decision and
    the US position."""
    from .core.timeline import evaluate_on as _evaluate_on

    return _evaluate_on(scenario, date, interpretation, corpus)


def in_force(date: str | Any, corpus: Corpus | None = None) -> Standing:
    """The instruments of the corpus in force on `date` (a tuple of InForce), with their role in the
    layering and a note."""
    from .show.results import Standing
    from .core.timeline import in_force as _in_force
    from .core.timeline import parse_date, president_on

    day = parse_date(date)
    return Standing(_in_force(day, corpus), day, president_on(day))


def explain(decision: Decision, level: str = "standard", format: str = "text", why_not: str | None = None,
            policy: PolicyRef | None = None, corpus: Corpus | None = None) -> str:
    """Explain a decision in words: `level` short, standard or full; `format` text, markdown or json;
    `why_not` a provision id to ask why it did not decide. Pass `policy` (or a corpus holding it) for
    an instrument of your own."""
    from .explanation.assemble import explanation
    from .explanation.document import FORMATS

    if not isinstance(decision, Decision):
        raise ScenarioError(f"explain takes a Decision, not {type(decision).__name__}", where="decision",
                            hint="pass what pe.evaluate returned")
    if format not in FORMATS:
        raise ScenarioError(f"unknown format '{format}'", where="format", hint="use text, markdown or json")
    judge = _corpus(corpus).resolve(policy if policy is not None else decision.policy)
    return explanation(decision, judge, level, why_not).render(format)


@overload
def across(scenario: Mapping[str, Any], interpretation: Mapping[str, str] | None = None, format: None = None,
           corpus: Corpus | None = None) -> Across: ...


@overload
def across(scenario: Mapping[str, Any], interpretation: Mapping[str, str] | None = None, *,
           format: str, corpus: Corpus | None = None) -> str: ...


def across(scenario: Mapping[str, Any], interpretation: Mapping[str, str] | None = None,
           format: str | None = None, corpus: Corpus | None = None) -> Across | str:
    """The scenario under every instrument of the corpus, and each date the executive answer changed:
    an `Across` (periods, changes, `to_dict()`, `str()` for the text view). Given `format` (text,
    markdown or json), the rendering in that format instead, as before."""
    from .analysis.across import across as _across

    view = _across(scenario, interpretation, corpus)
    if format is None:
        return view
    from .explanation.document import FORMATS

    if format not in FORMATS:
        raise ScenarioError(f"unknown format '{format}'", where="format", hint="use text, markdown or json")
    return view.render(format)


def policies(corpus: Corpus | None = None) -> PolicyList:
    """Every instrument of the corpus (default: the bundled ones), in order of entry into force (a
    tuple of Policy)."""
    from .show.results import PolicyList

    return PolicyList(_corpus(corpus))


def timeline(corpus: Corpus | None = None) -> Timeline:
    """The instruments with their periods of force, successors and the Presidents in office; in a
    notebook it draws itself as an SVG timeline."""
    from .show.results import Timeline

    return Timeline(_corpus(corpus))


def diff(a: PolicyRef, b: PolicyRef, on: str | Any | None = None, corpus: Corpus | None = None,
         interpretation: Mapping[str, str] | None = None) -> Any:
    """Every change of verdict from instrument `a` to `b` over the scenario space, in compact classes
    with a witness each (see `policyengine.analysis.diff`)."""
    from .analysis.diff import diff as _diff

    return _diff(a, b, on, corpus, interpretation)


def compare(a: PolicyRef, b: PolicyRef, on: str | Any | None = None, corpus: Corpus | None = None,
            interpretation: Mapping[str, str] | None = None) -> Any:
    """Whether `a` permits the same scenarios as `b`, more, fewer, or neither, with counterexamples."""
    from .analysis.diff import compare as _compare

    return _compare(a, b, on, corpus, interpretation)


def implies(a: PolicyRef, b: PolicyRef, on: str | Any | None = None, corpus: Corpus | None = None,
            interpretation: Mapping[str, str] | None = None) -> Any:
    """Whether every scenario `a` permits, `b` permits too (truthy), with a counterexample when not."""
    from .analysis.diff import implies as _implies

    return _implies(a, b, on, corpus, interpretation)


def claim(text: str, corpus: Corpus | None = None) -> Any:
    """Check a claim in controlled English ("under obama-2014, no scenarios where activity is use and
    location is elsewhere are permitted") over the scenario space: TRUE with the provisions, FALSE with
    a smallest counterexample, or DEPENDS ON READING (see `policyengine.analysis.claims`)."""
    from .analysis.claims import claim as _claim

    return _claim(text, corpus)


def policy(policy_id: str, corpus: Corpus | None = None) -> Policy:
    """One instrument of the corpus (default: the bundled ones) by id."""
    return _corpus(corpus)[policy_id]


def load_policy(path: str | Path) -> Policy:
    """Load a policy file of your own (exercises, drafts); pass it as `policy=` or add it to a corpus
    with `pe.bundled().with_policy(...)`. Its evaluator is compiled once, on first use."""
    from .core.loader import load_policy as _load

    return _load(path, vocabulary())


def _corpus(corpus: Corpus | None) -> Corpus:
    return bundled() if corpus is None else corpus


def _judge(policy: PolicyRef, corpus: Corpus | None) -> Evaluator:
    """The evaluator for `policy`; a bundled id is looked up once, then without a lock."""
    if corpus is None and type(policy) is str:
        judge = _BY_ID.get(policy)
        if judge is None:
            judge = bundled().resolve(policy)
            if policy in bundled():
                _BY_ID[policy] = judge
        return judge
    return _corpus(corpus).resolve(policy)


def __getattr__(name: str) -> Any:
    """The result classes, imported when first named (`pe.Timeline`), to keep `import policyengine` short."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module 'policyengine' has no attribute '{name}'")


class _Package(types.ModuleType):
    """The package module: the submodules `explain`, `across` and `timeline` are imported lazily, and
    importing them must not replace the functions of the same names defined here."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name in ("explain", "across", "timeline") and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
