"""Build the exercise data: starting files and public cases in exercises/NN/, hidden cases in the
teacher's course folder course/NN/key.yaml (never installed with the library).

Run from the repository root after changing an instrument or a reference: `python tools/make_exercises.py`.
A teacher needs no Python to author an exercise (exercises/README.md describes the YAML files); this
script only recomputes cases for the course's own exercises:

- policy exercises (01, 04): the reference solution is course/NN/reference.yaml (01 is written by
  hand; 04 is derived from biden-2022 here). Hidden cases are scenarios on which the start file and
  the reference disagree, so an untouched start file scores 0 on them; for every value of every field
  the reference reads, some hidden case or guard has it (a guard is a case the start file already gets
  right: it adds no marks, but failing it withholds full marks).
- scenario exercises (02, 03): the second instrument is kept in the course folder, so `diff` cannot
  list the answers; each case is a kind of difference found by `diff` against that file.
- answer exercises (05, 06): 05's answers are computed by the engine at check time; 06's key
  (course/06/key.yaml) is written by hand, with the reasoning in course/06/answers.md.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from pathlib import Path

import yaml

import policyengine as pe
from policyengine.core.conditions import fields_of
from policyengine.core.loader import load_policy
from policyengine.core.space import Space
from policyengine.registry import vocabulary

ROOT = Path(__file__).resolve().parents[1]
PUBLIC = ROOT / "exercises"
COURSE = ROOT / "course"
DROP_KEYS = {"notes", "brief", "findings"}
BRIEF = re.compile(r"\s*\((?:see )?brief [^)]*\)|;?\s*brief §[^.;)]*")
PUBLIC_CASES = 3


def plain(node):
    """The policy data without notes (they cite the research brief) and with dates as text."""
    if isinstance(node, dict):
        return {k: plain(v) for k, v in node.items() if k not in DROP_KEYS}
    if isinstance(node, list):
        return [plain(v) for v in node]
    if isinstance(node, dt.date):
        return node.isoformat()
    if isinstance(node, str):
        return BRIEF.sub("", node)
    return node


def dump(path: Path, data, header: str = "") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=110)
    path.write_text(header + text, encoding="utf-8")


def bundled_data(policy_id: str) -> dict:
    return plain(yaml.safe_load(Path(pe.policy(policy_id).path).read_text(encoding="utf-8")))


def read_fields(policy) -> set[str]:
    """Every field the policy's scope, definitions and rules read (dates aside)."""
    found = set(fields_of(policy.scope))
    for d in policy.definitions:
        found |= fields_of(d.when)
    for r in policy.rules:
        found |= fields_of(r.when)
    return found - {"date"}


def _text(scenario: dict) -> dict:
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in scenario.items()}


def policy_cases(ref_path: Path, start_path: Path, dates: list[str]) -> tuple[list[dict], list[dict], list[dict]]:
    """(public, hidden, guards): scenarios on which the start file and the reference disagree (one per answer and
    set of applicable provisions, then more until every value of every field read appears), and guards
    for the values no disagreement reaches."""
    vocab = vocabulary()
    ref, start = load_policy(ref_path, vocab), load_policy(start_path, vocab)
    judge, before = pe.Evaluator(ref, vocab), pe.Evaluator(start, vocab)
    fields = sorted(read_fields(ref), key=vocab.names.index)
    space = Space((ref,), vocab, None, {"date": dt.date.fromisoformat(dates[-1])})
    bases = []
    for cell in space.cells:
        base = {f: space.classes[f][min(c)].representative for f, c in cell.box.items()}
        bases.append({f: base[f] for f in vocab.names if f in base and f in fields})
    seen: dict = {}
    for day in dates:
        for base in bases:
            for field in [None, *fields]:
                for value in vocab.fields[field].domain() if field else [None]:
                    scenario = {**base, **({field: value} if field else {}), "date": dt.date.fromisoformat(day)}
                    if vocab.contradiction(scenario) is not None:
                        continue
                    d, s = judge.evaluate(scenario), before.evaluate(scenario)
                    if "conditional" in (d.verdict, s.verdict):
                        continue
                    answer = (str(d.verdict), tuple(sorted(d.deciding_rules)))
                    differs = answer != (str(s.verdict), tuple(sorted(s.deciding_rules)))
                    seen.setdefault((differs, answer, tuple(sorted(d.applicable_rules))), []).append(scenario)
    cases, _ = _pick([k for k in seen if k[0]], seen, set())
    shown = _public(cases)
    cases = [c for c in cases if c not in shown]
    covered = {(f, v) for c in cases for f, v in c["scenario"].items()}
    covered = _top_up(cases, fields, [k for k in seen if k[0]], seen, covered)
    guards, covered = _pick([k for k in seen if not k[0]], seen, covered, only_new=True)
    _top_up(guards, fields, [k for k in seen if not k[0]], seen, covered)
    _neighbours(shown + list(cases), cases, guards, fields, dates, judge, before)
    _labelled(shown + cases)
    return shown, cases, _labelled(guards, "guard")


