"""Hand-written student mistakes (tests/exercises/mistakes/NN.yaml, at least 30 per exercise): none
gets full marks, and for at least 90% of them per exercise a feedback line about the student's own
answer (one that speaks of "your" file, provision, scenario or answer) names a provision or field the
mistake mishandles."""

from __future__ import annotations

import copy
import re
from functools import cache
from pathlib import Path

import pytest
import yaml

import policyengine as pe
from policyengine.exercises import check, exercise

ROOT = Path(__file__).resolve().parents[2]
COURSE = ROOT / "course"
MISTAKES = Path(__file__).parent / "mistakes"
OWN = re.compile(r"\byour\b", re.IGNORECASE)


@pytest.fixture(autouse=True)
def _state(tmp_path, monkeypatch):
    """Keep the try counts out of the source tree."""
    monkeypatch.setenv("POLICYENGINE_STATE_DIR", str(tmp_path / "state"))


@cache
def _listed(number: str) -> tuple[dict, list[dict]]:
    """(a good answer written by hand, or none; the hand-written mistakes) of one exercise."""
    data = yaml.safe_load((MISTAKES / f"{number}.yaml").read_text(encoding="utf-8"))
    return (data["good"], data["mistakes"]) if isinstance(data, dict) else ({}, data)


def mistakes(number: str) -> list[dict]:
    """The hand-written mistakes of one exercise."""
    return _listed(number)[1]


def _scenario_file(good: dict, mistake: dict) -> dict:
    """The student's scenarios: the good answer's, some replaced by the student's own, some left out."""
    mine = {**good, **mistake.get("replace", {})}
    return {"scenarios": [s for name, s in mine.items() if name not in mistake.get("drop", [])]}


def _policy_file(reference: dict, mistake: dict) -> dict:
    """The student's file: the reference's rules with the student's own versions and omissions."""
    data = copy.deepcopy(reference)
    dropped = set(mistake.get("drop", []))
    written = {r["id"]: r for r in mistake.get("write", [])}
    rules = []
    for rule in data["rules"]:
        if rule["id"] in dropped:
            continue
        if rule["id"] in written:
            mine = written.pop(rule["id"])
            rule = {k: v for k, v in rule.items() if k in ("id", "title", "source", "quote", "confidence", "note")}
            rule.update(mine)
        rules.append(rule)
    source = next(iter(data["sources"]))
    rules += [{"title": "a rule of mine", "source": source, "quote": "my reading", **r} for r in written.values()]
    for rule in rules:
        rule["exception_to"] = [t for t in rule.get("exception_to", []) if t not in dropped]
        if not rule["exception_to"]:
            rule.pop("exception_to")
    data["rules"] = rules
    return data


def _answer_file(reference: dict, mistake: dict) -> dict:
    """The student's answers: the reference's, with the student's own answers to some questions."""
    answers = copy.deepcopy(reference["answers"])
    for qid, given in mistake.get("answers", {}).items():
        answers[qid] = {**answers.get(qid, {}), **given}
    return {"answers": answers}


def student_file(number: str, mistake: dict) -> dict:
    """The file the student would hand in for this mistake."""
    ex = exercise(number, key=COURSE)
    if ex.kind == "scenarios":
        return _scenario_file(_listed(number)[0], mistake)
    reference = yaml.safe_load(ex.reference().read_text(encoding="utf-8"))
    return _policy_file(reference, mistake) if ex.kind == "policy" else _answer_file(reference, mistake)


def own_lines(report) -> list[str]:
    """The feedback lines (tier 2) that speak of the student's own answer."""
    return [line for case in report.cases if not case.passed for line in report.feedback(case) if OWN.search(line)]


def names(line: str, word: str) -> bool:
    """True when `line` names the provision or field `word` (not as part of a longer id)."""
    return re.search(rf"(?<![\w.-]){re.escape(word)}(?![\w-]|\.\w)", line) is not None


@pytest.mark.slow  # every hand-written mistake of every exercise graded
@pytest.mark.parametrize("number", ["01", "02", "03", "04", "05", "06"])
def test_hand_written_mistakes_fail_with_feedback_on_the_students_answer(number, tmp_path):
    """At least 30 mistakes; none scores full marks; >= 90% get a line about the student's own answer
    naming what they mishandle."""
    ex = exercise(number, key=COURSE)
    listed = mistakes(number)
    assert len(listed) >= 30
    full, missed = [], []
    for i, mistake in enumerate(listed):
        path = tmp_path / f"{number}-{i:02d}.yaml"
        path.write_text(yaml.safe_dump(student_file(number, mistake), sort_keys=False), encoding="utf-8")
        report = check(ex, path, pe.bundled(), tier=2)
        if report.passed:
            full.append(mistake["what"])
        lines = own_lines(report)
        if not any(names(line, word) for line in lines for word in mistake["names"]):
            missed.append(mistake["what"])
    assert not full, f"full marks on wrong answers: {full}"
    assert (len(listed) - len(missed)) / len(listed) >= 0.9, f"feedback misses: {missed}"
