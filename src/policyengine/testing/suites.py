"""Named scenarios and scenario suites: YAML cases with the verdict and deciding provisions expected."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from ..core.data import data_dir
from ..core.decision import Decision
from ..core.errors import PolicyEngineError, PolicyFileError, ScenarioError, SuiteError, shown
from ..core.evaluation import Evaluator
from ..core.outcomes import Reason, Verdict
from ..core.vocabulary import VERDICT_NAMES, Value, Vocabulary, did_you_mean, lookup
from ..core.yamlio import load_yaml, where

if TYPE_CHECKING:
    from ..core.corpus import Corpus

CASE_KEYS = ("name", "scenario", "with", "interpretation", "verdict", "deciding", "reason", "outcomes", "brief",
             "confidence", "note")


@attrs.frozen
class NamedScenario:
    """A question in words and the scenario fields that state it."""

    name: str
    question: str
    fields: Mapping[str, Value] = attrs.field(eq=False)
    row: int | None = None


@attrs.frozen
class Case:
    """One expectation: under `policy`, the scenario gives `verdict`, decided by `deciding`."""

    policy: str
    label: str
    fields: Mapping[str, Value] = attrs.field(eq=False)
    verdict: str
    deciding: tuple[str, ...]
    where: str
    interpretation: Mapping[str, str] = attrs.field(factory=dict, eq=False)
    reason: str | None = None
    outcomes: tuple[tuple[str, tuple[str, ...]], ...] = ()
    row: int | None = None
    cell: str = ""
    confidence: str = "high"
    note: str = ""
    #: the instrument, when the suite names a policy file rather than an id of the corpus
    judge: Evaluator | None = attrs.field(default=None, eq=False, repr=False)


@attrs.frozen
class CaseResult:
    """A case and what the library answered; `problems` is empty when it passed."""

    case: Case
    decision: Decision | None
    problems: tuple[str, ...]

    @property
    def passed(self) -> bool:
        """True when the verdict, deciding rules, reason and outcomes are as expected."""
        return not self.problems


def scenarios_dir() -> Path:
    """The folder of named scenarios and suites."""
    return data_dir() / "scenarios"


@lru_cache(maxsize=4)
def named_scenarios(vocab: Vocabulary) -> dict[str, NamedScenario]:
    """Every named scenario of `scenarios/named.yaml`, fields typed against `vocab`."""
    path = str(scenarios_dir() / "named.yaml")
    doc = load_yaml(path)
    entries = doc.get("scenarios") if isinstance(doc, Mapping) else None
    if not isinstance(entries, Mapping):
        raise SuiteError("no 'scenarios' mapping", where=path, hint="see docs/policy-format.md")
    out = {}
    for name, spec in entries.items():
        loc = where(path, entries, name)
        if not isinstance(spec, Mapping) or not isinstance(spec.get("fields"), Mapping):
            raise SuiteError(f"named scenario '{name}' has no 'fields' mapping", where=loc,
                             hint="fields: {activity: use, mine: anti_personnel}")
        try:
            fields = vocab.validate(spec["fields"], where(path, spec, "fields"))
        except ScenarioError as exc:
            raise SuiteError(exc.message, where=exc.where, hint=exc.hint) from None
        brief = spec.get("brief") or {}
        out[str(name)] = NamedScenario(str(name), str(spec.get("question", "")), fields, brief.get("row"))
    return out


def named(name: str, vocab: Vocabulary) -> NamedScenario:
    """One named scenario; ScenarioError with a suggestion if there is none."""
    return lookup(named_scenarios(vocab), name, "scenario", "--scenario", ScenarioError, "policyengine scenarios")


def suite_files() -> list[Path]:
    """Every suite file, one per instrument (plus any others under scenarios/suites)."""
    return sorted((scenarios_dir() / "suites").glob("*.yaml"))


def load_suite(path: str | Path, corpus: Corpus) -> list[Case]:
    """The cases of one suite file; SuiteError naming file:line on a malformed case.

    `policy:` is an id of the corpus or the path of a policy
    file, relative to the suite."""
    path = str(path)
    doc = load_yaml(path)
    if not isinstance(doc, Mapping) or "policy" not in doc or not isinstance(doc.get("cases"), list):
        raise SuiteError("a suite needs 'policy' and a list of 'cases'", where=where(path, doc),
                         hint="see docs/policy-format.md#scenario-suites")
    named_policy = str(doc["policy"])
    at = where(path, doc, "policy")
    ref = Path(path).parent / named_policy
    if named_policy not in corpus and named_policy.endswith((".yaml", ".yml")) \
            and not ref.is_file() and not Path(named_policy).is_file():
        raise SuiteError(f"no policy file '{shown(named_policy)}': tried {ref.resolve()}", where=at,
                         hint="name an instrument id or a policy file, relative to the suite")
    try:
        if named_policy in corpus:
            judge, own = corpus.evaluator(named_policy), None
        else:
            judge = own = corpus.resolve(ref if ref.is_file() else named_policy)
    except PolicyFileError as exc:  # the policy file's own error, at its own line
        raise SuiteError(exc.message, where=exc.where or at,
                         hint=(f"{exc.hint}; " if exc.hint else "") + f"the policy of the suite {at}") from None
    except PolicyEngineError as exc:
        raise SuiteError(exc.message, where=at,
                         hint=exc.hint or "name an instrument id or a policy file next to the suite") from None
    cases = [_case(path, judge.policy.id, entry, i, corpus.vocabulary) for i, entry in enumerate(doc["cases"])]
    return [attrs.evolve(c, judge=own) for c in cases] if own else cases


def _case(path: str, policy: str, entry: Any, index: int, vocab: Vocabulary) -> Case:
    loc = where(path, entry) if isinstance(entry, Mapping) else where(path, None)
    if not isinstance(entry, Mapping):
        raise SuiteError(f"case {index + 1} is not a mapping", where=loc, hint="see docs/policy-format.md")
    for key in entry:
        if key not in CASE_KEYS:
            raise SuiteError(f"unknown key '{key}' in a case", where=where(path, entry, key),
                             hint=did_you_mean(str(key), CASE_KEYS))
    for key in ("scenario", "verdict"):
        if key not in entry:
            raise SuiteError(f"case has no '{key}'", where=loc, hint=f"add {key}:")
    raw = entry["scenario"]
    try:
        if isinstance(raw, Mapping):
            label, fields, row = "inline", vocab.validate(raw, loc), None
        else:
            scenario = named(str(raw), vocab)
            label, fields, row = scenario.name, dict(scenario.fields), scenario.row
        fields = {**fields, **vocab.validate(entry.get("with") or {}, loc)}
        vocab.check_consistency(fields, loc)
    except ScenarioError as exc:
        raise SuiteError(exc.message, where=loc, hint=exc.hint) from None
    verdict = _choice(path, entry, "verdict", VERDICT_NAMES)
    if entry.get("name") is not None:
        label = str(entry["name"])
    brief = entry.get("brief") or {}
    if not isinstance(brief, Mapping):
        raise SuiteError(f"'brief' must be a mapping, not '{shown(brief)}'", where=where(path, entry, "brief"),
                         hint="write brief: {row: 12, cell: permitted}")
    interpretation = entry.get("interpretation") or {}
    if not isinstance(interpretation, Mapping) or not all(isinstance(v, str) for v in interpretation.values()):
        raise SuiteError(f"'interpretation' must map names to readings, not '{shown(interpretation)}'",
                         where=where(path, entry, "interpretation"), hint="write interpretation: {b22-2-korea: literal}")
    return Case(
        policy=policy, label=label, fields=fields, verdict=verdict,
        deciding=_names(path, entry, "deciding"), where=loc,
        interpretation={str(k): v for k, v in interpretation.items()},
        reason=_choice(path, entry, "reason", tuple(str(r) for r in Reason)) if "reason" in entry else None,
        outcomes=_outcomes(path, entry), row=brief.get("row", row), cell=str(brief.get("cell", "")),
        confidence=_choice(path, entry, "confidence", ("high", "low")) if "confidence" in entry else "high",
        note=" ".join(str(entry.get("note") or "").split()),
    )


def _choice(path: str, node: Mapping[str, Any], key: str, allowed: tuple[str, ...]) -> str:
    """`node[key]`, which must be one of `allowed`; SuiteError at its line otherwise."""
    value = node[key]
    if not isinstance(value, str) or value not in allowed:
        raise SuiteError(f"unknown {key} '{shown(value)}'", where=where(path, node, key),
                         hint=did_you_mean(shown(value), allowed))
    return value


def _names(path: str, node: Mapping[str, Any], key: str) -> tuple[str, ...]:
    """`node[key]`: a list of rule ids (or one), sorted; SuiteError at its line otherwise."""
    value = node.get(key) or []
    value = [value] if isinstance(value, str) else value
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SuiteError(f"'{key}' must list rule ids, not '{shown(value)}'", where=where(path, node, key),
                         hint=f"write {key}: [B22-2.destruction]")
    return tuple(sorted(value))


def _outcomes(path: str, entry: Mapping[str, Any]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The expected outcomes of a conditional case: each a mapping with a verdict and deciding rules."""
    raw = entry.get("outcomes") or []
    if not isinstance(raw, list):
        raise SuiteError(f"'outcomes' must be a list, not '{shown(raw)}'", where=where(path, entry, "outcomes"),
                         hint="write outcomes: [{verdict: permitted, deciding: [B22-6]}]")
    out = []
    for index, outcome in enumerate(raw):
        if not isinstance(outcome, Mapping) or "verdict" not in outcome:
            raise SuiteError(f"outcome {index + 1} must be a mapping with a verdict, not '{shown(outcome)}'",
                             where=where(path, raw, index=index),
                             hint="write outcomes: [{verdict: permitted, deciding: [B22-6]}]")
        out.append((_choice(path, outcome, "verdict", VERDICT_NAMES), _names(path, outcome, "deciding")))
    return tuple(out)