def _neighbours(base: list[dict], cases: list[dict], guards: list[dict], fields: list[str], dates: list[str],
                judge, before) -> None:
    """Add the boundary of each case: the scenario with one field (or the date) changed, where the
    reference's answer changes, once per answer, field and value (a condition read too widely or too
    narrowly, or a wrong date, falls on such a boundary)."""
    vocab = vocabulary()
    done = set()
    changes = [(f, v) for f in fields for v in vocab.fields[f].domain()] + [("date", d) for d in dates]
    for case in base:
        scenario = vocab.validate(case["scenario"])
        for field, value in changes:
            value = dt.date.fromisoformat(value) if field == "date" else value
            if scenario.get(field) == value:
                continue
            trial = {**scenario, field: value}
            if vocab.contradiction(trial) is not None:
                continue
            d, s = judge.evaluate(trial), before.evaluate(trial)
            if "conditional" in (d.verdict, s.verdict):
                continue
            answer = (str(d.verdict), tuple(sorted(d.deciding_rules)))
            if answer == (case["verdict"], tuple(sorted(case["deciding"]))) or (answer, field, value) in done:
                continue
            done.add((answer, field, value))
            differs = answer != (str(s.verdict), tuple(sorted(s.deciding_rules)))
            (cases if differs else guards).append(_case(trial, (differs, answer, ())))


def _top_up(out: list[dict], fields: list[str], keys: list, seen: dict, covered: set) -> set:
    """Add to `out` a scenario of `keys` for each value of each field that `covered` lacks."""
    vocab = vocabulary()
    for field in fields:
        for value in vocab.fields[field].domain():
            if (field, value) in covered:
                continue
            found = [(k, s) for k in keys for s in seen[k] if s.get(field) == value]
            if found:
                key, scenario = found[0]
                out.append(_case(scenario, key))
                covered = covered | set(_text(scenario).items())
    return covered


def _public(cases: list[dict]) -> list[dict]:
    """A few cases to show, each on different deciding provisions."""
    shown: list[dict] = []
    for case in sorted(cases, key=lambda c: (-len(c["deciding"]), c["label"])):
        if len(shown) < PUBLIC_CASES and not any(set(case["deciding"]) == set(s["deciding"]) for s in shown):
            shown.append(case)
    return shown


def _pick(keys: list, seen: dict, covered: set, only_new: bool = False) -> tuple[list[dict], set]:
    """For each key (an answer and its applicable provisions), scenarios until every value that occurs
    among the key's scenarios is in one of them: a rule read too narrowly or too widely misses one."""
    out = []
    for key in keys:
        mine: set = set()
        pool = list(seen[key])
        while pool:
            best = max(pool, key=lambda s: len(set(_text(s).items()) - mine))
            new = set(_text(best).items()) - mine
            if not new or (only_new and not set(_text(best).items()) - covered and mine):
                break
            out.append(_case(best, key))
            mine |= new
            pool.remove(best)
        covered = covered | mine
    return out, covered


def _case(scenario: dict, key: tuple) -> dict:
    _, (verdict, deciding), _ = key
    return {"label": scenario.get("activity", "any"), "scenario": _text(scenario), "verdict": verdict,
            "deciding": list(deciding)}


