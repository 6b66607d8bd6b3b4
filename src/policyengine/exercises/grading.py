"""Grade a student's file against an exercise's public and hidden cases.

Three kinds of exercise: `policy` (the student writes a policy file; each case is a scenario with
the verdict and deciding provisions expected), `scenarios` (the student writes scenarios that tell
two instruments apart; each case is a kind of difference, named by the provisions deciding it on
each side) and `answers` (the student answers questions; the reference answers are computed by the
engine or the claim checker when the check runs). Every case result carries feedback in three
tiers: which case fails; which provision or field is mishandled; a counterexample. A hidden case's
result never carries its expected verdict or answer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import attrs

from ..conditions import fields_of
from ..decision import Decision
from ..errors import PolicyEngineError, SuiteError
from ..evaluation import Evaluator
from ..registry import bundled, vocabulary
from ..trace import RuleStatus
from ..vocabulary import Value, show_value
from ..yamlio import load_yaml
from .catalogue import Exercise


@attrs.frozen
class CaseResult:
    """One case: passed or not, with feedback by tier (1 which case, 2 which provision, 3 counterexample)."""

    label: str
    hidden: bool
    passed: bool
    failure: str = ""  # tier 1
    provisions: tuple[str, ...] = ()  # tier 2: the provisions (or fields) mishandled
    detail: tuple[str, ...] = ()  # tier 2, in words
    example: str = ""  # tier 3
    example_kind: str = "counterexample"
    public_info: Mapping[str, Any] = attrs.field(factory=dict)  # public cases only: what is expected


def grade(ex: Exercise, path: Path) -> tuple[CaseResult, ...]:
    """Every case of the exercise (public first) graded against the student's file."""
    graders = {"policy": _grade_policy, "scenarios": _grade_scenarios, "answers": _grade_answers}
    return graders[ex.kind](ex, path)


def _cases(ex: Exercise, key: str) -> list[tuple[Mapping[str, Any], bool]]:
    return [(c, False) for c in ex.public.get(key, [])] + [(c, True) for c in ex.hidden.get(key, [])]


def _words(verdict: Any, deciding: Sequence[str]) -> str:
    verdict = str(verdict).replace("_", " ")
    return f"{verdict} by {', '.join(deciding)}" if deciding else verdict


def _scenario_words(scenario: Mapping[str, Value]) -> str:
    return " ".join(f"{k}={show_value(v)}" for k, v in scenario.items())


# --- policy exercises ---------------------------------------------------------------------------

def _grade_policy(ex: Exercise, path: Path) -> tuple[CaseResult, ...]:
    from ..loader import load_policy

    vocab = vocabulary()
    policy = load_policy(path, vocab)
    judge = Evaluator(policy, vocab)
    out = []
    for case, hidden in _cases(ex, "cases"):
        scenario = vocab.validate(case["scenario"], str(path))
        expected = (str(case["verdict"]), tuple(case.get("deciding", ())))
        decision = judge.evaluate(scenario)
        got = (str(decision.verdict), tuple(decision.deciding_rules))
        info = {} if hidden else {"scenario": _scenario_words(scenario), "expected": _words(*expected)}
        if got[0] == expected[0] and set(got[1]) == set(expected[1]):
            out.append(CaseResult(case["label"], hidden, True, public_info=info))
            continue
        provisions, detail = _policy_detail(judge, decision, expected, hidden)
        failure = (f"case {case['label']} fails" if hidden else
                   f"case {case['label']} fails: expected {_words(*expected)}, your policy gives {_words(*got)}")
        if not hidden:
            example = f"on {_scenario_words(scenario)} your policy gives {_words(*got)}; the answer is {_words(*expected)}"
        elif got[0] == expected[0]:  # the verdict is right: say only which provisions decide
            example = (f"on {_scenario_words(scenario)} your policy decides by {', '.join(got[1]) or 'no provision'}, "
                       f"which is not the reference answer")
        else:
            example = f"on {_scenario_words(scenario)} your policy gives {_words(*got)}, which is not the reference answer"
        out.append(CaseResult(case["label"], hidden, False, failure, provisions, detail, example, public_info=info))
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
            lines.append(f"provision {rule} is missing from your file")
        elif row is None:
            lines.append(f"provision {rule} should decide here but does not: check what it covers")
        elif row.status is RuleStatus.FAILS:
            fields = sorted({f for part in row.failing for f in fields_of(part)})
            lines.append(f"provision {rule} should apply here but its condition on {', '.join(fields)} fails "
                         f"(the scenario has {', '.join(f'{f}={show_value(decision.scenario[f])}' for f in fields if f in decision.scenario)})")
        elif row.status is RuleStatus.OPEN:
            lines.append(f"provision {rule} is left open: its condition needs a field the case does not give")
        elif row.defeated_by:
            lines.append(f"provision {rule} should decide here but is defeated by {', '.join(row.defeated_by)}: "
                         f"check that exception")
            named += [r for r in row.defeated_by if r not in named]
        else:
            lines.append(f"provision {rule} applies but does not decide: check its effect")
    if decision.verdict == "conflict":
        clash = sorted(got)
        named += [r for r in clash if r not in named]
        lines.append(f"provisions {', '.join(clash)} conflict here: check which of them should be an exception to "
                     f"another (exception_to) and their conditions")
    for rule in sorted(got - want):
        named.append(rule)
        lines.append(f"provision {rule} decides here but should not: check its condition, its effect and the "
                     f"exceptions that should defeat it")
    if not lines:
        named += sorted(want)
        lines.append(f"provisions {', '.join(sorted(want))} decide as they should but with the wrong effect: "
                     f"check the effect of each")
    if decision.reason == "out_of_scope" and "out_of_scope" not in str(expected):
        lines.append("the scenario falls outside your policy's scope: check the scope and the definitions")
    return tuple(dict.fromkeys(named)), tuple(lines)


