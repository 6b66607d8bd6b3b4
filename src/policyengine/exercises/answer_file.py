"""Read an answer file and check it as strictly as a policy file: unknown question ids, verdicts,
instruments and provisions are errors with file:line and a did-you-mean (exit 2), and every
spelling of a verdict the library accepts elsewhere is accepted here (`Prohibited`, `not addressed`)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from ..core.corpus import Corpus
from ..core.errors import SuiteError, shown
from ..core.outcomes import Verdict, spelled, verdict_named
from ..core.vocabulary import did_you_mean
from ..core.yamlio import load_yaml, where

#: the answers a fact-check may give, with the other spellings people write
CLAIM_ANSWERS = ("true", "false", "depends_on_reading")
_CLAIM_SPELLINGS = {"yes": "true", "no": "false", "depends": "depends_on_reading", "ambiguous": "depends_on_reading"}
FIELDS = {"dates": ("verdict", "policy", "provisions"), "claims": ("answer", "provision", "claim")}


@cache
def provision_ids(corpus: Corpus) -> tuple[str, ...]:
    """Every rule, definition and non-rule id of the corpus's instruments."""
    ids: dict[str, None] = {}
    for policy in corpus:
        ids.update(dict.fromkeys(policy.rule_ids()))
        ids.update(dict.fromkeys(d.id for d in policy.definitions))
        ids.update(dict.fromkeys(n.id for n in policy.not_rules))
    return tuple(ids)


def read_answers(path: Path, mode: str, questions: list[str], corpus: Corpus) -> dict[str, dict[str, Any]]:
    """The answers of `path`, one normalised mapping per question id (missing questions are absent;
    empty values are unanswered); instruments and provisions are those of the corpus."""
    doc = load_yaml(str(path))
    answers = doc.get("answers") if isinstance(doc, Mapping) else None
    if not isinstance(answers, Mapping):
        raise SuiteError("no 'answers' mapping", where=str(path), hint="write answers: with one entry per question id")
    out = {}
    for qid, given in answers.items():
        at = where(str(path), answers, qid)
        if str(qid) not in questions:
            raise SuiteError(f"unknown question id '{qid}'", where=at, hint=did_you_mean(str(qid), questions))
        if given is None:
            continue
        if not isinstance(given, Mapping):
            raise SuiteError(f"question {qid}: expected a mapping of {', '.join(FIELDS[mode])}", where=at,
                             hint=f"write {qid}: {{{FIELDS[mode][0]}: ...}}")
        for name in given:
            if name not in FIELDS[mode]:
                raise SuiteError(f"question {qid}: unknown field '{name}'", where=where(str(path), given, name),
                                 hint=did_you_mean(str(name), FIELDS[mode]))
            items = given[name] if name == "provisions" and isinstance(given[name], list) else [given[name]]
            if any(isinstance(item, (list, Mapping)) for item in items):
                raise SuiteError(f"question {qid}: '{name}' must be a single value, not '{shown(given[name])}'",
                                 where=where(str(path), given, name), hint=f"write {name}: followed by one word")
        check = _date_answer if mode == "dates" else _claim_answer
        out[str(qid)] = check(given, str(path), str(qid), corpus)
    return out


def _date_answer(given: Mapping[str, Any], path: str, qid: str, corpus: Corpus) -> dict[str, Any]:
    verdict = given.get("verdict") or ""
    if verdict:
        named = verdict_named(verdict)
        if named is None:
            raise SuiteError(f"question {qid}: unknown verdict '{verdict}'", where=where(path, given, "verdict"),
                             hint=did_you_mean(spelled(verdict), [v.value for v in Verdict]))
        verdict = str(named)
    policy = str(given.get("policy") or "")
    if policy and policy not in corpus.ids:
        raise SuiteError(f"question {qid}: unknown instrument '{policy}'", where=where(path, given, "policy"),
                         hint=did_you_mean(policy, corpus.ids, see="policyengine list"))
    provisions = given.get("provisions") or []
    provisions = [provisions] if isinstance(provisions, str) else list(provisions)
    for p in provisions:
        _known_provision(str(p), where(path, given, "provisions"), qid, corpus)
    return {"verdict": verdict, "policy": policy, "provisions": sorted(str(p) for p in provisions)}


def _claim_answer(given: Mapping[str, Any], path: str, qid: str, corpus: Corpus) -> dict[str, Any]:
    raw = given.get("answer", "")
    answer = {True: "true", False: "false"}.get(raw, spelled(raw or ""))  # type: ignore[arg-type]
    answer = _CLAIM_SPELLINGS.get(answer, answer)
    if answer and answer not in CLAIM_ANSWERS:
        raise SuiteError(f"question {qid}: unknown answer '{raw}'", where=where(path, given, "answer"),
                         hint=did_you_mean(answer, CLAIM_ANSWERS))
    provision = str(given.get("provision") or "")
    if provision:
        _known_provision(provision, where(path, given, "provision"), qid, corpus)
    return {"answer": answer, "provision": provision, "claim": str(given.get("claim") or "")}


def _known_provision(pid: str, at: str, qid: str, corpus: Corpus) -> None:
    if pid not in provision_ids(corpus):
        raise SuiteError(f"question {qid}: unknown provision '{pid}'", where=at,
                         hint=did_you_mean(pid, provision_ids(corpus), see="policyengine explain (the provision ids of each instrument)"))
