"""Seeded wrong answers: mutations of each exercise's reference solution, with the provisions each
one mishandles (what good feedback should name)."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import yaml

from policyengine.exercises import Exercise
from policyengine.registry import bundled, vocabulary


def reference_data(ex: Exercise) -> dict:
    """The reference solution as plain YAML data."""
    return yaml.safe_load(ex.reference().read_text(encoding="utf-8"))


def mutants(ex: Exercise) -> Iterator[tuple[str, dict, set[str]]]:
    """(description, mutated solution data, provisions the mutation mishandles)."""
    makers = {"policy": _policy_mutants, "scenarios": _scenario_mutants, "answers": _answer_mutants}
    yield from makers[ex.kind](ex, reference_data(ex))


def _other(field: str, value: Any) -> Any:
    domain = vocabulary().fields[field].domain()
    if not domain:
        return value + 1 if isinstance(value, int) else value
    return domain[(domain.index(value) + 1) % len(domain)] if value in domain else domain[0]


def _variant(data: dict, index: int, change: Any, what: str) -> tuple[str, dict, set[str]]:
    """The policy data with `change(data, rule)` applied to a copy of rule `index`."""
    new = copy.deepcopy(data)
    rule = new["rules"][index]
    change(new, rule)
    return f"{data['rules'][index]['id']}: {what}", new, {data["rules"][index]["id"]}


def _drop(new: dict, rule: dict) -> None:
    """Remove the rule and every exception link to it (so the file still loads)."""
    new["rules"].remove(rule)
    if rule["id"] in [x["id"] for x in new["rules"]]:
        return
    for other in new["rules"]:
        if rule["id"] in other.get("exception_to", []):
            other["exception_to"].remove(rule["id"])
            if not other["exception_to"]:
                other.pop("exception_to")


FLIP = {"prohibited": "permitted", "permitted": "prohibited", "required": "prohibited"}


def _policy_mutants(ex: Exercise, data: dict) -> Iterator[tuple[str, dict, set[str]]]:
    student = set(ex.hidden["student_rules"])
    ids = [r["id"] for r in data["rules"]]
    for index, rule in enumerate(data["rules"]):
        rid = rule["id"]
        if rid not in student:
            continue
        yield _variant(data, index, _drop, "dropped")
        yield _variant(data, index, lambda new, r: r.__setitem__("effect", FLIP[r["effect"]]), "effect flipped")
        if rule.get("exception_to"):
            yield _variant(data, index, lambda new, r: r.pop("exception_to"), "exception link dropped")
            target = next(i for i in ids if i not in rule["exception_to"] and i != rid)
            yield _variant(data, index, lambda new, r, t=target: r.__setitem__("exception_to", [t]),
                           f"exception to {target}")
        if "from" in rule:
            yield _variant(data, index, lambda new, r: r.pop("from"), "date dropped")
        for key, value in rule["when"].items():
            if key not in vocabulary().fields or isinstance(value, dict):
                continue
            if isinstance(value, list):
                changes = [value[1:] if len(value) > 1 else [_other(key, value[0])]]
            else:
                changes = [_other(key, value), _other(key, _other(key, value))]
            for n, changed in enumerate(changes):
                if changed != value and changed not in changes[:n]:
                    yield _variant(data, index, lambda new, r, k=key, c=changed: r["when"].__setitem__(k, c),
                                   f"{key} changed ({n + 1})")


def _key(judges: list, scenario: dict) -> tuple:
    decisions = [j.evaluate(vocabulary().validate(scenario)) for j in judges]
    return tuple((str(d.verdict), tuple(sorted(d.deciding_rules))) for d in decisions)


def _scenario_mutants(ex: Exercise, data: dict) -> Iterator[tuple[str, dict, set[str]]]:
    judges = [bundled().evaluator(i) for i in ex.public["instruments"]]
    targets = list(ex.public["targets"]) + list(ex.hidden["targets"])
    keys = [((t["a"]["verdict"], tuple(sorted(t["a"]["deciding"]))), (t["b"]["verdict"], tuple(sorted(t["b"]["deciding"]))))
            for t in targets]
    for index, (target, key) in enumerate(zip(targets, keys)):
        named = set(target["a"]["deciding"]) | set(target["b"]["deciding"])
        scenarios = data["scenarios"]
        yield f"{target['label']}: scenario removed", {"scenarios": scenarios[:index] + scenarios[index + 1:]}, named
        made = 0
        for field in list(scenarios[index]):
            if made == 2:
                break
            changed = dict(scenarios[index], **{field: _other(field, scenarios[index][field])})
            if _key(judges, changed) != key:
                new = copy.deepcopy(scenarios)
                new[index] = changed
                made += 1
                yield f"{target['label']}: {field} changed", {"scenarios": new}, named


def _answer(answers: dict, qid: str, change: dict, what: str, named: set[str]) -> tuple[str, dict, set[str]]:
    new = copy.deepcopy(answers)
    new[qid] = {**new[qid], **change}
    return f"{qid}: {what}", {"answers": new}, named


def _answer_mutants(ex: Exercise, data: dict) -> Iterator[tuple[str, dict, set[str]]]:
    answers = data["answers"]
    claims = {str(r["id"]): r for r in ex.hidden.get("reference_claims", [])}
    flip = {"true": "false", "false": "true", "depends_on_reading": "true"}
    for qid, answer in answers.items():
        if qid in claims:
            named = set(claims[qid]["provisions"])
            yield _answer(answers, qid, {"answer": flip[answer["answer"]]}, "answer flipped", named)
            wrong = "B22-1" if answer["provision"] != "B22-1" else "T20-3"
            yield _answer(answers, qid, {"provision": wrong}, "wrong provision", named)
            yield _answer(answers, qid, {"answer": "", "provision": ""}, "left blank", named)
        else:
            named = set(answer["provisions"])
            verdict = "permitted" if answer["verdict"] != "permitted" else "prohibited"
            yield _answer(answers, qid, {"verdict": verdict}, "verdict changed", named)
            policy = "trump-2020" if answer["policy"] != "trump-2020" else "biden-2022"
            yield _answer(answers, qid, {"policy": policy}, "instrument changed", named)
            yield _answer(answers, qid, {"provisions": []}, "provisions left out", named)
