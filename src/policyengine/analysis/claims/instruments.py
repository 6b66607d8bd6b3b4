"""The instruments a claim ranges over: the one it names, and a synthetic one made of its conditions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from ...core.conditions import TRUE, Condition
from ...core.corpus import Corpus, PolicyRef
from ...core.decision import Decision
from ...core.errors import ClaimError
from ...core.evaluation import Evaluator
from ...core.model import Policy, Rule, Source
from ...core.vocabulary import Value
from .grammar import InstrumentRef


def resolve(ref: InstrumentRef, corpus: Corpus) -> Evaluator:
    """The instrument a claim names: an id (or policy file) of the corpus, or `the YEAR policy`."""
    if ref.name is not None:
        return corpus.resolve(ref.name)
    found = [p for p in corpus if p.kind == "executive_policy" and p.announced.year == ref.year]
    if len(found) != 1:
        years = sorted({p.announced.year for p in corpus if p.kind == "executive_policy"})
        raise ClaimError(
            f"'the {ref.year} policy' names {'no' if not found else 'more than one'} executive policy",
            where="claim", hint=("name it by id: " + ", ".join(p.id for p in found)) if found else
            f"the executive policies were announced in {', '.join(map(str, years))}; or name one by id")
    return corpus.evaluator(found[0].id)


def synthetic(condition: Condition, start: dt.date, end: dt.date | None) -> Policy:
    """An instrument whose only rule is the claim's conditions, so the space splits on them."""
    source = Source("claim", "the claim's conditions", "", None, "unverified")
    rule = Rule("claim", "permitted", condition, condition, source, "", "unverified")
    return Policy("claim", "the claim's conditions", "statute", False, start, start, end, TRUE, (rule,), {})


def decide(scenario: Mapping[str, Value], policy: PolicyRef, selection: Mapping[str, str], corpus: Corpus) -> Decision:
    """The decision of `policy` (of the corpus, or loaded) on a scenario, validated first."""
    judge = corpus.resolve(policy)
    return judge.evaluate(judge.vocab.validate(scenario), selection)
