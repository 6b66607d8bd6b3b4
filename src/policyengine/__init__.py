"""policyengine: US anti-personnel landmine policy, 1992-2025, as declarative rules.

Evaluate a scenario against one instrument (`evaluate`) or everything in force on a date
(`evaluate_on`), and get a verdict with the provision that decided it, its quote and its source.

The functions are those of `policyengine.api`, and the result collections those of
`policyengine.show.results`; both load on first use (`LAZY`), so importing the package loads only the core.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .core.corpus import Corpus
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
from .version import __version__  # noqa: F401 - `policyengine.__version__`

if TYPE_CHECKING:
    from .api import (
        across,
        bundled,
        claim,
        compare,
        diff,
        evaluate,
        evaluate_many,
        evaluate_on,
        explain,
        implies,
        in_force,
        load_policy,
        policies,
        policy,
        timeline,
        vocabulary,
    )
    from .show.results import PolicyList, Standing, Timeline

#: The names loaded on first use, and the module each comes from: the package's one lazy door (see
#: `__getattr__`), so that `import policyengine` loads only the core.
LAZY = {
    **dict.fromkeys(("across", "bundled", "claim", "compare", "diff", "evaluate", "evaluate_many", "evaluate_on",
                     "explain", "implies", "in_force", "load_policy", "policies", "policy", "timeline", "vocabulary"), "policyengine.api"),
    **dict.fromkeys(("PolicyList", "Standing", "Timeline"), "policyengine.show.results"),
}

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


def __getattr__(name: str) -> Any:
    """A name of `LAZY`, imported from its module the first time it is asked for (then kept here)."""
    if name not in LAZY:
        raise AttributeError(f"module 'policyengine' has no attribute '{name}'")
    value = getattr(importlib.import_module(LAZY[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *LAZY})