def _labelled(cases: list[dict], prefix: str = "") -> list[dict]:
    counts: dict = {}
    for case in cases:  # no verdict in a label: hidden labels are shown
        name = f"{prefix}-{case['label']}" if prefix else case["label"]
        counts[name] = counts.get(name, 0) + 1
        case["label"] = f"{name}-{counts[name]:02d}"
    return cases


def policy_exercise(number: str, title: str, reference: dict, start: dict, dates: list[str], header: str,
                    extra_key: dict | None = None) -> None:
    ref_path = COURSE / number / "reference.yaml"
    if reference is not None:
        dump(ref_path, reference, f"# Reference solution of exercise {number} (the teacher's; never given to students).\n")
    start_path = PUBLIC / number / "start.yaml"
    dump(start_path, start, header)
    ref_rules = yaml.safe_load(ref_path.read_text(encoding="utf-8"))["rules"]
    student = sorted({r["id"] for r in ref_rules if r not in start["rules"]})
    shown, cases, guards = policy_cases(ref_path, start_path, dates)
    dump(PUBLIC / number / "public.yaml", {"exercise": number, "kind": "policy", "title": title,
                                           "instrument": start["id"], "cases": shown},
         "# Public cases: the scenario, the verdict and the deciding provisions expected.\n")
    dump(COURSE / number / "key.yaml", {"reference": "reference.yaml", "student_rules": student, **(extra_key or {}),
                                        "cases": cases, "guards": guards},
         f"# Hidden cases of exercise {number} (the start file fails each) and guards (it passes them; failing one\n"
         f"# withholds full marks). Keep this folder from students.\n")


START_01 = ("N26-3", "B04-2")


def exercise_01() -> None:
    reference = yaml.safe_load((COURSE / "01" / "reference.yaml").read_text(encoding="utf-8"))
    start = copy.deepcopy(plain(reference))
    start.pop("findings", None)
    start["rules"] = [r for r in start["rules"] if r["id"] in START_01]
    header = ("# Exercise 01: encode the final policy the 2025 interim memo called for (a hypothetical instrument,\n"
              "# not bundled); see brief.md. N26-3 and the inherited B04-2 are given. Add N26-1, N26-1.authority,\n"
              "# N26-2, N26-4 and N26-4.limit.\n")
    policy_exercise("01", "Encode the final policy the 2025 memo called for (hypothetical)", None, start,
                    ["2026-06-01"], header)


UKRAINE = {
    "id": "B22-2.ukraine", "title": "Transfers of non-persistent APL to a State at war (hypothetical amendment)",
    "effect": "permitted", "exception_to": ["B22-2"],
    "when": {"activity": "transfer", "recipient": "state", "persistence": "non_persistent", "purpose": "combat"},
    "from": "2024-11-20", "source": "S40", "quote": "supply Ukraine with non-persistent anti-personnel land mines",
    "confidence": "low",
    "note": "Hypothetical: the decision of 2024-11-20 written into the policy as an amendment. No amended text was "
            "found (B22-D1 in the bundled biden-2022 records it as practice); this is an exercise, not the law.",
}
EXCEPTIONS_04 = ("B22-2.mine-action", "B22-2.training", "B22-2.destruction")


def exercise_04() -> None:
    data = bundled_data("biden-2022")
    defaults = {name: i["default"] for name, i in data.pop("interpretations").items()}
    rules = []
    for rule in data["rules"]:
        reading = rule.pop("interpretation", None)
        if reading and any(defaults[k] != v for k, v in reading.items()):
            continue
        rules.append(rule)
    at = next(i for i, r in enumerate(rules) if r["id"] == "B22-2.destruction") + 1
    rules.insert(at, UKRAINE)
    data["rules"] = rules
    data["id"] = "biden-2022-amended"
    data["title"] = "biden-2022 as it would read had the 2024-11-20 transfer decision amended it (exercise)"
    data["binds_us"] = False
    data["not_rules"] = [n for n in data.get("not_rules", []) if n["id"] != "B22-D1"]
    start = copy.deepcopy(data)
    start["rules"] = [r for r in start["rules"] if r["id"] not in (*EXCEPTIONS_04, UKRAINE["id"])]
    header = ("# Exercise 04: this copy of biden-2022 (renamed: it is not the bundled file) bans every transfer\n"
              "# (B22-2). Add the fact sheet's exceptions and the 2024 amendment (see brief.md).\n")
    policy_exercise("04", "Add the missing exceptions to an amended biden-2022", data, start,
                    ["2023-01-01", "2025-01-01"], header)


