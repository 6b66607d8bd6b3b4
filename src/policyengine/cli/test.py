"""`policyengine test [PATH ...]`: run scenario suites and claim files from any path, with provision coverage."""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from ..analysis.claims.suite import is_claims_file, load_claims_file, outcome_title, run_claim
from ..core.errors import ScenarioError
from ..core.vocabulary import show_value
from ..show.progress import track
from ..show.terminal import say
from ..testing.coverage import Coverage, show_percent
from ..testing.runner import (
    TestRun,
    candidate_paths,
    case_title,
    failure_lines,
    run_tests,
)
from .arguments import add_with_argument, corpus_of

if TYPE_CHECKING:
    from ..analysis.claims.suite import ClaimOutcome
    from ..core.corpus import Corpus

EXAMPLES = """\
examples:
  policyengine test                                    every bundled suite, with provision coverage
  policyengine test scenarios/ --threshold 90          fail under 90% of provisions deciding a case
  policyengine test ./my_suites/ --with ./my_policy.yaml -k korea
                                                       your suites, your policy, cases matching 'korea'
  policyengine test scenarios/claims/                  claims about the instruments, checked
  policyengine test --json > coverage.json             OPA-shaped coverage report"""
EXIT_FAILED = 1
PERCENT = re.compile(r"[0-9]+(\.[0-9]*)?|\.[0-9]+")  # a decimal number, as Fraction reads it


def parse_threshold(text: str) -> Fraction:
    """A percentage between 0 and 100, exactly as written (`89.99` stays below 90)."""
    number = text.strip().removesuffix("%")
    if not PERCENT.fullmatch(number):  # checked here, so that Fraction's own errors stay bugs
        raise ScenarioError(f"'{text}' is not a percentage", where="--threshold",
                            hint="write a number from 0 to 100, e.g. --threshold 90")
    value = Fraction(number)
    if not 0 <= value <= 100:
        raise ScenarioError(f"{text} is not between 0 and 100", where="--threshold",
                            hint="write a number from 0 to 100, e.g. --threshold 90")
    return value


def run(args: argparse.Namespace) -> int:
    """Run the suites and claim files under the paths; exit 1 if a case or claim fails or coverage is
    under the threshold."""

    threshold = parse_threshold(args.threshold) if args.threshold is not None else None
    corpus = corpus_of(args)
    run = run_tests(args.paths, corpus, args.select or ())
    claims = claim_outcomes(args.paths, corpus, args.select or ())
    if not run.runs and not claims:
        raise ScenarioError("no case or claim to run", where=" ".join(args.paths) or "the bundled scenarios",
                            hint="give suite files (YAML with 'policy' and 'cases'), claim files (with "
                            "'claims') or folders holding them" + (", or loosen -k" if args.select else ""))
    met = threshold is None or run.coverage.meets(threshold)
    failed = bool(run.failures) or any(not o.passed for o in claims)
    if args.json:
        print(json.dumps(report(run, threshold, met, claims), indent=2, ensure_ascii=False))
    else:
        say(text(run, threshold, met, args.verbose, claims=claims))
    return 0 if met and not failed else EXIT_FAILED


def claim_outcomes(paths: Sequence[str], corpus: Corpus, select: Sequence[str] = ()) -> list[ClaimOutcome]:
    """Every claim of the claim files under `paths` (default: the bundled scenarios) whose label, text
    or file:line contains a word of `select` (all when empty), checked against the corpus."""

    words = [w.lower() for w in select]
    cases = [case for path in candidate_paths(paths) if is_claims_file(path) for case in load_claims_file(path)
             if not words or any(w in f"{case.label} {case.text} {case.where}".lower() for w in words)]
    return [run_claim(case, corpus) for case in track(cases, f"checking {len(cases)} claims")]


