"""Grade a list of scenarios that should tell two instruments apart: each case is a kind of
difference, named by the verdict and deciding provisions on each side.

The second instrument may be one the students do not have (described in words in the brief, its
file kept in the course key): without the key, a public case is then checked on the first side only,
and the report says so."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from ..core.conditions import fields_of
from ..core.corpus import Corpus
from ..core.errors import SuiteError
from ..core.evaluation import Evaluator
from ..core.loader import load_policy
from ..core.outcomes import Verdict
from ..core.vocabulary import Vocabulary
from ..core.words import outcome_words, provision_list, scenario_words
from ..core.yamlio import load_yaml, where
from .catalogue import Exercise
from .grading import CaseResult, cases_of

Key = tuple[str, tuple[str, ...]]
MAX_SCENARIOS = 10_000  # scenarios in one answer file (repeated ones are decided once)
SHOWN = 12  # scenario numbers named in one line of feedback


def judges(ex: Exercise, corpus: Corpus) -> list[Evaluator | None]:
    """The evaluators of the two instruments, from the corpus or the course key; None for one kept in the
    course key when no key is given."""
    vocab = corpus.vocabulary
    files = ex.key.get("instruments", {})
    out: list[Evaluator | None] = []
    for ident in ex.public["instruments"]:
        if ident in files:
            out.append(Evaluator(load_policy(ex.key_file(str(files[ident])), vocab), vocab))
        elif ident in corpus.ids:
            out.append(corpus.evaluator(ident))
        elif ex.has_key:
            raise SuiteError(f"instrument '{ident}' is neither bundled nor in the course key",
                             where=str(ex.key_file("key.yaml")), hint=f"add instruments: {{{ident}: FILE.yaml}}")
        else:
            out.append(None)
    return out


def read_scenarios(path: Path, vocab: Vocabulary) -> list[dict]:
    """The student's scenarios, each checked against the vocabulary (ScenarioError with its number)."""
    doc = load_yaml(str(path))
    raw = doc.get("scenarios") if isinstance(doc, Mapping) else None
    if not isinstance(raw, list) or not raw:
        raise SuiteError("no 'scenarios' list", where=str(path), hint="write scenarios: and a list of field mappings")
    if len(raw) > MAX_SCENARIOS:
        raise SuiteError(f"lists {len(raw):,} scenarios, more than the {MAX_SCENARIOS:,} allowed",
                         where=where(str(path), doc, "scenarios"),
                         hint="a few scenarios, one per kind of difference, are enough")
    return [vocab.validate(entry or {}, where(str(path), raw, index=index)) for index, entry in enumerate(raw)]


def _decide(judge: Evaluator | None, scenario: dict) -> Key | None:
    if judge is None:
        return None
    d = judge.evaluate(scenario)
    return str(d.verdict), tuple(sorted(d.deciding_rules))


