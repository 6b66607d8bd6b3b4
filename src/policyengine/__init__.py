"""policyengine: US anti-personnel landmine policy, 1992-2025, as declarative rules.

Evaluate a scenario against one instrument (`evaluate`) or everything in force on a date
(`evaluate_on`), and get a verdict with the provision that decided it, its quote and its source.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

# The submodules `explain` and `across` share their names with the functions below: import them
# first, so that a later `import policyengine.explain` finds them loaded and leaves the functions be.
from . import across as _across_module  # noqa: F401
from . import explain as _explain_module  # noqa: F401
from .corpus import Corpus, PolicyRef
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
from .registry import bundled, policies, vocabulary

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
    "Residual",
    "Rule",
    "ScenarioError",
    "SuiteError",
    "UnknownPolicyError",
    "across",
    "bundled",
    "claim",
    "compare",
    "diff",
    "evaluate",
    "evaluate_on",
    "explain",
    "implies",
    "in_force",
    "load_policy",
    "policies",
    "policy",
    "vocabulary",
]
__version__ = "0.1.0"


def evaluate(scenario: Mapping[str, Any], policy: PolicyRef,
             interpretation: Mapping[str, str] | None = None, matcher: str = "auto",
             corpus: Corpus | None = None) -> Decision:
    """Evaluate a scenario (field -> value) against one instrument (an id of the corpus, a loaded
    Policy or a policy file) and return its Decision."""
    judge = _corpus(corpus).resolve(policy)
    return judge.evaluate(judge.vocab.validate(scenario), interpretation, matcher)


def evaluate_on(scenario: Mapping[str, Any], date: str | Any,
                interpretation: Mapping[str, str] | None = None, corpus: Corpus | None = None) -> Assessment:
    """Evaluate a scenario under every instrument of the corpus in force on `date`: each decision and
    the US position."""
    from .timeline import evaluate_on as _evaluate_on

    return _evaluate_on(scenario, date, interpretation, corpus)


def in_force(date: str | Any, corpus: Corpus | None = None) -> tuple[Any, ...]:
    """The instruments of the corpus in force on `date`, with their role in the layering and a note."""
    from .timeline import in_force as _in_force

    return _in_force(date, corpus)


def explain(decision: Decision, level: str = "standard", format: str = "text", why_not: str | None = None,
            policy: PolicyRef | None = None, corpus: Corpus | None = None) -> str:
    """Explain a decision in words: `level` short, standard or full; `format` text, markdown or json;
    `why_not` a provision id to ask why it did not decide. Pass `policy` (or a corpus holding it) for
    an instrument of your own."""
    from .api import explanation
    from .document import FORMATS

    if format not in FORMATS:
        raise ScenarioError(f"unknown format '{format}'", where="format", hint="use text, markdown or json")
    judge = _corpus(corpus).resolve(policy if policy is not None else decision.policy)
    return explanation(decision, judge, level, why_not).render(format)


def across(scenario: Mapping[str, Any], interpretation: Mapping[str, str] | None = None,
           format: str = "text", corpus: Corpus | None = None) -> str:
    """The scenario under every instrument of the corpus, and each date the executive answer changed."""
    from .across import across as _across

    return _across(scenario, interpretation, corpus).render(format)


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
    a smallest counterexample, or DEPENDS ON READING (see `policyengine.claims`)."""
    from .claims import claim as _claim

    return _claim(text, corpus)


def policy(policy_id: str, corpus: Corpus | None = None) -> Policy:
    """One instrument of the corpus (default: the bundled ones) by id."""
    return _corpus(corpus)[policy_id]


def load_policy(path: str | Path) -> Policy:
    """Load a policy file of your own (exercises, drafts); pass it as `policy=` or add it to a corpus
    with `pe.bundled().with_policy(...)`. Its evaluator is compiled once, on first use."""
    from .loader import load_policy as _load

    return _load(path, vocabulary())


def _corpus(corpus: Corpus | None) -> Corpus:
    return bundled() if corpus is None else corpus
