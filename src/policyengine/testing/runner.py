"""The test runner: find scenario suites under any paths, run their cases, and say why a case failed.

A suite is a YAML file with `policy` and a list of `cases` (docs/policy-format.md); other YAML files
found under a folder (named scenarios, timelines) are skipped. A failing case is reported with the
expected and actual verdict and deciding provisions, and why each expected provision did not decide.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from ..core.errors import PolicyEngineError, SuiteError
from ..core.evaluation import Evaluator
from ..core.words import provision_list, verdict_words
from ..core.yamlio import load_yaml
from ..explanation.whynot import why_not
from ..show.progress import track
from . import suites
from .coverage import Coverage, measure, shown_path
from .suites import Case, CaseResult, load_suite, run_case

if TYPE_CHECKING:
    from ..core.corpus import Corpus

SUFFIXES = (".yaml", ".yml")
SKIPPED = frozenset({"node_modules", "__pycache__", "site-packages"})


def is_suite(doc: Any) -> bool:
    """True when a loaded YAML document is a suite: a mapping with `policy` and `cases`."""
    return isinstance(doc, Mapping) and "policy" in doc and "cases" in doc


def is_suite_file(path: Path) -> bool:
    """True when a YAML file is a suite. A file that does not parse is one if its text has top-level
    `policy:` and `cases:` keys (then its error is raised, naming file:line); otherwise it is skipped."""
    try:
        return is_suite(load_yaml(str(path)))
    except PolicyEngineError:
        text = path.read_text(encoding="utf-8", errors="replace")
        if re.search(r"^policy\s*:", text, re.MULTILINE) and re.search(r"^cases\s*:", text, re.MULTILINE):
            raise
        return False


def suite_paths(paths: Sequence[str | Path] = ()) -> list[Path]:
    """The suite files among `paths` (files, or folders searched recursively); default: the bundled
    scenarios. A path that does not exist is a SuiteError; YAML files that are not suites are skipped."""
    return [path for path in candidate_paths(paths) if is_suite_file(path)]


def candidate_paths(paths: Sequence[str | Path] = ()) -> list[Path]:
    """The files among `paths` and the YAML files under its folders, once each; default: the bundled
    scenarios. A path that does not exist is a SuiteError."""
    found: list[Path] = []
    for given in paths or [suites.scenarios_dir()]:
        path = Path(given)
        if path.is_dir():
            candidates = yaml_files(path)
        elif path.is_file():
            candidates = [path]
        else:
            raise SuiteError("no such file or folder", where=str(given),
                             hint="give suite files or folders holding them (default: the bundled scenarios)")
        found += [c for c in candidates if c not in found]
    return found


def yaml_files(folder: Path) -> list[Path]:
    """The YAML files under a folder, leaving out hidden folders, virtual environments and caches."""
    found = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIPPED
                         and not os.path.exists(os.path.join(root, d, "pyvenv.cfg")))
        found += [Path(root, f) for f in sorted(files) if f.endswith(SUFFIXES)]
    return found


def display(path: Path) -> str:
    """How a suite file is named in reports: relative to the working directory when under it."""
    return shown_path(str(path))


def load_cases(paths: Sequence[str | Path], corpus: Corpus,
               select: Sequence[str] = ()) -> list[Case]:
    """The cases of every suite under `paths`, kept when `select` is empty or one of its words occurs
    (case-insensitively) in the case's instrument, label or file:line."""
    cases = [case for path in suite_paths(paths) for case in load_suite(display(path), corpus)]
    words = [w.lower() for w in select]
    return [c for c in cases if not words or any(w in case_words(c) for w in words)]


def case_words(case: Case) -> str:
    """What `-k` matches against: `policy label file:line`, lower-cased."""
    return f"{case.policy} {case.label} {case.where}".lower()


def judge_of(case: Case, corpus: Corpus) -> Evaluator:
    """The evaluator a case runs against: its own policy file's, or its instrument's in the corpus."""
    return case.judge or corpus.evaluator(case.policy)


@attrs.frozen
class TestRun:
    """The results of a run, each with the evaluator it ran against, and the provision coverage."""

    __test__ = False  # not a pytest test class

    runs: tuple[tuple[CaseResult, Evaluator], ...]
    coverage: Coverage

    @property
    def failures(self) -> list[tuple[CaseResult, Evaluator]]:
        """The cases that failed."""
        return [(r, j) for r, j in self.runs if not r.passed]

    @property
    def passed(self) -> int:
        """How many cases passed."""
        return sum(r.passed for r, _ in self.runs)


def run_cases(cases: Sequence[Case], corpus: Corpus, generate: bool = True) -> TestRun:
    """Run every case and measure coverage (with generated scenarios for provisions never deciding)."""
    runs = tuple((run_case(case, corpus), judge_of(case, corpus))
                 for case in track(cases, f"running {len(cases)} cases"))
    return TestRun(runs, measure(runs, generate))


def run_tests(paths: Sequence[str | Path], corpus: Corpus, select: Sequence[str] = (),
              generate: bool = True) -> TestRun:
    """Find the suites under `paths`, run their cases against `corpus` and measure coverage."""
    return run_cases(load_cases(paths, corpus, select), corpus, generate)


def expectation(verdict: str, deciding: Iterable[str], reason: str | None = None) -> str:
    """`prohibited, decided by B22-3` / `not addressed (out of scope), decided by OTT-Art2.1`."""
    ids = list(deciding)
    return verdict_words(verdict, reason) + (f", decided by {', '.join(ids)}" if ids else ", decided by no provision")


def _outcomes(outcomes: Iterable[tuple[str, Iterable[str], str | None]]) -> str:
    return "; ".join(f"{verdict_words(v, r)} by {provision_list(d)}" for v, d, r in outcomes)


def failure_lines(result: CaseResult, judge: Evaluator) -> list[str]:
    """Expected against actual (verdict and deciding provisions), the other differences, and why
    each expected provision that did not decide did not."""
    case, decision = result.case, result.decision
    lines = [f"expected: {expectation(case.verdict, case.deciding, case.reason)}"]
    if case.outcomes:
        lines.append(f"          outcomes: {_outcomes((v, d, None) for v, d in case.outcomes)}")
    if decision is None:
        return [*lines, *result.problems]
    lines.append(f"actual:   {expectation(decision.verdict, decision.deciding_rules, decision.reason)}")
    if decision.residual:
        lines.append(f"          outcomes: {_outcomes((r.verdict, r.deciding_rules, r.reason) for r in decision.residual)}")
    lines += [f"differs:  {p}" for p in result.problems if not p.startswith(("verdict ", "deciding "))]
    if case.interpretation:
        lines.append("readings: " + ", ".join(f"{n}={r}" for n, r in case.interpretation.items()))
    actual = set(decision.deciding_rules).union(*(r.deciding_rules for r in decision.residual))
    expected = list(dict.fromkeys([*case.deciding, *(i for _, ids in case.outcomes for i in ids)]))
    provisions = set(judge.policy.rule_ids())
    for rule_id in expected:
        if rule_id in actual:
            continue
        if rule_id not in provisions:
            lines.append(f"why not {rule_id}: {judge.policy.id} has no provision '{rule_id}'"
                         + (" (it is a definition)" if any(d.id == rule_id for d in judge.policy.definitions)
                            else ""))
            continue
        try:
            lines.append(f"why not {rule_id}: {why_not(decision, judge, rule_id).summary}")
        except PolicyEngineError as exc:
            lines.append(f"why not {rule_id}: {exc}")
    return lines


def case_title(case: Case) -> str:
    """`file:line policy label`."""
    return f"{case.where} {case.policy} {case.label}"
