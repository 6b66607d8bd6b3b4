"""Claim files: claims with the answer expected and the provisions or facts that settle them.

A claim file is YAML with a top-level `claims:` list (a scenario suite has `cases:` instead, which is
how a runner tells them apart). Each entry::

    - claim: "under obama-2014, all scenarios where activity is use and location is elsewhere are prohibited"
      expect: false                 # true | false | depends_on_reading
      provisions: [O14-1.apl]       # optional: each must be among the answer's provisions
      source: "news 002: Obama 'banned all landmine use outside of the Korean Peninsula'"
      settled_by: "O14-2 bars anti-personnel mines only; a command-detonated Claymore is outside the policy"
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import attrs

from ...core.corpus import Corpus
from ...core.errors import PolicyEngineError, SuiteError
from ...core.yamlio import load_yaml, where
from .check import claim
from .result import Answer, ClaimResult

KEYS = ("claim", "expect", "provisions", "source", "settled_by", "label")


@attrs.frozen
class ClaimCase:
    """One claim of a claim file with its expected answer."""

    text: str
    expect: Answer
    provisions: tuple[str, ...]
    where: str
    source: str = ""
    settled_by: str = ""
    label: str = ""


@attrs.frozen
class ClaimOutcome:
    """How one claim of a file fared: the checker's result and what disagreed with the file."""

    case: ClaimCase
    result: ClaimResult | None
    problems: tuple[str, ...]

    @property
    def passed(self) -> bool:
        """True when the answer and the provisions are as the file expects."""
        return not self.problems


def is_claims_file(path: str | Path) -> bool:
    """True when a YAML file has a top-level `claims:` key (how a runner tells it from a suite, which has
    `cases:`). A file that does not parse is one if its text has a top-level `claims:` line (then its
    error is raised, naming file:line); otherwise it is not."""
    try:
        doc = load_yaml(str(path))
    except PolicyEngineError:
        if re.search(r"^claims\s*:", Path(path).read_text(encoding="utf-8", errors="replace"), re.MULTILINE):
            raise
        return False
    return isinstance(doc, Mapping) and "claims" in doc


def load_claims_file(path: str | Path) -> list[ClaimCase]:
    """The claims of a file; SuiteError naming file:line and the fix on a malformed entry."""
    name = str(path)
    doc = load_yaml(name)
    entries = doc.get("claims") if isinstance(doc, Mapping) else None
    if not isinstance(entries, list) or not entries:
        raise SuiteError("no 'claims' list", where=name, hint="start the file with claims: and a list of entries")
    cases = []
    for index, entry in enumerate(entries):
        loc = where(name, entries, index=index)
        if not isinstance(entry, Mapping):
            raise SuiteError("a claim entry is a mapping", where=loc, hint="write - claim: \"...\" and expect: true")
        unknown = [k for k in entry if k not in KEYS]
        if unknown:
            raise SuiteError(f"unknown key '{unknown[0]}'", where=where(name, entry, unknown[0]),
                             hint=f"use {', '.join(KEYS)}")
        if "claim" not in entry or "expect" not in entry:
            raise SuiteError("a claim entry needs 'claim' and 'expect'", where=loc,
                             hint="add claim: \"...\" and expect: true | false | depends_on_reading")
        raw = entry["expect"]
        expect = {True: "true", False: "false"}.get(raw, str(raw).lower().replace(" ", "_"))
        if expect not in {a.value for a in Answer}:
            raise SuiteError(f"unknown answer '{raw}'", where=where(name, entry, "expect"),
                             hint="write true, false or depends_on_reading")
        provisions = entry.get("provisions", [])
        cases.append(ClaimCase(str(entry["claim"]), Answer(expect),
                               tuple(str(p) for p in (provisions if isinstance(provisions, list) else [provisions])),
                               loc, str(entry.get("source", "")), str(entry.get("settled_by", "")),
                               str(entry.get("label", ""))))
    return cases


def run_claim(case: ClaimCase, corpus: Corpus) -> ClaimOutcome:
    """Check one claim against its expected answer and provisions."""
    try:
        result = claim(case.text, corpus)
    except PolicyEngineError as exc:
        return ClaimOutcome(case, None, (f"the claim could not be checked: {exc}",))
    problems = []
    if result.answer != case.expect:
        problems.append(f"expected {case.expect}, got {result.answer}")
    cited = set(result.provisions) | {r for reading in result.readings if reading.example
                                      for r in reading.example.provisions}
    missing = [p for p in case.provisions if p not in cited]
    if missing:
        problems.append(f"provisions {', '.join(missing)} not among {', '.join(sorted(cited)) or 'none'}")
    return ClaimOutcome(case, result, tuple(problems))


def run_claims_file(path: str | Path, corpus: Corpus) -> list[ClaimOutcome]:
    """Check every claim of a claim file; each outcome says whether it passed and, if not, why."""
    return [run_claim(case, corpus) for case in load_claims_file(path)]


def run_claim_files(files: Iterable[str | Path], corpus: Corpus) -> list[ClaimOutcome]:
    """Every claim of the claim files among `files` (YAML files without `claims:` are skipped), for a
    runner that walks folders of suites and claim files alike."""
    return [o for path in files if is_claims_file(path) for o in run_claims_file(path, corpus)]


def outcome_title(outcome: ClaimOutcome) -> str:
    """`scenarios/claims/news.yaml:12 biden-monday: "biden-2022 was in force on 2022-06-20"`."""
    label = f" {outcome.case.label}" if outcome.case.label else ""
    return f"{outcome.case.where}{label}: \"{outcome.case.text}\""
