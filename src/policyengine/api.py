"""The public functions: each takes an optional `corpus` and defaults to the bundled instruments.

This module and the command line's argument helpers are the only places that pick the bundled
corpus; everything below them is given a `Corpus`. `policyengine/__init__` re-exports it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, overload

from .analysis import diff as analysis_diff
from .analysis.across import Across
from .analysis.across import across as across_view
from .analysis.claims import claim as check_claim
from .core.corpus import Corpus, PolicyRef
from .core.decision import Assessment, Decision
from .core.errors import ScenarioError
from .core.evaluation import Evaluator
from .core.loader import load_policy as load_policy_file
from .core.model import Policy
from .core.timeline import evaluate_on as timeline_evaluate_on
from .core.timeline import in_force as timeline_in_force
from .core.timeline import parse_date, president_on
from .explanation.assemble import explanation
from .explanation.document import FORMATS
from .registry import bundled, vocabulary
from .show.results import PolicyList, Standing, Timeline

__all__ = ["across", "bundled", "claim", "compare", "diff", "evaluate", "evaluate_many", "evaluate_on", "explain",
           "implies", "in_force", "load_policy", "policies", "policy", "timeline", "vocabulary"]


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
    return timeline_evaluate_on(scenario, date, interpretation, corpus=_corpus(corpus))


def in_force(date: str | Any, corpus: Corpus | None = None) -> Standing:
    """The instruments of the corpus in force on `date` (a tuple of InForce), with their role in the
    layering and a note."""
    day = parse_date(date)
    return Standing(timeline_in_force(day, _corpus(corpus)), day, president_on(day))


def explain(decision: Decision, level: str = "standard", format: str = "text", why_not: str | None = None,
            policy: PolicyRef | None = None, corpus: Corpus | None = None) -> str:
    """Explain a decision in words: `level` short, standard or full; `format` text, markdown or json;
    `why_not` a provision id to ask why it did not decide. Pass `policy` (or a corpus holding it) for
    an instrument of your own."""
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
    view = across_view(scenario, interpretation, corpus=_corpus(corpus))
    if format is None:
        return view
    if format not in FORMATS:
        raise ScenarioError(f"unknown format '{format}'", where="format", hint="use text, markdown or json")
    return view.render(format)


def policies(corpus: Corpus | None = None) -> PolicyList:
    """Every instrument of the corpus (default: the bundled ones), in order of entry into force (a
    tuple of Policy)."""
    return PolicyList(_corpus(corpus))


def timeline(corpus: Corpus | None = None) -> Timeline:
    """The instruments with their periods of force, successors and the Presidents in office; in a
    notebook it draws itself as an SVG timeline."""
    return Timeline(_corpus(corpus))


def diff(a: PolicyRef, b: PolicyRef, on: str | Any | None = None, corpus: Corpus | None = None,
         interpretation: Mapping[str, str] | None = None) -> Any:
    """Every change of verdict from instrument `a` to `b` over the scenario space, in compact classes
    with a witness each (see `policyengine.analysis.diff`)."""
    return analysis_diff.diff(a, b, on, corpus=_corpus(corpus), interpretation=interpretation)


def compare(a: PolicyRef, b: PolicyRef, on: str | Any | None = None, corpus: Corpus | None = None,
            interpretation: Mapping[str, str] | None = None) -> Any:
    """Whether `a` permits the same scenarios as `b`, more, fewer, or neither, with counterexamples."""
    return analysis_diff.compare(a, b, on, corpus=_corpus(corpus), interpretation=interpretation)


def implies(a: PolicyRef, b: PolicyRef, on: str | Any | None = None, corpus: Corpus | None = None,
            interpretation: Mapping[str, str] | None = None) -> Any:
    """Whether every scenario `a` permits, `b` permits too (truthy), with a counterexample when not."""
    return analysis_diff.implies(a, b, on, corpus=_corpus(corpus), interpretation=interpretation)


def claim(text: str, corpus: Corpus | None = None) -> Any:
    """Check a claim in controlled English ("under obama-2014, no scenarios where activity is use and
    location is elsewhere are permitted") over the scenario space: TRUE with the provisions, FALSE with
    a smallest counterexample, or DEPENDS ON READING (see `policyengine.analysis.claims`)."""
    return check_claim(text, _corpus(corpus))


def policy(policy_id: str, corpus: Corpus | None = None) -> Policy:
    """One instrument of the corpus (default: the bundled ones) by id."""
    return _corpus(corpus)[policy_id]


def load_policy(path: str | Path) -> Policy:
    """Load a policy file of your own (exercises, drafts); pass it as `policy=` or add it to a corpus
    with `pe.bundled().with_policy(...)`. Its evaluator is compiled once, on first use."""
    return load_policy_file(path, vocabulary())


def _corpus(corpus: Corpus | None) -> Corpus:
    """The corpus given, or the bundled instruments: the library's one default."""
    return bundled() if corpus is None else corpus


def _judge(policy: PolicyRef, corpus: Corpus | None) -> Evaluator:
    """The evaluator for `policy` in the corpus (default: the bundled instruments)."""
    return _corpus(corpus).resolve(policy)
