"""Score hand-designed author slips against `check --strict`, the scenario suites and `check --baseline`."""

from __future__ import annotations

import tempfile
from collections import Counter
from pathlib import Path

import attrs
import yaml

import policyengine as pe
from policyengine.analysis.baseline import compare_versions
from policyengine.analysis.check import check, stale
from policyengine.core.errors import PolicyEngineError
from policyengine.core.loader import load_policy
from policyengine.registry import data_dir, policy_files
from policyengine.testing.suites import load_suite, run_case

from author_slips import Slip, slips


@attrs.frozen
class Score:
    """What caught one slip."""

    slip: Slip
    changes_answers: bool  # False: an equivalent mutant (no answer, period or layering changes), not scored
    by_check: bool
    by_suites: bool
    by_baseline: bool


DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's, where PyYAML has it: ten times faster
PER_KIND = 25  # slips scored per kind, spread evenly over the files


def chosen(per_kind: int = PER_KIND) -> list[tuple[Path, Slip]]:
    """Up to `per_kind` slips of each kind, evenly spread over every bundled policy file."""
    vocab = pe.vocabulary()
    by_kind: dict[str, list[tuple[Path, Slip]]] = {}
    for path in policy_files():
        for slip in slips(yaml.safe_load(path.read_text(encoding="utf-8")), vocab):
            by_kind.setdefault(slip.kind, []).append((path, slip))
    out = []
    for found in by_kind.values():
        step = max(1, len(found) / per_kind)
        out += [found[int(i * step)] for i in range(min(per_kind, len(found)))]
    return out


def score_all(per_kind: int = PER_KIND) -> list[Score]:
    """The chosen slips, scored."""
    vocab = pe.vocabulary()
    out = []
    originals = {path: load_policy(path, vocab) for path in policy_files()}
    with tempfile.TemporaryDirectory() as tmp:
        for path, slip in chosen(per_kind):
            original = originals[path]
            suite = data_dir() / "scenarios" / "suites" / path.name
            target = Path(tmp) / path.parent.name / path.name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(yaml.dump(dict(slip.doc), Dumper=DUMPER, sort_keys=False, allow_unicode=True),
                              encoding="utf-8")
            out.append(_score(slip, original, target, suite, vocab))
    return out


def _score(slip: Slip, original, target: Path, suite: Path, vocab) -> Score:
    try:
        mutant = load_policy(target, vocab)
    except PolicyEngineError:
        return Score(slip, True, True, True, True)  # refused at load: every tool loads the file first
    found = check(mutant, vocab)
    by_check = any(not f.documented for f in found) or bool(stale(mutant, found, vocab))
    changed = bool(compare_versions(original, mutant, vocab))
    by_suites = False
    if suite.is_file():
        corpus = pe.bundled().with_policy(mutant)
        try:
            by_suites = any(not run_case(case, corpus).passed for case in load_suite(suite, corpus))
        except PolicyEngineError:
            by_suites = True
    return Score(slip, changed or by_check or by_suites, by_check, by_suites, changed)


def summary(scores: list[Score]) -> dict:
    """Kill rates over the slips that change some answer: check alone, and check + suites + baseline."""
    scored = [s for s in scores if s.changes_answers]
    kinds = Counter(s.slip.kind for s in scored)
    alone = sum(s.by_check for s in scored)
    together = sum(s.by_check or s.by_suites or s.by_baseline for s in scored)
    other = [s for s in scored if s.slip.other_reading]
    return {"mutants": len(scored), "equivalent": len(scores) - len(scored), "kinds": dict(kinds),
            "check": alone / len(scored), "all": together / len(scored),
            "suites": sum(s.by_suites for s in scored) / len(scored),
            "other_reading": (len(other), sum(s.by_check for s in other)),
            "missed_by_check": Counter(s.slip.kind for s in scored if not s.by_check)}
