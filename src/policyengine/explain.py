"""Decisions in words: the verdict, the provision that decided it with its quote and source, the flags."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping

from .conditions import describe, simplify
from .decision import Assessment, Citation, Decision, Residual
from .model import EVIDENCE_LABELS, Policy
from .vocabulary import Vocabulary

WIDTH = 100


def verdict_words(verdict: str, reason: str | None = None) -> str:
    """`not_addressed` -> `not addressed (out of scope)`."""
    words = verdict.replace("_", " ")
    return f"{words} ({reason.replace('_', ' ')})" if reason else words


def scenario_words(scenario: Mapping[str, object]) -> str:
    """`activity=use mine=anti_personnel ...` in vocabulary order."""
    return " ".join(f"{k}={_value(v)}" for k, v in scenario.items())


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def cite(citation: Citation, indent: str = "    ") -> list[str]:
    """A citation as lines: quote, source title and date, evidence tag, URL, and any note."""
    lines = []
    wrap = textwrap.TextWrapper(width=WIDTH, initial_indent=indent, subsequent_indent=indent + " ")
    lines += wrap.wrap(f"\u201c{citation.quote}\u201d")
    dated = f", {citation.date.isoformat()}" if citation.date else ""
    lines += wrap.wrap(f"source {citation.source}: {citation.source_title}{dated} "
                       f"[{EVIDENCE_LABELS.get(citation.evidence, citation.evidence)}]")
    lines.append(f"{indent}{citation.url}")
    if citation.inherited_from:
        lines.append(f"{indent}carried forward from {citation.inherited_from}")
    return lines


def short(decision: Decision) -> str:
    """One sentence: the verdict and the provisions that decided it."""
    verdict = verdict_words(decision.verdict, decision.reason)
    if decision.verdict == "conditional":
        outcomes = sorted({r.verdict for r in decision.residual})
        return (f"Under {decision.policy} the answer is conditional: it is {' or '.join(outcomes)} "
                f"depending on facts the scenario does not give ({', '.join(decision.deciding_rules)}).")
    if decision.deciding_rules:
        return f"Under {decision.policy} this is {verdict}, decided by {', '.join(decision.deciding_rules)}."
    return f"Under {decision.policy} this is {verdict}: no provision of the instrument applies."


def standard(decision: Decision, policy: Policy, vocab: Vocabulary) -> str:
    """The verdict, deciding provisions with quotes and sources, defeated rules, residuals and flags."""
    lines = [f"{decision.policy}: {verdict_words(decision.verdict, decision.reason).upper()}"]
    if decision.scenario:
        lines.append(f"  scenario: {scenario_words(decision.scenario)}")
    cited = {c.rule: c for c in decision.sources}
    if decision.verdict == "conditional":
        lines += _conditional(decision, policy, vocab)
    elif decision.reason == "out_of_scope":
        lines.append(f"  outside what {decision.policy} covers"
                     + (f", by its definition {', '.join(decision.deciding_rules)}:" if decision.deciding_rules
                        else "."))
    elif not decision.deciding_rules:
        lines.append(f"  no provision of {decision.policy} applies: the instrument is silent on this")
    else:
        lines.append("  decided by:")
    if decision.verdict != "conditional":
        for rule_id in decision.deciding_rules:
            lines.append(f"  {rule_id}" + (f" \u2014 {cited[rule_id].title}" if cited[rule_id].title else ""))
            lines += cite(cited[rule_id])
    for target, by in decision.defeated_rules.items():
        lines.append(f"  {target} applies but is defeated by its exception {', '.join(by)}")
    if decision.verdict == "conditional":
        lines.append("  provisions:")
        for citation in decision.sources:
            lines.append(f"  {citation.rule}" + (f" \u2014 {citation.title}" if citation.title else ""))
            lines += cite(citation)
    lines += flag_lines(decision)
    return "\n".join(lines)


def flag_lines(decision: Decision) -> list[str]:
    """The flags of a decision, wrapped."""
    if not decision.flags:
        return []
    lines = ["  flags:"]
    labels = {"low_confidence": "low confidence", "interpretation": "interpretation", "not_in_force": "dates"}
    for flag in decision.flags:
        head = f"    {labels.get(flag.kind, flag.kind)} ({flag.subject}): "
        lines += textwrap.wrap(flag.message, width=WIDTH, initial_indent=head,
                               subsequent_indent=" " * 6)
    return lines


def _conditional(decision: Decision, policy: Policy, vocab: Vocabulary) -> list[str]:
    lines = ["  the answer turns on facts the scenario does not give:"]
    by_verdict: dict[str, list[Residual]] = {}
    for residual in decision.residual:
        by_verdict.setdefault(verdict_words(residual.verdict, residual.reason), []).append(residual)
    for verdict, group in by_verdict.items():
        if len(group) == 1:
            who = f" by {', '.join(group[0].deciding_rules)}" if group[0].deciding_rules else ""
            lines += textwrap.wrap(f"{verdict}{who} if {group[0].describe()}", width=WIDTH,
                                   initial_indent="  - ", subsequent_indent="      ")
            continue
        lines.append(f"  - {verdict} if any of these provisions applies:")
        for rule_id in dict.fromkeys(i for r in group for i in r.deciding_rules):
            rules = policy.rules_named(rule_id)
            when = " or ".join(describe(simplify(r.condition, decision.scenario, vocab)) for r in rules
                               if r.holds_under(decision.interpretation))
            lines += textwrap.wrap(f"{rule_id} if {when}", width=WIDTH, initial_indent="      ",
                                   subsequent_indent="        ")
        if any(not r.deciding_rules for r in group):
            lines.append("      (or when none applies)")
    return lines


def assessment_text(assessment: Assessment) -> str:
    """Everything in force on a date, each instrument's answer, and the overall US position."""
    day = assessment.date.isoformat()
    who = f" under {assessment.deciding_policy} ({', '.join(assessment.deciding_rules)})" \
        if assessment.deciding_policy else ""
    lines = [f"{day} (President {assessment.president}): US position {verdict_words(assessment.verdict).upper()}{who}"]
    lines.append(f"  scenario: {scenario_words(assessment.scenario)}")
    lines.append("  in force:")
    for layer in assessment.layers:
        counted = "" if layer.binds_us else " [not counted]"
        rules = f" by {', '.join(layer.decision.deciding_rules)}" if layer.decision.deciding_rules else ""
        lines.append(f"  - {layer.policy} ({layer.role}){counted}: "
                     f"{verdict_words(layer.decision.verdict, layer.decision.reason)}{rules}")
        if layer.note:
            lines += textwrap.wrap(layer.note, width=WIDTH, initial_indent="      ", subsequent_indent="      ")
    deciding = next((layer.decision for layer in assessment.layers if layer.policy == assessment.deciding_policy),
                    None)
    if deciding is not None:
        lines.append("")
        lines.append(standard_body(deciding))
    return "\n".join(lines)


def standard_body(decision: Decision) -> str:
    """The deciding provisions of a decision with their citations, and its flags."""
    lines = [f"{decision.policy} decided it by:"]
    for citation in decision.sources:
        lines.append(f"  {citation.rule}" + (f" \u2014 {citation.title}" if citation.title else ""))
        lines += cite(citation)
    lines += flag_lines(decision)
    return "\n".join(lines)
