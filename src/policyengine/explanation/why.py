"""Why: a decision in words at three levels (short, standard, full), built on the reference semantics.

Every provision is cited with its id, quote, source title, URL, date and evidence tag, and
low-confidence provisions are marked, so a reader can check each step against the source.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from ..core.conditions import describe, evaluate, fields_of, simplify
from ..core.decision import Assessment, Citation, Decision, Residual
from ..core.evaluation import Evaluator
from ..core.model import EVIDENCE_LABELS, Rule
from ..core.outcomes import FlagKind, Reason, Verdict
from ..core.timeline import OtherReading, caveats, position_words
from ..core.trace import RuleStatus, RuleTrace
from ..core.words import defeated, defeated_words, plain, scenario_words, verdict_words
from .document import Block, Document, Line

LEVELS = ("short", "standard", "full")
FLAG_LABELS = {"low_confidence": "low confidence", "interpretation": "interpretation", "not_in_force": "dates"}


def citation_line(citation: Citation) -> Line:
    """A provision with its quote, source, date, evidence tag, URL, and low-confidence note."""
    dated = f", {citation.date.isoformat()}" if citation.date else ""
    evidence = EVIDENCE_LABELS.get(citation.evidence, citation.evidence)
    children = [Line(citation.quoted()),
                Line(f"source {citation.source}: {citation.source_title}{dated} [{evidence}]"),
                Line(citation.url)]
    if citation.inherited_from:
        children.append(Line(f"carried forward from {citation.inherited_from}"))
    if citation.confidence == "low":
        children.append(Line(f"LOW CONFIDENCE: {citation.note}"))
    elif citation.note:
        children.append(Line(f"note: {citation.note}"))
    title = f" \u2014 {citation.title}" if citation.title else ""
    return Line(f"{citation.rule}{title}", tuple(children))


def short(decision: Decision) -> str:
    """One sentence: the verdict and the provisions that decided it."""
    verdict = verdict_words(decision.verdict, decision.reason)
    rules = ", ".join(decision.deciding_rules)
    if decision.verdict == Verdict.CONDITIONAL:
        outcomes = " or ".join(dict.fromkeys(verdict_words(r.verdict, r.reason) for r in decision.residual))
        return (f"Under {decision.policy} the answer is conditional: {outcomes}, depending on "
                f"{open_facts(decision)}, which the scenario does not give ({rules}).")
    if decision.verdict == Verdict.CONFLICT:
        return f"Under {decision.policy} the provisions conflict: {rules} apply with different effects."
    if decision.reason == Reason.OUT_OF_SCOPE:
        by = f" by its definition {rules}" if rules else ""
        return f"Under {decision.policy} this is not addressed: it falls outside what the instrument covers{by}."
    if not rules:
        return f"Under {decision.policy} this is not addressed: no provision of the instrument applies."
    if decision.residual and not _common_decides(decision):
        return (f"Under {decision.policy} this is {verdict} whatever {open_facts(decision)}; which of {rules} "
                f"decides depends on them.")
    return f"Under {decision.policy} this is {verdict}, decided by {rules}."


def open_facts(decision: Decision) -> str:
    """The fields the residual outcomes turn on, e.g. `authorization, exceptional_circumstances and delivery`."""
    names = list(dict.fromkeys(f for r in decision.residual for conj in r.when for c in conj for f in sorted(fields_of(c))))
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1] if names else "nothing"


def _common_decides(decision: Decision) -> bool:
    """True when the deciding provisions decide in every branch of a partly open scenario."""
    return bool(decision.deciding_rules) and all(set(decision.deciding_rules) <= set(r.deciding_rules)
                                                 for r in decision.residual)


def explain(decision: Decision, judge: Evaluator, level: str = "standard") -> Document:
    """The explanation of a decision at `level` (short, standard or full)."""
    title = f"{decision.policy}: {verdict_words(decision.verdict, decision.reason).upper()}"
    data = {"level": level, "decision": decision.to_dict()}
    together = read_together(decision, judge)
    if level == "short":
        return Document(title, " ".join(filter(None, (short(decision), together))), (), data)
    blocks = [Block("scenario", (Line(scenario_words(decision.scenario) or "(no fields)"),))]
    if together:
        blocks.append(Block("read together", (Line(together),)))
    if decision.verdict == Verdict.CONDITIONAL:
        blocks.append(Block("possible outcomes", _outcome_lines(decision, judge)))
        blocks.append(Block("provisions involved", tuple(citation_line(c) for c in decision.sources)))
    elif decision.residual and not _common_decides(decision):
        blocks.append(Block("which provision decides depends on facts not given",
                            (Line(f"{verdict_words(decision.verdict, decision.reason)} whatever "
                                  f"{open_facts(decision)}, by whichever of these applies:",
                                  _rule_conditions(decision, judge, decision.deciding_rules)),)))
        blocks.append(Block("provisions involved", tuple(citation_line(c) for c in decision.sources)))
    elif decision.sources:
        heading = "outside the instrument by its definition" if decision.reason == Reason.OUT_OF_SCOPE else "decided by"
        blocks.append(Block(heading, tuple(citation_line(c) for c in decision.sources)))
    also = _also_lines(decision, judge) if decision.verdict != Verdict.CONDITIONAL and _common_decides(decision) else ()
    if also:
        blocks.append(Block("provisions that also apply, depending on facts not given", also))
    cited = judge.citations(decision.interpretation)
    defeated = tuple(Line(defeated_words(target, by),
                          (citation_line(cited[target]),) if target in cited else ())
                     for target, by in decision.defeated_rules.items())
    if defeated:
        blocks.append(Block("exceptions", defeated))
    readings = _reading_lines(decision, judge)
    if readings:
        blocks.append(Block("interpretations", readings))
    if decision.flags:
        blocks.append(Block("flags", tuple(Line(f"{FLAG_LABELS.get(f.kind, f.kind)} ({f.subject}): {f.message}")
                                           for f in decision.flags)))
    if level == "full":
        blocks.append(Block("every provision, condition by condition", rule_lines(decision, judge)))
    return Document(title, short(decision), tuple(blocks), data)


def read_together(decision: Decision, judge: Evaluator) -> str:
    """For an instrument that supplements another: that it is read with it, and where the combined answer is."""
    policy = judge.policy
    if not policy.supplements:
        return ""
    others = " and ".join(policy.supplements)
    end = f", before {policy.in_force_to.isoformat()}" if policy.in_force_to else ""
    silent = (f"What {policy.id} does not address stays as {others} has it. " if decision.verdict == Verdict.NOT_ADDRESSED
              else "")
    return (f"{policy.id} supplements {others} and does not replace it: this is its own text, read alone. "
            f"{silent}For the answer of the two together, evaluate on a date in its period "
            f"(from {policy.in_force_from.isoformat()}{end}) with --on.")


def _outcome_lines(decision: Decision, judge: Evaluator) -> tuple[Line, ...]:
    by_verdict: dict[str, list[Residual]] = {}
    for residual in decision.residual:
        by_verdict.setdefault(verdict_words(residual.verdict, residual.reason), []).append(residual)
    lines = []
    for verdict, group in by_verdict.items():
        if len(group) == 1:
            who = f" by {', '.join(group[0].deciding_rules)}" if group[0].deciding_rules else ""
            lines.append(Line(f"{verdict}{who} if {group[0].describe()}"))
            continue
        children = list(_rule_conditions(decision, judge, [i for r in group for i in r.deciding_rules]))
        if any(not r.deciding_rules for r in group):
            children.append(Line("or when no provision applies"))
        lines.append(Line(f"{verdict} if any of these provisions applies:", tuple(children)))
    return tuple(lines)


def _also_lines(decision: Decision, judge: Evaluator) -> tuple[Line, ...]:
    extra = [i for r in decision.residual for i in r.deciding_rules if i not in decision.deciding_rules]
    return _rule_conditions(decision, judge, extra, "also applies if")


def _rule_conditions(decision: Decision, judge: Evaluator, ids: Iterable[str], verb: str = "if") -> tuple[Line, ...]:
    """Each provision with what is still open of its condition, e.g. `T20-2b if persistence = non_persistent`,
    and the exceptions that defeat it in another outcome (`B04-2 always, unless B04-2.korea applies`)."""
    lines = []
    for rule_id in dict.fromkeys(ids):
        open_part = " or ".join(describe(simplify(r.condition, decision.scenario, judge.vocab))
                                for r in _active(judge, rule_id, decision))
        text = f"{rule_id} always" if open_part == "always" and verb == "if" else f"{rule_id} {verb} {open_part}"
        unless = _defeaters(decision, judge, rule_id)
        lines.append(Line(text + (f", unless {' or '.join(unless)} applies" if unless else "")))
    return tuple(lines)


def _defeaters(decision: Decision, judge: Evaluator, rule_id: str) -> list[str]:
    """The exceptions to `rule_id` that decide one of the decision's possible outcomes."""
    deciding = {i for r in decision.residual for i in r.deciding_rules}
    return list(dict.fromkeys(r.id for r in judge.policy.rules
                              if rule_id in r.exception_to and r.id in deciding and r.holds_under(decision.interpretation)))


