"""Why not: for one provision, which of its conditions fail, or what defeats or outweighs it."""

from __future__ import annotations

from collections.abc import Mapping

from ..core.conditions import Condition, describe, fields_of
from ..core.decision import Decision
from ..core.errors import ScenarioError
from ..core.evaluation import Evaluator
from ..core.outcomes import Reason, Verdict
from ..core.trace import RuleStatus
from ..core.vocabulary import Value, did_you_mean, show_value
from ..core.words import defeated, scenario_words, verdict_words
from .document import Block, Document, Line
from .why import citation_line


def why_not(decision: Decision, judge: Evaluator, rule_id: str) -> Document:
    """Why `rule_id` did not decide: its failing or open conditions, or the rule that defeats or
    outweighs it; ScenarioError with a suggestion for an unknown id."""
    policy, scenario = judge.policy, decision.scenario
    versions = policy.rules_named(rule_id)
    if not versions:
        raise ScenarioError(f"{policy.id} has no provision '{rule_id}'", where="--why-not",
                            hint=did_you_mean(rule_id, policy.rule_ids()))
    active = [r for r in versions if r.holds_under(decision.interpretation)]
    title = f"why not {rule_id} ({policy.id})"
    lines: list[Line] = []
    if not active:
        readings = ", ".join(f"{n}={v}" for r in versions for n, v in r.interpretation)
        summary = f"{rule_id} is part of {policy.id} only under another reading ({readings})."
        return Document(title, summary, (Block("scenario", (Line(scenario_words(scenario)),)),),
                        {"rule": rule_id, "status": "other_reading"})
    rule = active[0]
    row = judge.trace_of(decision).rule(rule_id)
    assert row is not None
    if decision.reason == Reason.OUT_OF_SCOPE:
        status = "out_of_scope"
        summary = (f"{rule_id} is not considered: the scenario falls outside what {policy.id} covers "
                   f"({', '.join(decision.deciding_rules) or 'its scope'}).")
    elif row.status is RuleStatus.FAILS:
        status = "fails"
        failing = row.failing
        summary = f"{rule_id} does not apply: it requires " + "; and ".join(
            describe(p) + (f", and the scenario has {_known(p, scenario)}" if _known(p, scenario) else "")
            for p in failing) + "."
        lines = [Line(f"[fails] {describe(p)}" + (f" (the scenario has {_known(p, scenario)})"
                                                  if _known(p, scenario) else "")) for p in failing]
    elif row.status is RuleStatus.OPEN:
        status = "open"
        open_parts = row.open
        summary = f"{rule_id} may apply: it depends on " + "; ".join(describe(p) for p in open_parts) + "."
        lines = [Line(f"[open] {describe(p)}") for p in open_parts]
    elif row.defeated_by:
        status = "defeated"
        by = row.defeated_by
        summary = f"{rule_id} applies, but it is {defeated(by)}."
    elif decision.verdict == Verdict.CONFLICT and rule_id in decision.deciding_rules:
        status = "conflict"
        others = [i for i in decision.deciding_rules if i != rule_id]
        summary = f"{rule_id} applies ({rule.effect}) but conflicts with {', '.join(others)}."
    elif row.deciding:
        status = "decides"
        summary = f"{rule_id} applies and decides: the answer is {verdict_words(decision.verdict)}."
    else:
        status = "outweighed"
        summary = (f"{rule_id} applies ({rule.effect}), but the decision is {verdict_words(decision.verdict)} "
                   f"by {', '.join(decision.deciding_rules)}" +
                   (f" ({decision.reason.replace('_', ' ')})" if decision.reason else "") + ".")
    blocks = [Block("scenario", (Line(scenario_words(scenario)),))]
    if lines:
        blocks.append(Block("conditions", tuple(lines)))
    cited = [rule_id] + (list(decision.defeated_rules[rule_id]) if status == "defeated" else [])
    blocks.append(Block("the provision" if len(cited) == 1 else "the provision and its exception",
                        tuple(citation_line(judge.citation(i, decision.interpretation)) for i in cited)))
    return Document(title, summary, tuple(blocks), {"rule": rule_id, "status": status,
                                                   "decision": decision.to_dict()})


def _known(part: Condition, scenario: Mapping[str, Value]) -> str:
    """What the scenario says about the fields a condition tests, e.g. `purpose = combat`."""
    return ", ".join(f"{f} = {show_value(scenario[f])}" for f in sorted(fields_of(part)) if f in scenario)