def scenario_exercise(number: str, title: str, a: str, b_file: Path, public: int, limit: int) -> None:
    """Targets: kinds of difference between bundled `a` and the instrument in `b_file` (kept in the course
    folder), each with a small witness; the first `public` are public."""
    vocab = vocabulary()
    b = load_policy(b_file, vocab)
    judges = [pe.bundled().evaluator(a), pe.Evaluator(b, vocab)]
    found = pe.diff(a, b)
    targets: dict = {}
    for c in found.classes:
        key = ((str(c.before.verdict), tuple(sorted(c.before.deciding))),
               (str(c.after.verdict), tuple(sorted(c.after.deciding))))
        if key in targets:
            continue
        witness = dict(c.witness)
        for name in reversed(list(witness)):  # the smallest witness with the same decisions
            trial = {k: v for k, v in witness.items() if k != name}
            got = tuple((str(d.verdict), tuple(sorted(d.deciding_rules))) for d in (j.evaluate(trial) for j in judges))
            if got == key:
                witness = trial
        targets[key] = witness
    chosen, covered = [], set()
    for key, witness in sorted(targets.items(), key=lambda kv: -len(set(kv[0][0][1] + kv[0][1][1]))):
        provisions = set(key[0][1] + key[1][1])
        if provisions - covered and len(chosen) < limit:
            chosen.append((key, witness))
            covered |= provisions
    entries = [{"label": f"difference-{i:02d}", "a": {"verdict": key[0][0], "deciding": list(key[0][1])},
                "b": {"verdict": key[1][0], "deciding": list(key[1][1])}, "witness": _text(witness)}
               for i, (key, witness) in enumerate(chosen, 1)]
    shown = [{k: v for k, v in e.items() if k != "witness"} for e in entries[:public]]
    dump(PUBLIC / number / "public.yaml", {"exercise": number, "kind": "scenarios", "title": title,
                                           "instruments": [a, b.id], "targets": shown},
         "# Public targets: kinds of difference your scenarios must show (verdict and deciding provisions on each side).\n")
    dump(COURSE / number / "reference.yaml", {"scenarios": [e["witness"] for e in entries]},
         f"# Reference solution of exercise {number}.\n")
    dump(COURSE / number / "key.yaml", {"reference": "reference.yaml", "instruments": {b.id: b_file.name},
                                        "targets": entries[public:],
                                        "witnesses": {e["label"]: e["witness"] for e in entries[:public]}},
         f"# Hidden targets of exercise {number}; {b_file.name} is the instrument students do not have.\n")
    dump(PUBLIC / number / "start.yaml", {"scenarios": [{"activity": "use", "mine": "anti_personnel"}]},
         f"# Exercise {number}: list scenarios (field: value mappings) that {a} and {b.id} answer differently.\n")


def copy_instrument(source: Path, target: Path) -> Path:
    target.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    return target