def _active(judge: Evaluator, rule_id: str, decision: Decision) -> list[Rule]:
    return [r for r in judge.policy.rules_named(rule_id) if r.holds_under(decision.interpretation)]


def _reading_lines(decision: Decision, judge: Evaluator) -> tuple[Line, ...]:
    involved = set(decision.deciding_rules)
    lines = []
    for name, spec in judge.policy.interpretations.items():
        tagged = {r.id for r in judge.policy.rules if name in dict(r.interpretation)}
        flagged = any(f.kind == FlagKind.INTERPRETATION and f.subject == name for f in decision.flags)
        if flagged or tagged & involved:
            reading = decision.interpretation.get(name, spec.default)
            default = " (the default)" if reading == spec.default else ""
            lines.append(Line(f"{name}: {spec.question} Read as '{reading}'{default}: {spec.readings[reading]}"))
    return tuple(lines)


def rule_lines(decision: Decision, judge: Evaluator) -> tuple[Line, ...]:
    """Every provision of the instrument and why it did or did not apply, condition by condition."""
    scope = evaluate(judge.policy.scope, decision.scenario, judge.vocab)
    lines = [Line(f"scope: {_mark(scope)} {describe(judge.policy.scope)}")]
    for row in judge.trace_of(decision):
        lines.append(Line(f"{row.rule} ({row.effect}): {rule_status(row, decision)}",
                          tuple(Line(f"{_mark(truth)} {describe(part)}") for part, truth in row.conditions)))
    return tuple(lines)