# --- scenario exercises -------------------------------------------------------------------------

def _grade_scenarios(ex: Exercise, path: Path) -> tuple[CaseResult, ...]:
    vocab = vocabulary()
    corpus = bundled()
    a, b = (corpus.evaluator(i) for i in ex.public["instruments"])
    doc = load_yaml(str(path))
    raw = doc.get("scenarios") if isinstance(doc, Mapping) else None
    if not isinstance(raw, list):
        raise SuiteError("no 'scenarios' list", where=str(path), hint="write scenarios: and a list of field mappings")
    keys = []
    for index, entry in enumerate(raw, 1):
        scenario = vocab.validate(entry or {}, f"{path}: scenario {index}")
        da, db = a.evaluate(scenario), b.evaluate(scenario)
        keys.append((scenario, (str(da.verdict), tuple(sorted(da.deciding_rules))),
                     (str(db.verdict), tuple(sorted(db.deciding_rules)))))
    out = []
    same = [i for i, (_, ka, kb) in enumerate(keys, 1) if ka[0] == kb[0]]
    for case, hidden in _cases(ex, "targets"):
        want_a = (str(case["a"]["verdict"]), tuple(sorted(case["a"]["deciding"])))
        want_b = (str(case["b"]["verdict"]), tuple(sorted(case["b"]["deciding"])))
        hit = any(ka == want_a and kb == want_b for _, ka, kb in keys)
        provisions = tuple(dict.fromkeys((*want_a[1], *want_b[1])))
        info = {} if hidden else {"expected": f"{a.policy.id} {_words(*want_a)}; {b.policy.id} {_words(*want_b)}"}
        if hit:
            out.append(CaseResult(case["label"], hidden, True, public_info=info))
            continue
        failure = f"no scenario of yours falls in case {case['label']}" + (
            "" if hidden else f" ({info['expected']})")
        turns = (f"case {case['label']} turns on {', '.join(want_a[1]) or 'no provision'} of {a.policy.id} and "
                 f"{', '.join(want_b[1]) or 'no provision'} of {b.policy.id}: write a scenario that those "
                 f"provisions decide")
        detail: tuple[str, ...] = (turns,)
        if same:
            detail += (f"your scenarios {', '.join(map(str, same))} get the same verdict from both instruments",)
        witness = case.get("witness") or ex.hidden.get("witnesses", {}).get(case["label"], {})
        example = f"a scenario like {_scenario_words(witness)}" if witness else ""
        out.append(CaseResult(case["label"], hidden, False, failure, provisions, detail, example, "example", info))
    return tuple(out)


# --- answer exercises ---------------------------------------------------------------------------

def _grade_answers(ex: Exercise, path: Path) -> tuple[CaseResult, ...]:
    doc = load_yaml(str(path))
    answers = doc.get("answers") if isinstance(doc, Mapping) else None
    if not isinstance(answers, Mapping):
        raise SuiteError("no 'answers' mapping", where=str(path), hint="write answers: with one entry per question id")
    hidden_ids = set(ex.hidden.get("hidden", ()))
    out = []
    for question in ex.public["questions"]:
        qid = str(question["id"])
        hidden = qid in hidden_ids
        given = answers.get(qid)
        if ex.public.get("mode") == "claims":
            out.append(_grade_claim_answer(ex, question, given if isinstance(given, Mapping) else {}, hidden))
        else:
            out.append(_grade_date_answer(question, given if isinstance(given, Mapping) else {}, hidden))
    return tuple(out)