def text(run: TestRun, threshold: Fraction | None, met: bool, verbose: bool = False, coverage: bool = True,
         claims: Sequence[ClaimOutcome] = ()) -> str:
    """Failing cases and claims (every one when verbose), summaries, and coverage with the provisions
    never deciding."""

    lines = []
    for result, judge in run.runs:
        if result.passed:
            if verbose:
                lines.append(f"PASS {case_title(result.case)}")
            continue
        lines.append(f"FAIL {case_title(result.case)}")
        lines += [f"  {line}" for line in failure_lines(result, judge)]
    for outcome in claims:
        if outcome.passed:
            if verbose:
                lines.append(f"PASS {outcome_title(outcome)}")
            continue
        lines.append(f"FAIL {outcome_title(outcome)}")
        lines += [f"  {problem}" for problem in outcome.problems]
    if run.runs or not claims:
        lines.append(f"{plural(len(run.runs), 'case')}: {run.passed} passed, {len(run.failures)} failed")
    if claims:
        passed = sum(o.passed for o in claims)
        lines.append(f"{plural(len(claims), 'claim')}: {passed} passed, {len(claims) - passed} failed")
    if coverage and (run.runs or threshold is not None):
        lines += coverage_lines(run.coverage, threshold, met, verbose)
    return "\n".join(lines)


def plural(count: int, noun: str) -> str:
    """`1 claim`, `2 claims`."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def coverage_lines(coverage: Coverage, threshold: Fraction | None, met: bool, verbose: bool) -> list[str]:
    """The total, per instrument when verbose, and each provision that never decided."""
    verdict = "" if threshold is None else f"; threshold {_number(threshold)}%: {'met' if met else 'NOT met'}"
    lines = [(f"coverage: {show_percent(coverage.percent)}% ({coverage.decided} of {coverage.provisions} "
              f"provisions decided a case){verdict}")]
    for inst in coverage.instruments:
        if verbose:
            both = sum(p.seen_true and p.seen_false for p in inst.provisions)
            lines.append(f"  {inst.policy}: {show_percent(inst.percent)}% decided ({inst.decided}/"
                         f"{len(inst.provisions)}), {inst.reached} reached, {both} with the condition "
                         "seen true and false")
        for row in inst.provisions:
            if row.decided:
                continue
            place = f"{inst.policy} {row.rule} (line {row.line})"
            if row.generated is None:
                lines.append(f"  never decided: {place}; no scenario makes it decide under any reading")
            else:
                lines.append(f"  never decided: {place}; it decides ({row.generated.verdict}) for: "
                             f"{row.generated.words()}")
    return lines


def _number(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else str(float(value))


def report(run: TestRun, threshold: Fraction | None, met: bool,
           claims: Sequence[ClaimOutcome] = ()) -> dict[str, Any]:
    """The coverage report (shaped like OPA's), the cases and claims with their failures, and the threshold."""
    failures = []
    for result, judge in run.failures:
        decision = result.decision
        failures.append({
            "where": result.case.where, "policy": result.case.policy, "label": result.case.label,
            "expected": {"verdict": result.case.verdict, "deciding": list(result.case.deciding)},
            "actual": None if decision is None else {"verdict": str(decision.verdict),
                                                     "deciding": list(decision.deciding_rules)},
            "problems": list(result.problems), "text": failure_lines(result, judge),
            "scenario": {k: show_value(v) for k, v in result.case.fields.items()},
        })
    return {
        **run.coverage.to_dict(),
        "threshold": None if threshold is None else float(threshold),
        "passed": met and not failures and all(o.passed for o in claims),
        "cases": {"total": len(run.runs), "passed": run.passed, "failed": len(failures), "failures": failures},
        "claims": {"total": len(claims), "passed": sum(o.passed for o in claims),
                   "failed": sum(not o.passed for o in claims),
                   "failures": [{"where": o.case.where, "label": o.case.label, "claim": o.case.text,
                                 "expected": str(o.case.expect),
                                 "answer": None if o.result is None else str(o.result.answer),
                                 "problems": list(o.problems)} for o in claims if not o.passed]},
    }


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The paths, --threshold, --json, -k, -v and --with."""
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help="suite or claim files, or folders searched for them (default: the bundled scenarios)")
    parser.add_argument("--threshold", metavar="PCT",
                        help="fail unless at least PCT%% of the provisions decided some case (compared exactly)")
    parser.add_argument("--json", action="store_true", help="print the coverage report and results as JSON")
    parser.add_argument("-k", dest="select", action="append", metavar="WORD",
                        help="run only cases whose instrument, label or file:line contains WORD (repeatable)")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every case and coverage per instrument")
    add_with_argument(parser)
