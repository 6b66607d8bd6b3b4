"""Grade a policy file: each case is a scenario with the verdict and deciding provisions expected;
feedback names the provisions the file mishandles, read from the decision's trace."""

from __future__ import annotations

from pathlib import Path

from ..core.conditions import fields_of
from ..core.corpus import Corpus
from ..core.decision import Decision
from ..core.evaluation import Evaluator
from ..core.loader import load_policy
from ..core.outcomes import Reason, Verdict
from ..core.trace import RuleStatus
from ..core.vocabulary import show_value
from ..core.words import outcome_words, provision_list, scenario_words
from .catalogue import Exercise
from .grading import CaseResult, cases_of, guards_of


def grade_policy(ex: Exercise, path: Path, corpus: Corpus) -> tuple[CaseResult, ...]:
    """Each public case (and, with the course key, each hidden case and guard) against the student's policy,
    read on the corpus's vocabulary."""
    vocab = corpus.vocabulary
    policy = load_policy(path, vocab)
    judge = Evaluator(policy, vocab)
    out = []
    graded = [(case, hidden, False) for case, hidden in cases_of(ex, "cases")] + [(g, True, True) for g in guards_of(ex)]
    for case, hidden, guard in graded:
        scenario = vocab.validate(case["scenario"], str(path))
        expected = (str(case["verdict"]), tuple(case.get("deciding", ())))
        decision = judge.evaluate(scenario)
        got = (str(decision.verdict), tuple(decision.deciding_rules))
        info = {} if hidden else {"scenario": scenario_words(scenario), "expected": outcome_words(*expected)}
        if got[0] == expected[0] and set(got[1]) == set(expected[1]):
            out.append(CaseResult(case["label"], hidden, True, public_info=info, guard=guard))
            continue
        provisions, detail = _policy_detail(judge, decision, expected, hidden)
        failure = (f"case {case['label']} fails" if hidden else
                   f"case {case['label']} fails: expected {outcome_words(*expected)}, your policy gives {outcome_words(*got)}")
        if not hidden:
            example = f"on {scenario_words(scenario)} your policy gives {outcome_words(*got)}; the answer is {outcome_words(*expected)}"
        elif got[0] == expected[0]:  # the verdict is right: say only which provisions decide
            example = (f"on {scenario_words(scenario)} your policy decides by {provision_list(got[1])}, "
                       f"which is not the reference answer")
        else:
            example = f"on {scenario_words(scenario)} your policy gives {outcome_words(*got)}, which is not the reference answer"
        out.append(CaseResult(case["label"], hidden, False, failure, provisions, detail, example, public_info=info,
                              guard=guard))
    return tuple(out)


def _policy_detail(judge: Evaluator, decision: Decision, expected: tuple[str, tuple[str, ...]],
                   hidden: bool) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Which provisions the student's policy mishandles on the scenario, from the decision's trace."""
    have = set(judge.policy.rule_ids()) | {d.id for d in judge.policy.definitions}
    want, got = set(expected[1]), set(decision.deciding_rules)
    named: list[str] = []
    lines: list[str] = []
    for rule in sorted(want - got):
        named.append(rule)
        row = decision.trace.rule(rule) if rule in judge.policy.rule_ids() else None
        if rule not in have:
            lines.append(f"your file has no provision {rule}: add it")
        elif row is None:
            lines.append(f"your provision {rule} should decide here but does not: check what it covers")
        elif row.status is RuleStatus.FAILS:
            fields = sorted({f for part in row.failing for f in fields_of(part)})
            lines.append(f"your provision {rule} should apply here but its condition on {', '.join(fields)} fails "
                         f"(the scenario has {', '.join(f'{f}={show_value(decision.scenario[f])}' for f in fields if f in decision.scenario)})")
        elif row.status is RuleStatus.OPEN:
            lines.append(f"your provision {rule} is left open: its condition needs a field the case does not give")
        elif row.defeated_by:
            lines.append(f"your provision {rule} should decide here but is defeated by your {', '.join(row.defeated_by)}: "
                         f"check that exception")
            named += [r for r in row.defeated_by if r not in named]
        else:
            lines.append(f"your provision {rule} applies but does not decide: check its effect")
    if decision.verdict == Verdict.CONFLICT:
        clash = sorted(got)
        named += [r for r in clash if r not in named]
        lines.append(f"your provisions {', '.join(clash)} conflict here: check which of them should be an exception to "
                     f"another (exception_to) and their conditions")
    for rule in sorted(got - want):
        named.append(rule)
        read = sorted({f for r in judge.policy.rules_named(rule) for f in fields_of(r.when)} & set(decision.scenario))
        facts = ", ".join(f"{f}={show_value(decision.scenario[f])}" for f in read)
        lines.append(f"your provision {rule} decides here but should not: its condition holds on {facts or 'this scenario'}; "
                     f"check that condition, its effect and the exceptions that should defeat it")
    if not lines:
        named += sorted(want)
        lines.append(f"your provisions {', '.join(sorted(want))} decide as they should but with the wrong effect: "
                     f"check the effect of each")
    if decision.reason == Reason.OUT_OF_SCOPE and "out_of_scope" not in str(expected):
        lines.append("the scenario falls outside your policy's scope: check the scope and the definitions")
    return tuple(dict.fromkeys(named)), tuple(lines)