def _grade_date_answer(question: Mapping[str, Any], given: Mapping[str, Any], hidden: bool) -> CaseResult:
    """A question `on DATE, what is the US position on SCENARIO`: verdict, deciding instrument, provisions."""
    from ..timeline import evaluate_on

    qid = str(question["id"])
    assessment = evaluate_on(question["scenario"], question["date"])
    want = {"verdict": str(assessment.verdict), "policy": assessment.deciding_policy or "",
            "provisions": sorted(assessment.deciding_rules)}
    got = {"verdict": str(given.get("verdict", "")), "policy": str(given.get("policy", "") or ""),
           "provisions": sorted(str(p) for p in _listed(given.get("provisions")))}
    info = {} if hidden else {"expected": f"{_words(want['verdict'], want['provisions'])} ({want['policy']})"}
    wrong = [k for k in ("verdict", "policy", "provisions") if want[k] != got[k]]
    if not wrong:
        return CaseResult(qid, hidden, True, public_info=info)
    failure = f"question {qid} is not answered right" if given else f"question {qid} has no answer"
    if not hidden:
        failure += f": expected {info['expected']}"
    detail = [f"question {qid}: your {' and '.join(wrong)} {'is' if len(wrong) == 1 else 'are'} not right"]
    if "policy" in wrong:
        detail.append(f"check which instruments were in force on {question['date']} (policyengine timeline)")
    detail.append(f"the answer turns on {', '.join(want['provisions']) or 'no provision'}"
                  + (f" of {want['policy']}" if want["policy"] else ""))
    scenario = _scenario_words(question["scenario"])
    example = f"policyengine explain --on {question['date']} {scenario}"
    return CaseResult(qid, hidden, False, failure, tuple(want["provisions"]) or (want["policy"],), tuple(detail),
                      example, "check it yourself", info)


def _listed(value: Any) -> list[Any]:
    """A YAML value as a list: a list as is, one item as a list of one, nothing as empty."""
    if value is None or value == "":
        return []
    return list(value) if isinstance(value, list) else [value]


def _grade_claim_answer(ex: Exercise, question: Mapping[str, Any], given: Mapping[str, Any],
                        hidden: bool) -> CaseResult:
    """A news quote to fact-check: the answer (true, false, depends_on_reading) and the settling provision."""
    qid = str(question["id"])
    reference = next(r for r in ex.hidden["reference_claims"] if str(r["id"]) == qid)
    result = _reference_claim(str(reference["claim"]))
    want_answer = str(result.answer)
    settling = {str(p) for p in reference.get("provisions", [])} | set(result.provisions)
    raw = given.get("answer", "")
    got_answer = {True: "true", False: "false"}.get(raw, str(raw).lower().replace(" ", "_"))
    got_provision = str(given.get("provision", ""))
    info = {} if hidden else {"expected": f"{want_answer}, settled by {', '.join(sorted(settling))}"}
    problems, detail = [], []
    if got_answer != want_answer:
        problems.append("answer")
    if got_provision not in settling:
        problems.append("provision")
    student_claim = given.get("claim")
    if student_claim:
        try:
            own = _reference_claim(str(student_claim))
        except PolicyEngineError as exc:
            detail.append(f"question {qid}: your claim could not be checked: {exc}")
            problems.append("claim")
        else:
            if str(own.answer) != got_answer:  # the checker's answer is not shown: it may be the hidden one
                detail.append(f"question {qid}: the checker does not give your claim the answer you wrote; run "
                              f"policyengine claim on it")
                problems.append("claim")
    if not problems:
        return CaseResult(qid, hidden, True, public_info=info)
    failure = f"question {qid} is not answered right" if given else f"question {qid} has no answer"
    if not hidden:
        failure += f": expected {info['expected']}"
    key = sorted(reference.get("provisions", [])) or sorted(result.provisions)
    detail.insert(0, f"question {qid}: your {' and '.join(dict.fromkeys(problems))} "
                     f"{'is' if len(set(problems)) == 1 else 'are'} not right; the quote is settled by "
                     f"{', '.join(key) or 'the timeline'} of {reference['instrument']}")
    example = f"policyengine claim \"{_template(reference)}\""
    return CaseResult(qid, hidden, False, failure, tuple(key) or (str(reference["instrument"]),), tuple(detail),
                      example, "check it yourself", info)


@cache
def _reference_claim(text: str) -> Any:
    """The checker's result on a claim over the bundled instruments (computed once per text)."""
    from ..claims import claim

    return claim(text)


def _template(reference: Mapping[str, Any]) -> str:
    """The form of the reference claim with its verdict words left for the student to choose."""
    return str(reference.get("hint", reference["claim"]))
