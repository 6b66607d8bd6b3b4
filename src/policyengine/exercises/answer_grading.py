"""Grade answers to questions: the US position on a date (answers computed by `evaluate_on` when the
check runs) or a news quote fact-checked with the claim checker (reference claims in the hidden data)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from ..core.errors import PolicyEngineError, SuiteError
from ..core.yamlio import load_yaml
from .catalogue import Exercise
from .grading import CaseResult, scenario_words, verdict_words


def grade_answers(ex: Exercise, path: Path) -> tuple[CaseResult, ...]:
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
    from ..core.timeline import evaluate_on

    qid = str(question["id"])
    assessment = evaluate_on(question["scenario"], question["date"])
    want = {"verdict": str(assessment.verdict), "policy": assessment.deciding_policy or "",
            "provisions": sorted(assessment.deciding_rules)}
    got = {"verdict": str(given.get("verdict", "")), "policy": str(given.get("policy", "") or ""),
           "provisions": sorted(str(p) for p in _listed(given.get("provisions")))}
    info = {} if hidden else {"expected": f"{verdict_words(want['verdict'], want['provisions'])} ({want['policy']})"}
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
    scenario = scenario_words(question["scenario"])
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
    from ..analysis.claims import claim

    return claim(text)


def _template(reference: Mapping[str, Any]) -> str:
    """The form of the reference claim with its verdict words left for the student to choose."""
    return str(reference.get("hint", reference["claim"]))
