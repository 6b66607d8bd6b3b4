"""Build the exercise data from the bundled instruments: starting files, public cases, and the hidden
reference solutions and cases (packaged in src/policyengine/exercises/hidden/).

Run from the repository root after changing an instrument: `python tools/make_exercises.py`. The
cases are the engine's answers on the reference solutions; tests/exercises checks that every
reference solution scores full marks and that seeded wrong answers get feedback naming the
provision they mishandle.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from pathlib import Path

import yaml

import policyengine as pe
from policyengine.analysis.claims import claim
from policyengine.core.loader import load_policy
from policyengine.registry import vocabulary
from policyengine.core.space import Space

ROOT = Path(__file__).resolve().parents[1]
PUBLIC = ROOT / "exercises"
HIDDEN = ROOT / "src" / "policyengine" / "exercises" / "hidden"
DROP_KEYS = {"notes", "brief", "findings"}
BRIEF = re.compile(r"\s*\((?:see )?brief [^)]*\)|;?\s*brief §[^.;)]*")


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


def minimal(scenario: dict, judge, key, keep=("date",)) -> dict:
    """Drop fields while the decision keeps its verdict, deciding provisions and applicable provisions
    (so a case built on an exception still exercises it)."""
    def full(s: dict) -> tuple:
        d = judge.evaluate(vocabulary().validate(s))
        return str(d.verdict), tuple(sorted(d.deciding_rules)), tuple(sorted(d.applicable_rules))

    target = full(scenario)
    assert target[:2] == key
    for name in reversed(list(scenario)):
        if name in keep:
            continue
        trial = {k: v for k, v in scenario.items() if k != name}
        if full(trial) == target:
            scenario = trial
    return scenario


def policy_cases(path: Path, dates: list[str]) -> list[dict]:
    """One case per distinct (verdict, deciding provisions) of the reference on the given dates."""
    vocab = vocabulary()
    policy = load_policy(path, vocab)
    judge = pe.Evaluator(policy, vocab)
    seen: dict = {}
    # the cells of the space on the last date (when every provision is in force), asked on each date
    space = Space((policy,), vocab, None, {"date": dt.date.fromisoformat(dates[-1])})
    for day, cell in ((day, cell) for day in dates for cell in space.cells):
        if True:
            scenario = {**{f: space.classes[f][min(c)].representative for f, c in cell.box.items()},
                        "date": dt.date.fromisoformat(day)}
            scenario = {f: scenario[f] for f in vocab.names if f in scenario}
            d = judge.evaluate(scenario)
            key = (str(d.verdict), tuple(sorted(d.deciding_rules)))
            # one case per activity, date, answer and set of applicable provisions (so every exception
            # and every date of a provision is exercised)
            full = (scenario.get("activity"), day, key, tuple(sorted(d.applicable_rules)))
            if full in seen or d.verdict == "conditional":
                continue
            seen[full] = minimal(scenario, judge, key)
    cases = []
    for (_, _, (verdict, deciding), _), scenario in seen.items():
        label = scenario.get("activity", "any")  # no verdict in a label: hidden labels are shown
        cases.append({"label": label, "scenario": {k: (v.isoformat() if isinstance(v, dt.date) else v)
                                                    for k, v in scenario.items()},
                      "verdict": verdict, "deciding": list(deciding)})
    labels: dict = {}
    for case in cases:
        labels[case["label"]] = labels.get(case["label"], 0) + 1
        case["label"] += f"-{labels[case['label']]:02d}"
    return cases


def split(cases: list[dict], student_rules: set[str], public: int = 3) -> tuple[list[dict], list[dict]]:
    ranked = sorted(cases, key=lambda c: (not (set(c["deciding"]) & student_rules), c["label"]))
    shown = ranked[:public]
    return shown, [c for c in cases if c not in shown]


def policy_exercise(number: str, title: str, reference: dict, start: dict, dates: list[str], header: str) -> None:
    ref_path = HIDDEN / f"{number}-reference.yaml"
    dump(ref_path, reference, f"# Reference solution of exercise {number} (hidden from students).\n")
    dump(PUBLIC / number / "start.yaml", start, header)
    student = {r["id"] for r in reference["rules"]} - {r["id"] for r in start["rules"]} | {
        r["id"] for r in reference["rules"] if r not in start["rules"]}
    cases = policy_cases(ref_path, dates)
    shown, hidden = split(cases, student)
    dump(PUBLIC / number / "public.yaml", {"exercise": number, "kind": "policy", "title": title, "cases": shown},
         "# Public cases: the scenario, the verdict and the deciding provisions expected.\n")
    dump(HIDDEN / f"{number}.yaml", {"reference": ref_path.name, "student_rules": sorted(student), "cases": hidden},
         f"# Hidden cases of exercise {number}.\n")


def exercise_01() -> None:
    data = bundled_data("obama-2014")
    data.pop("interpretations")
    rules = []
    for rule in data["rules"]:
        reading = rule.pop("interpretation", None)
        if reading and reading not in ({"o14-export": "assistance"},):
            continue
        rules.append(rule)
    data["rules"] = rules
    reference = data
    start = copy.deepcopy(data)
    start["rules"] = [r for r in start["rules"] if r["id"] in ("O14-1", "O14-6")]
    for r in start["rules"]:
        r.pop("exception_to", None)
    header = ("# Exercise 01: encode step b of the Obama policy (2014-09-23) from its quotes; see brief.md.\n"
              "# Step a (O14-1) and the inherited bar (O14-6) are given. Add the rules O14-2 to O14-5.\n")
    policy_exercise("01", "Encode obama-2014's step b from its quotes", reference, start,
                    ["2014-08-01", "2015-06-01"], header)


def exercise_04() -> None:
    data = bundled_data("biden-2022")
    data.pop("interpretations")
    rules = []
    for rule in data["rules"]:
        reading = rule.pop("interpretation", None)
        if reading and reading not in ({"b22-2-korea": "framing"}, {"b22-2-wording": "fact_sheet"}):
            continue
        rules.append(rule)
    data["rules"] = rules
    start = copy.deepcopy(data)
    start["rules"] = [r for r in start["rules"] if r["id"] not in ("B22-2.mine-action", "B22-2.training",
                                                                    "B22-2.destruction")]
    header = ("# Exercise 04: this copy of biden-2022 bans every transfer (B22-2). The fact sheet excepts some;\n"
              "# add the missing exceptions (see brief.md).\n")
    policy_exercise("04", "Add the missing exceptions to a broken biden-2022", data, start, ["2023-01-01"], header)


def scenario_exercise(number: str, title: str, a: str, b: str, public: int, limit: int) -> None:
    judges = [pe.bundled().evaluator(i) for i in (a, b)]
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
    # prefer targets that bring new provisions
    chosen, covered = [], set()
    for key, witness in sorted(targets.items(), key=lambda kv: -len(set(kv[0][0][1] + kv[0][1][1]))):
        provisions = set(key[0][1] + key[1][1])
        if provisions - covered and len(chosen) < limit:
            chosen.append((key, witness))
            covered |= provisions
    entries = []
    for i, (key, witness) in enumerate(chosen, 1):
        entries.append({"label": f"difference-{i:02d}",
                        "a": {"verdict": key[0][0], "deciding": list(key[0][1])},
                        "b": {"verdict": key[1][0], "deciding": list(key[1][1])},
                        "witness": {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in witness.items()}})
    shown = [{k: v for k, v in e.items() if k != "witness"} for e in entries[:public]]
    dump(PUBLIC / number / "public.yaml", {"exercise": number, "kind": "scenarios", "title": title,
                                           "instruments": [a, b], "targets": shown},
         "# Public targets: kinds of difference your scenarios must show (verdict and deciding provisions on each side).\n")
    for e in entries[:public]:  # public targets keep their witness in the hidden data (tier 3 only)
        pass
    ref = HIDDEN / f"{number}-reference.yaml"
    dump(ref, {"scenarios": [e["witness"] for e in entries]}, f"# Reference solution of exercise {number}.\n")
    dump(HIDDEN / f"{number}.yaml", {"reference": ref.name, "targets": entries[public:],
                                     "witnesses": {e["label"]: e["witness"] for e in entries[:public]}},
         f"# Hidden targets of exercise {number}.\n")
    dump(PUBLIC / number / "start.yaml", {"scenarios": [{"activity": "use", "mine": "anti_personnel"}]},
         f"# Exercise {number}: list scenarios (field: value mappings) that {a} and {b} answer differently.\n")


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


FILLERS = {"detectable": True, "self_destruct_days": 30, "compliant_sd_sda": True, "delivery": "hand_emplaced", "recipient_apii_party": True,
           "marked_area": False, "live": True, "minimum_necessary": False, "attended": False,
           "activation": "victim", "authorization": "none", "exceptional_circumstances": False,
           "condition": "serviceable"}


def complete(scenario: dict, day: str) -> dict:
    """The question's fields plus the fewest filler facts that make every instrument's answer definite
    (a filler that would contradict the question, a self-destruct time for a persistent mine, is left out)."""
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
                  "text": f"On {day}, what is the US position on this scenario?"}
                 for q, day, s in DATE_QUESTIONS]
    for q in questions:
        a = pe.evaluate_on(q["scenario"], q["date"])
        assert a.verdict != "conditional" and (a.deciding_rules or a.verdict == "not_addressed"), (q, a.verdict)
    dump(PUBLIC / "05" / "public.yaml", {"exercise": "05", "kind": "answers", "mode": "dates",
                                         "title": "Decide cases on dates across a transition",
                                         "questions": questions},
         "# Questions of exercise 05. q01 and q02 are public: the check shows their expected answers.\n")
    dump(HIDDEN / "05.yaml", {"reference": "05-reference.yaml", "hidden": [q["id"] for q in questions[2:]]},
         "# Exercise 05: the questions whose answers the check does not show.\n")
    answers = {}
    for q in questions:
        a = pe.evaluate_on(q["scenario"], q["date"])
        answers[q["id"]] = {"verdict": str(a.verdict), "policy": a.deciding_policy,
                            "provisions": sorted(a.deciding_rules)}
    dump(HIDDEN / "05-reference.yaml", {"answers": answers}, "# Reference solution of exercise 05.\n")
    dump(PUBLIC / "05" / "start.yaml",
         {"answers": {q["id"]: {"verdict": "", "policy": "", "provisions": []} for q in questions}},
         "# Exercise 05: for each question, the US position (verdict), the deciding instrument and its provisions.\n")


NEWS_LABELS = ["obama-total-ban", "trump-2020-anywhere", "trump-2020-self-destruct-not-remote-off",
               "biden-transfer-for-destruction", "biden-no-combat-assistance-outside-korea", "biden-ban-except-korea",
               "biden-no-outright-ban", "hegseth-lifting-restriction"]


def exercise_06() -> None:
    news = yaml.safe_load((ROOT / "scenarios" / "claims" / "news.yaml").read_text(encoding="utf-8"))["claims"]
    by_label = {c["label"]: c for c in news}
    questions, reference, answers = [], [], {}
    for i, label in enumerate(NEWS_LABELS, 1):
        entry = by_label[label]
        qid = f"q{i:02d}"
        result = claim(entry["claim"])
        instrument = entry["claim"].split()[1].rstrip(",") if entry["claim"].startswith("under") else \
            entry["claim"].split()[0]
        if instrument == "the":
            instrument = "trump-2020"
        provisions = list(entry.get("provisions", [])) or list(result.provisions)
        questions.append({"id": qid, "quote": entry["source"]})
        reference.append({"id": qid, "claim": entry["claim"], "instrument": instrument, "provisions": provisions})
        answers[qid] = {"answer": str(result.answer), "provision": provisions[0], "claim": entry["claim"]}
    dump(PUBLIC / "06" / "public.yaml", {"exercise": "06", "kind": "answers", "mode": "claims",
                                         "title": "Fact-check news claims against the instruments",
                                         "questions": questions},
         "# Quotes to fact-check. q01 and q02 are public: the check shows their expected answers.\n")
    dump(HIDDEN / "06.yaml", {"reference": "06-reference.yaml", "hidden": [q["id"] for q in questions[2:]],
                              "reference_claims": reference},
         "# Exercise 06: the reference claims (hidden).\n")
    dump(HIDDEN / "06-reference.yaml", {"answers": answers}, "# Reference solution of exercise 06.\n")
    dump(PUBLIC / "06" / "start.yaml",
         {"answers": {q["id"]: {"answer": "", "provision": "", "claim": ""} for q in questions}},
         "# Exercise 06: for each quote, answer true, false or depends_on_reading, the provision that settles\n"
         "# it, and (optional) your claim in the checker's grammar (policyengine claim --help).\n")


if __name__ == "__main__":
    exercise_01()
    scenario_exercise("02", "Write scenarios that tell trump-2020 from biden-2022", "trump-2020", "biden-2022", 4, 12)
    scenario_exercise("03", "Find where ottawa and biden-2022 disagree", "ottawa", "biden-2022", 3, 11)
    exercise_04()
    exercise_05()
    exercise_06()