def all_cases(corpus: Corpus) -> list[Case]:
    """The cases of every bundled suite, against `corpus`."""
    return [case for path in suite_files() for case in load_suite(path, corpus)]


def run_case(case: Case, corpus: Corpus) -> CaseResult:
    """Evaluate one case and compare verdict, deciding rules, reason and (for conditional) outcomes.

    A conditional case may leave `deciding` out when it lists `outcomes`: each outcome names its own.
    """
    try:
        judge = case.judge or corpus.evaluator(case.policy)
        decision = judge.evaluate(case.fields, case.interpretation)
    except PolicyEngineError as exc:
        return CaseResult(case, None, (f"error: {exc}",))
    problems = []
    if decision.verdict != case.verdict:
        problems.append(f"verdict {decision.verdict}, expected {case.verdict}")
    if not (case.verdict == Verdict.CONDITIONAL and case.outcomes and not case.deciding) and \
            tuple(sorted(decision.deciding_rules)) != case.deciding:
        problems.append(f"deciding {sorted(decision.deciding_rules)}, expected {list(case.deciding)}")
    if case.reason is not None and decision.reason != case.reason:
        problems.append(f"reason {decision.reason}, expected {case.reason}")
    if case.outcomes:
        got = sorted((r.verdict, tuple(sorted(r.deciding_rules))) for r in decision.residual)
        if got != sorted(case.outcomes):
            problems.append(f"outcomes {got}, expected {sorted(case.outcomes)}")
    return CaseResult(case, decision, tuple(problems))
