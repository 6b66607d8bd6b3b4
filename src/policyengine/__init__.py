"""policyengine: US anti-personnel landmine policy, 1992-2025, as declarative rules.

Evaluate a scenario against one instrument (`evaluate`) or everything in force on a date
(`evaluate_on`), and get a verdict with the provision that decided it, its quote and its source.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

# The submodules `explain`, `across` and `timeline` share their names with the functions below:
# import them first, so that a later `import policyengine.explain` finds them loaded and leaves the
# functions be.
from . import across as _across_module  # noqa: F401
from . import explain as _explain_module  # noqa: F401
from . import timeline as _timeline_module  # noqa: F401
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
from .registry import evaluator, vocabulary
from .results import PolicyList, Standing, Timeline

if TYPE_CHECKING:
    from .across import Across

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
    "PolicyList",
    "Residual",
    "Rule",
    "ScenarioError",
    "Standing",
    "SuiteError",
    "Timeline",
    "UnknownPolicyError",
    "across",
    "evaluate",
    "evaluate_on",
    "explain",
    "in_force",
    "load_policy",
    "policies",
    "policy",
    "timeline",
    "vocabulary",
]
__version__ = "0.1.0"


def evaluate(scenario: Mapping[str, Any], policy: str | Policy | Evaluator,
             interpretation: Mapping[str, str] | None = None, matcher: str = "auto") -> Decision:
    """Evaluate a scenario (field -> value) against one instrument and return its Decision."""
    judge = _evaluator(policy)
    return judge.evaluate(judge.vocab.validate(scenario), interpretation, matcher)


def evaluate_on(scenario: Mapping[str, Any], date: str | Any,
                interpretation: Mapping[str, str] | None = None) -> Assessment:
    """Evaluate a scenario under every instrument in force on `date`: each decision and the US position."""
    from .timeline import evaluate_on as _evaluate_on

    return _evaluate_on(scenario, date, interpretation)


def in_force(date: str | Any) -> Standing:
    """The instruments in force on `date` (a tuple of InForce), with their role in the layering and a note."""
    from .timeline import in_force as _in_force
    from .timeline import parse_date, president_on

    day = parse_date(date)
    return Standing(_in_force(day), day, president_on(day))


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


@overload
def across(scenario: Mapping[str, Any], interpretation: Mapping[str, str] | None = None) -> Across: ...


@overload
def across(scenario: Mapping[str, Any], interpretation: Mapping[str, str] | None = None, *,
           format: str) -> str: ...


def across(scenario: Mapping[str, Any], interpretation: Mapping[str, str] | None = None,
           format: str | None = None) -> Across | str:
    """The scenario under every instrument, and each date the executive answer changed: an `Across`
    (periods, changes, `to_dict()`, `str()` for the text view). Given `format` (text, markdown or
    json), the rendering in that format instead, as before."""
    from .across import across as _across

    view = _across(scenario, interpretation)
    if format is None:
        return view
    from .document import FORMATS

    if format not in FORMATS:
        raise ScenarioError(f"unknown format '{format}'", where="format", hint="use text, markdown or json")
    return view.render(format)


def policies() -> PolicyList:
    """Every bundled instrument, in order of entry into force (a tuple of Policy)."""
    from .registry import policies as _policies

    return PolicyList(_policies())


def timeline() -> Timeline:
    """The instruments with their periods of force, successors and the Presidents in office; in a
    notebook it draws itself as an SVG timeline."""
    from .registry import policies as _policies

    return Timeline(_policies())


def policy(policy_id: str) -> Policy:
    """One bundled instrument by id."""
    return evaluator(policy_id).policy


def load_policy(path: str | Path) -> Evaluator:
    """Load a policy file of your own (exercises, drafts); pass the result as `policy=` to evaluate."""
    from .loader import load_policy as _load

    return Evaluator(_load(path, vocabulary()), vocabulary())


def _evaluator(policy: str | Policy | Evaluator) -> Evaluator:
    if isinstance(policy, Evaluator):
        return policy
    if isinstance(policy, Policy):
        return Evaluator(policy, vocabulary())
    return evaluator(policy)