def _mark(truth: bool | None) -> str:
    return {True: "[holds]", False: "[fails]", None: "[open] "}[truth]


def rule_status(row: RuleTrace, decision: Decision) -> str:
    """How one rule stands in a decision: deciding, defeated, applies, does not apply, or open."""
    if decision.reason == Reason.OUT_OF_SCOPE:
        return "not considered: the scenario is outside the instrument's scope"
    if row.status is RuleStatus.OPEN:
        return "open: it depends on facts the scenario does not give"
    if row.status is RuleStatus.FAILS:
        return "does not apply"
    if row.defeated_by:
        return f"applies, but is {defeated(row.defeated_by, exception=False)}"
    if row.deciding:
        return "applies and decides"
    return "applies"


def assessment_document(assessment: Assessment, judges: Mapping[str, Evaluator], level: str = "standard",
                        others: Sequence[OtherReading] = ()) -> Document:
    """Everything in force on a date, each instrument's answer, and the overall US position; the
    deciding instrument's explanation at `level`; the caveats of the other layers, and the position
    under the other readings (`timeline.other_readings`) of any interpretation it turns on."""
    day = assessment.date.isoformat()
    roles = {layer.policy: layer.role for layer in assessment.layers}
    who = (f" under {assessment.deciding_policy} ({', '.join(assessment.deciding_rules)})"
           + (", inherited" if roles.get(assessment.deciding_policy) == "inherited" else "")
           if assessment.deciding_policy else "")
    silent = position_words(assessment.verdict, assessment.deciding_policy, assessment.layers)
    title = f"{day}: US position {verdict_words(assessment.verdict).upper()}{who}"
    if silent:  # "NOT ADDRESSED by US policy; the treaty apii allows it (APII-8.1d)"
        title += silent[len("not addressed"):]
    president = f" (President {assessment.president})" if assessment.president else ""
    binding = [layer for layer in assessment.layers if layer.binds_us]
    outside = [layer for layer in assessment.layers if not layer.binds_us]
    summary = (f"On {day}{president}: " + "; ".join(
        f"under {layer.policy} it is {verdict_words(layer.decision.verdict, layer.decision.reason)}"
        for layer in binding) + "".join(
        f"; under {layer.policy}, which does not bind the US, it would be "
        f"{verdict_words(layer.decision.verdict, layer.decision.reason)}" for layer in outside) + ".")
    summary += "".join(f" Under the reading '{o.reading}' of {o.interpretation} ({o.policy}) the US position "
                       f"would be {_position_words(o)}." for o in others)
    layers = []
    for layer in assessment.layers:
        role = plain(layer.role) if layer.binds_us else "not binding on the US, not counted"
        rules = f" by {', '.join(layer.decision.deciding_rules)}" if layer.decision.deciding_rules else ""
        children = (Line(layer.note),) if layer.note else ()
        layers.append(Line(f"{layer.policy} ({role}): "
                           f"{verdict_words(layer.decision.verdict, layer.decision.reason)}{rules}", children))
    blocks = [Block("scenario", (Line(scenario_words(assessment.scenario)),)), Block("in force", tuple(layers))]
    deciding = next((layer.decision for layer in assessment.layers
                     if layer.policy == assessment.deciding_policy), None)
    if deciding is not None:
        inner = explain(deciding, judges[deciding.policy], "full" if level == "full" else "standard")
        blocks += [Block(f"{deciding.policy}: {b.heading}", b.lines) for b in inner.blocks if b.heading != "scenario"]
    shown_flags = deciding.policy if deciding is not None else None
    others_flags = tuple(Line(f"{policy}: {FLAG_LABELS.get(flag.kind, flag.kind)} ({flag.subject}): {flag.message}")
                         for policy, flag in caveats(assessment) if policy != shown_flags)
    if others_flags:
        blocks.append(Block("caveats from the other instruments in force", others_flags))
    return Document(title, summary, tuple(blocks), {"assessment": assessment.to_dict()})


def _position_words(other: OtherReading) -> str:
    """`PROHIBITED (STAT-1)` or `NOT ADDRESSED by US policy`."""
    if other.deciding_policy is None:
        return f"{verdict_words(other.verdict).upper()}" + (" by US policy" if other.verdict == Verdict.NOT_ADDRESSED else "")
    return f"{verdict_words(other.verdict).upper()} under {other.deciding_policy} ({', '.join(other.deciding_rules)})"