def grade_scenarios(ex: Exercise, path: Path, corpus: Corpus) -> tuple[CaseResult, ...]:
    """Each public (and, with the key, hidden) kind of difference: hit by one of the student's scenarios?"""
    a, b = judges(ex, corpus)
    names = list(ex.public["instruments"])
    decided: dict[tuple, tuple[Key | None, Key | None]] = {}  # a scenario listed again is decided once
    keys = []
    for s in read_scenarios(path, corpus.vocabulary):
        key = tuple(sorted(s.items()))
        if key not in decided:
            decided[key] = (_decide(a, s), _decide(b, s))
        keys.append((s, *decided[key]))
    same = [i for i, (_, ka, kb) in enumerate(keys, 1) if kb is not None and ka is not None and ka[0] == kb[0]]
    out = []
    for case, hidden in cases_of(ex, "targets"):
        want_a = (str(case["a"]["verdict"]), tuple(sorted(case["a"]["deciding"])))
        want_b = (str(case["b"]["verdict"]), tuple(sorted(case["b"]["deciding"])))
        hit = any(ka == want_a and (kb is None or kb == want_b) for _, ka, kb in keys)
        provisions = tuple(dict.fromkeys((*want_a[1], *want_b[1])))
        info = {} if hidden else {"expected": f"{names[0]} {outcome_words(*want_a)}; {names[1]} {outcome_words(*want_b)}"}
        if b is None and not hidden:
            info["checked"] = f"{names[0]} side only: {names[1]} is in your teacher's key"
        if hit:
            out.append(CaseResult(case["label"], hidden, True, public_info=info))
            continue
        failure = f"no scenario of yours falls in case {case['label']}" + ("" if hidden else f" ({info['expected']})")
        witness = case.get("witness") or ex.key.get("witnesses", {}).get(case["label"], {})
        detail = _own_scenarios(keys, want_a, want_b, names) or (
            _nearest(keys, witness, [a, b], (want_a, want_b), names, corpus.vocabulary) if witness and b is not None else ())
        detail += (f"case {case['label']} turns on {provision_list(want_a[1])} of {names[0]} and "
                   f"{provision_list(want_b[1])} of {names[1]}: write a scenario that those "
                   f"provisions decide",)
        if same:
            listed = ", ".join(map(str, same[:SHOWN])) + (f" and {len(same) - SHOWN:,} more" if len(same) > SHOWN else "")
            detail += (f"your scenarios {listed} get the same verdict from both instruments",)
        example = f"a scenario like {scenario_words(witness)}" if witness else ""
        out.append(CaseResult(case["label"], hidden, False, failure, provisions, detail, example, "example", info))
    return tuple(out)


def _own_scenarios(keys: list, want_a: Key, want_b: Key, names: list[str]) -> tuple[str, ...]:
    """The student's scenario that gets one side right, and the provisions that differ on the other side:
    their own miss, before any example."""
    for index, (_, ka, kb) in enumerate(keys, 1):
        for ok, got, want, right, wrong in ((ka == want_a, kb, want_b, names[0], names[1]),
                                            (kb == want_b, ka, want_a, names[1], names[0])):
            if ok and got is not None and got != want:
                differ = sorted(set(got[1]) ^ set(want[1]))
                return (f"your scenario {index} is decided by {right} as the case needs, but not by {wrong}: "
                        f"there it turns on {provision_list(got[1])}"
                        + (f" (the case needs {', '.join(differ)})" if differ else ""),)
    return ()


def _nearest(keys: list, witness: Mapping, judges: list, want: tuple[Key, Key], names: list[str],
             vocab: Vocabulary) -> tuple[str, ...]:
    """The student's scenario closest to the case's example, and the field whose value keeps it out."""
    example = vocab.validate(dict(witness))
    if not keys or not example:
        return ()
    index, (scenario, ka, kb) = max(enumerate(keys, 1), key=lambda e: sum(e[1][0].get(f) == v for f, v in example.items()))
    for field, value in example.items():
        if scenario.get(field) == value:
            continue
        trial = {**scenario, field: value}
        if vocab.contradiction(trial) is None and (_decide(judges[0], trial), _decide(judges[1], trial)) == want:
            return (f"your scenario {index} comes closest: its {field} keeps it out of this case",)
    sides = [f"{n}'s answer depends on {', '.join(_open_fields(j, scenario))}, which it leaves out"
             if k[0] == Verdict.CONDITIONAL else f"{n} decides it by {', '.join(k[1]) or k[0]}"
             for n, k, j in zip(names, (ka, kb), judges) if k is not None]
    differ = [f for f, v in example.items() if scenario.get(f) != v]
    return (f"your scenario {index} comes closest, but {'; '.join(sides)}"
            + (f"; look again at its {', '.join(differ)}" if differ else ""),)


def _open_fields(judge: Evaluator, scenario: dict) -> list[str]:
    """The fields a conditional decision of the scenario still depends on."""
    decision = judge.evaluate(scenario)
    return sorted({f for r in decision.residual for conj in r.when for c in conj for f in fields_of(c)}) or ["fields"]
