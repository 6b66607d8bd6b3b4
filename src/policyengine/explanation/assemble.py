"""Explanations assembled for the API and the CLI: why, why not, and what would change the answer."""

from __future__ import annotations

import attrs

from . import whynot
from .counterfactual import counterfactuals
from ..core.decision import Decision
from .document import Block, Document, Line
from ..core.errors import ScenarioError
from ..core.evaluation import Evaluator
from .why import LEVELS, explain


def explanation(decision: Decision, judge: Evaluator, level: str = "standard",
                why_not: str | None = None) -> Document:
    """The explanation document: `why_not` a provision, else the decision at `level`, with the
    smallest changes that would alter the verdict (standard and full levels)."""
    if why_not:
        return whynot.why_not(decision, judge, why_not)
    if level not in LEVELS:
        raise ScenarioError(f"unknown level '{level}'", where="level", hint="use short, standard or full")
    doc = explain(decision, judge, level)
    if level == "short":
        return doc
    found = counterfactuals(decision, judge)
    lines = tuple(Line(cf.words()) for cf in found) or (Line("no change of one or two fields alters the verdict"),)
    data = {**doc.data, "counterfactuals": [cf.to_dict() for cf in found]}
    return attrs.evolve(doc, blocks=(*doc.blocks, Block("what would change the answer", lines)), data=data)
