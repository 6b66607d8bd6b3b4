"""Grade a list of scenarios that should tell two instruments apart: each case is a kind of
difference, named by the verdict and deciding provisions on each side."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from ..core.errors import SuiteError
from ..registry import bundled, vocabulary
from ..core.yamlio import load_yaml
from .catalogue import Exercise
from .grading import CaseResult, cases_of, scenario_words, verdict_words


def grade_scenarios(ex: Exercise, path: Path) -> tuple[CaseResult, ...]:
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
    for case, hidden in cases_of(ex, "targets"):
        want_a = (str(case["a"]["verdict"]), tuple(sorted(case["a"]["deciding"])))
        want_b = (str(case["b"]["verdict"]), tuple(sorted(case["b"]["deciding"])))
        hit = any(ka == want_a and kb == want_b for _, ka, kb in keys)
        provisions = tuple(dict.fromkeys((*want_a[1], *want_b[1])))
        info = {} if hidden else {"expected": f"{a.policy.id} {verdict_words(*want_a)}; {b.policy.id} {verdict_words(*want_b)}"}
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
        example = f"a scenario like {scenario_words(witness)}" if witness else ""
        out.append(CaseResult(case["label"], hidden, False, failure, provisions, detail, example, "example", info))
    return tuple(out)
