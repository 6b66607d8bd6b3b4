"""Grade answers to questions: the US position on a date (answers computed by `evaluate_on` when the
check runs) or a news quote fact-checked with the claim checker (the answer, the provisions that
settle it and a claim that shows it are in the course key)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from ..analysis.claims import claim
from ..core.corpus import Corpus
from ..core.errors import PolicyEngineError
from ..core.timeline import evaluate_on
from ..core.words import outcome_words, provision_list, scenario_words
from .answer_file import read_answers
from .catalogue import Exercise
from .grading import CaseResult


def grade_answers(ex: Exercise, path: Path, corpus: Corpus) -> tuple[CaseResult, ...]:
    """Each public question (and, with the course key, each hidden one) against the student's answer, the
    reference answers computed on the corpus."""
    mode = str(ex.public.get("mode", "dates"))
    questions = list(ex.public["questions"])
    answers = read_answers(path, mode, [str(q["id"]) for q in questions], corpus)
    hidden_ids = {str(q) for q in ex.key.get("hidden", ())}
    public_ids = {str(q) for q in ex.public.get("public", ())} or None
    out = []
    for question in questions:
        qid = str(question["id"])
        hidden = qid in hidden_ids or (public_ids is not None and qid not in public_ids)
        if hidden and not ex.has_key:
            continue
        given = answers.get(qid, {})
        if mode == "claims":
            out.append(_grade_claim_answer(ex, question, given, hidden, corpus))
        else:
            out.append(_grade_date_answer(question, given, hidden, corpus))
    return tuple(out)


def _grade_date_answer(question: Mapping[str, Any], given: Mapping[str, Any], hidden: bool,
                       corpus: Corpus) -> CaseResult:
    """A question `on DATE, what is the US position on SCENARIO`: verdict, deciding instrument, provisions."""
    qid = str(question["id"])
    assessment = evaluate_on(question["scenario"], question["date"], corpus=corpus)
    want = {"verdict": str(assessment.verdict), "policy": assessment.deciding_policy or "",
            "provisions": sorted(assessment.deciding_rules)}
    got = {k: given.get(k, [] if k == "provisions" else "") for k in want}
    info = {} if hidden else {"expected": f"{outcome_words(want['verdict'], want['provisions'])} ({want['policy']})"}
    wrong = [k for k in ("verdict", "policy", "provisions") if want[k] != got[k]]
    if not wrong:
        return CaseResult(qid, hidden, True, public_info=info)
    answered = any(got.values())
    failure = f"question {qid} is not answered right" if answered else f"question {qid} has no answer in your file"
    if not hidden:
        failure += f": expected {info['expected']}"
    detail = []
    if answered:
        yours = ", ".join(f"{k} {got[k] if k != 'provisions' else ', '.join(got[k]) or 'none'}" for k in wrong)
        detail.append(f"question {qid}: your {yours}: not right")
        extra = sorted(set(got["provisions"]) - set(want["provisions"]))
        if extra:
            detail.append(f"question {qid}: your provision {', '.join(extra)} does not decide this scenario on "
                          f"{question['date']}")
    if "policy" in wrong:
        detail.append(f"check which instruments were in force on {question['date']} (policyengine timeline)")
    detail.append(f"the answer turns on {provision_list(want['provisions'])}"
                  + (f" of {want['policy']}" if want["policy"] else ""))
    example = f"policyengine explain --on {question['date']} {scenario_words(question['scenario'])}"
    return CaseResult(qid, hidden, False, failure, tuple(want["provisions"]) or (want["policy"],), tuple(detail),
                      example, "check it yourself", info)


def _grade_claim_answer(ex: Exercise, question: Mapping[str, Any], given: Mapping[str, Any],
                        hidden: bool, corpus: Corpus) -> CaseResult:
    """A news quote to fact-check: the answer (true, false, depends_on_reading) and a settling provision."""
    qid = str(question["id"])
    key = _claim_key(ex, qid)
    settling = [str(p) for p in key.get("provisions", [])]
    info = {} if hidden else {"expected": f"{key['answer']}, settled by {' or '.join(settling)}"}
    got_answer, got_provision = given.get("answer", ""), given.get("provision", "")
    problems, detail = [], []
    if got_answer != key["answer"]:
        problems.append("answer")
        if got_answer:
            detail.append(f"question {qid}: your answer '{got_answer}' is not borne out by the instruments")
    if got_provision not in settling:
        problems.append("provision")
        if got_provision:
            detail.append(f"question {qid}: your provision {got_provision} does not settle this quote")
    student_claim = given.get("claim")
    if student_claim:
        try:
            own = _checked(str(student_claim), corpus)
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
    failure = (f"question {qid} is not answered right" if any(given.values()) else
               f"question {qid} has no answer in your file")
    if not hidden:
        failure += f": expected {info['expected']}"
    detail.append(f"question {qid}: the quote is settled by {' or '.join(settling)} of {key['instrument']}")
    example = f"policyengine claim \"{key.get('hint', key['claim'])}\""
    return CaseResult(qid, hidden, False, failure, tuple(settling), tuple(detail), example, "check it yourself", info)


def _claim_key(ex: Exercise, qid: str) -> Mapping[str, Any]:
    """The key of one quote: from the course key, or (public quotes) from the public file."""
    for entry in [*ex.key.get("questions", []), *ex.public.get("keys", [])]:
        if str(entry["id"]) == qid:
            return entry
    raise PolicyEngineError(f"no key for question {qid}", where=str(ex.folder / "public.yaml"),
                            hint="a public question needs its key under keys:, a hidden one in the course key")


@cache
def _checked(text: str, corpus: Corpus) -> Any:
    """The checker's result on a claim over the corpus (computed once per text and corpus)."""
    return claim(text, corpus)