DATE_QUESTIONS = [
    ("q01", "2014-09-22", {"activity": "use", "mine": "anti_personnel", "persistence": "non_persistent",
                           "location": "elsewhere", "detectable": True, "delivery": "hand_emplaced",
                           "self_destruct_days": 30}),
    ("q02", "2014-09-23", {"activity": "use", "mine": "anti_personnel", "persistence": "non_persistent",
                           "location": "elsewhere", "detectable": True}),
    ("q03", "2014-06-26", {"activity": "produce", "mine": "anti_personnel", "persistence": "non_persistent"}),
    ("q04", "2014-06-27", {"activity": "produce", "mine": "anti_personnel", "persistence": "non_persistent"}),
    ("q05", "2020-01-30", {"activity": "use", "mine": "anti_personnel", "persistence": "non_persistent",
                           "location": "elsewhere", "detectable": True}),
    ("q06", "2022-06-20", {"activity": "transfer", "mine": "anti_personnel", "purpose": "combat",
                           "recipient": "state", "location": "elsewhere"}),
    ("q07", "2022-06-21", {"activity": "transfer", "mine": "anti_personnel", "purpose": "combat",
                           "recipient": "state", "location": "elsewhere"}),
    ("q08", "2022-06-21", {"activity": "develop", "mine": "anti_personnel", "persistence": "non_persistent"}),
    ("q09", "2025-12-02", {"activity": "use", "mine": "anti_personnel", "persistence": "persistent",
                           "delivery": "remote", "location": "elsewhere"}),
    ("q10", "2022-06-21", {"activity": "use", "mine": "anti_personnel", "persistence": "non_persistent",
                           "location": "elsewhere"}),
]

FILLERS = {"detectable": True, "self_destruct_days": 30, "compliant_sd_sda": True, "delivery": "hand_emplaced",
           "recipient_apii_party": True, "marked_area": False, "live": True, "minimum_necessary": False,
           "attended": False, "activation": "victim", "authorization": "none", "exceptional_circumstances": False,
           "condition": "serviceable"}


def complete(scenario: dict, day: str) -> dict:
    """The question's fields plus the fewest filler facts that make every instrument's answer definite."""
    full = dict(scenario)
    for name, value in FILLERS.items():
        if name not in scenario and vocabulary().contradiction({**full, name: value}) is None:
            full[name] = value
    assert pe.evaluate_on(full, day).verdict != "conditional", (scenario, day)
    for name in [k for k in FILLERS if k not in scenario]:
        trial = {k: v for k, v in full.items() if k != name}
        if pe.evaluate_on(trial, day).verdict != "conditional":
            full = trial
    return {f: full[f] for f in vocabulary().names if f in full}


def exercise_05() -> None:
    questions = [{"id": q, "date": day, "scenario": complete(s, day),
                  "text": f"On {day}, what is the US position on this scenario?"} for q, day, s in DATE_QUESTIONS]
    answers = {}
    for q in questions:
        a = pe.evaluate_on(q["scenario"], q["date"])
        assert a.verdict != "conditional" and (a.deciding_rules or a.verdict == "not_addressed"), (q, a.verdict)
        answers[q["id"]] = {"verdict": str(a.verdict), "policy": a.deciding_policy, "provisions": sorted(a.deciding_rules)}
    dump(PUBLIC / "05" / "public.yaml", {"exercise": "05", "kind": "answers", "mode": "dates",
                                         "title": "Decide cases on dates across a transition",
                                         "public": ["q01", "q02"], "questions": questions},
         "# Questions of exercise 05. q01 and q02 are public: the check shows their expected answers.\n")
    dump(COURSE / "05" / "key.yaml", {"reference": "reference.yaml", "hidden": [q["id"] for q in questions[2:]]},
         "# Exercise 05: the questions whose answers the check does not show (computed when it runs).\n")
    dump(COURSE / "05" / "reference.yaml", {"answers": answers}, "# Reference solution of exercise 05.\n")
    dump(PUBLIC / "05" / "start.yaml",
         {"answers": {q["id"]: {"verdict": "", "policy": "", "provisions": []} for q in questions}},
         "# Exercise 05: for each question, the US position (verdict), the deciding instrument and its provisions.\n")


if __name__ == "__main__":
    exercise_01()
    exercise_04()
    scenario_exercise("02", "Tell trump-2020 from the final policy the 2025 memo called for", "trump-2020",
                      copy_instrument(COURSE / "01" / "reference.yaml", COURSE / "02" / "final-2026.yaml"), 4, 12)
    scenario_exercise("03", "Find where ottawa and an amended biden-2022 disagree", "ottawa",
                      copy_instrument(COURSE / "04" / "reference.yaml", COURSE / "03" / "biden-2022-amended.yaml"),
                      3, 11)
    exercise_05()
