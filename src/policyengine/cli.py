"""The `policyengine` command: evaluate scenarios, check policy files, run the scenario suites."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from .claims import command as claims_command
from .corpus import Corpus
from .errors import PolicyEngineError, ScenarioError
from .exercises import command as exercise_command
from .explain import assessment_document, explain
from .registry import bundled, vocabulary
from .vocabulary import Value

EXIT_BAD_INPUT = 2


def _scenario(args: argparse.Namespace) -> dict[str, Value]:
    fields: dict[str, Value] = {}
    if args.scenario:
        from .testing.suites import named

        fields.update(named(args.scenario).fields)
    fields.update(vocabulary().parse_pairs(args.fields))
    if not fields:
        raise ScenarioError("no scenario given", where="command line",
                            hint="add field=value pairs (activity=use mine=anti_personnel ...) or --scenario NAME")
    return fields


def _corpus(args: argparse.Namespace) -> Corpus:
    """The bundled instruments with the policy files of `--with` layered over them."""
    extra = getattr(args, "with_policies", None) or []
    return bundled().with_policy(*extra) if extra else bundled()


def _interpretation(args: argparse.Namespace) -> dict[str, str]:
    out = {}
    for pair in args.interpretation or []:
        name, sep, reading = pair.partition("=")
        if not sep or not name or not reading:
            raise ScenarioError(f"'{pair}' is not NAME=READING", where="--interpretation",
                                hint="write for example --interpretation b22-2-korea=literal")
        out[name] = reading
    return out


def cmd_evaluate(args: argparse.Namespace) -> int:
    """Evaluate one scenario against one instrument, or against everything in force on a date."""
    if not args.policy and not args.on:
        raise ScenarioError("no instrument or date given", where="command line",
                            hint="add --policy ID (see `policyengine policies`) or --on DATE")
    if not args.policy:
        from .timeline import evaluate_on

        corpus = _corpus(args)
        assessment = evaluate_on(_scenario(args), args.on, _interpretation(args), corpus)
        if args.json:
            print(json.dumps(assessment.to_dict(), indent=2, ensure_ascii=False))
        else:
            print(assessment_document(assessment, corpus.evaluators).render())
        return 0
    judge = _corpus(args).resolve(args.policy)
    fields = _scenario(args)
    if args.on:
        from .timeline import parse_date

        fields["date"] = parse_date(args.on, "--on")
    decision = judge.evaluate(fields, _interpretation(args))
    if args.json:
        print(json.dumps(decision.to_dict(), indent=2, ensure_ascii=False))
    else:
        print(explain(decision, judge).render())
    return 0


def cmd_explain(args: argparse.Namespace) -> int:
    """Explain a decision: why (three levels), why not a provision, what would change it, across instruments."""
    from .api import explanation

    if args.term:
        from .glossary import term_text

        print(term_text(args.term, _corpus(args)))
        return 0
    if args.across:
        from .across import across

        print(across(_scenario(args), _interpretation(args), _corpus(args)).render(args.format))
        return 0
    if not args.policy:
        raise ScenarioError("no instrument given", where="command line",
                            hint="add --policy ID, or --across to compare every instrument")
    judge = _corpus(args).resolve(args.policy)
    fields = _scenario(args)
    if args.on:
        from .timeline import parse_date

        fields["date"] = parse_date(args.on, "--on")
    decision = judge.evaluate(fields, _interpretation(args))
    print(explanation(decision, judge, level=args.level, why_not=args.why_not).render(args.format))
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    """Every change of verdict from one instrument to another, in compact classes with witnesses."""
    from .analysis.diff import diff

    found = diff(args.a, args.b, on=args.on, corpus=_corpus(args), interpretation=_interpretation(args))
    print(json.dumps(found.to_dict(), indent=2, ensure_ascii=False) if args.json else found.document().render())
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    """Equivalent, more permissive, less permissive or incomparable, with counterexamples."""
    from .analysis.diff import compare

    found = compare(args.a, args.b, on=args.on, corpus=_corpus(args), interpretation=_interpretation(args))
    print(json.dumps(found.to_dict(), indent=2, ensure_ascii=False) if args.json else found.words())
    return 0


def cmd_policies(args: argparse.Namespace) -> int:
    """List the bundled instruments."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Instruments")
    for column in ("id", "kind", "in force from", "to", "rules", "title"):
        table.add_column(column)
    for p in bundled():
        table.add_row(p.id, p.kind, p.in_force_from.isoformat(),
                      p.in_force_to.isoformat() if p.in_force_to else "", str(len(p.rule_ids())), p.title)
    Console().print(table)
    return 0


def cmd_timeline(args: argparse.Namespace) -> int:
    """Print the instruments with their dates, successors and Presidents, as a table."""
    from rich.console import Console
    from rich.table import Table

    from .timeline import presidencies, president_on, replaced_by

    table = Table(title="US anti-personnel landmine instruments, 1992-2025")
    for column in ("instrument", "kind", "in force from", "to", "replaced by", "issued under",
                   "Presidents in office while in force"):
        table.add_column(column)
    for p in bundled():
        end = p.in_force_to
        presidents = [president_on(p.in_force_from)] + [
            t.name for t in presidencies() if p.in_force_from < t.start and (end is None or t.start < end)]
        table.add_row(p.id, p.kind.replace("_", " "), p.in_force_from.isoformat(),
                      end.isoformat() if end else "(in force)", ", ".join(replaced_by(p)),
                      p.president or ("not a party" if not p.binds_us else "Congress" if p.kind == "statute"
                                      else "treaty"),
                      ", ".join(dict.fromkeys(presidents)))
    Console(width=args.width).print(table)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Load policy files, report every error, then the consistency findings of each file that loads."""
    from .analysis.check import check
    from .loader import load_policy
    from .registry import policy_files

    paths = args.files or [str(p) for p in policy_files()]
    failed = undocumented = 0
    report = []
    for path in paths:
        try:
            policy = load_policy(path, vocabulary())
        except PolicyEngineError as exc:
            failed += 1
            print(f"error: {exc}", file=sys.stderr)
            continue
        findings = check(policy)
        report.append({"path": path, "policy": policy.id, "findings": [f.to_dict() for f in findings]})
        open_findings = [f for f in findings if not f.documented]
        undocumented += len(open_findings)
        if args.json:
            continue
        print(f"ok: {path}: {policy.id}, {len(policy.rule_ids())} rules, "
              f"{len(policy.not_rules)} not-rules, {len(policy.interpretations)} interpretations; "
              f"{len(findings)} findings, {len(open_findings)} undocumented")
        shown = [f for f in findings if args.verbose or not f.documented]
        for f in shown:
            label = f"documented ({f.documented})" if f.documented else "finding"
            print(f"  {label}: {path}{f':{f.line}' if f.line else ''}: {f.words()}")
        for kind in dict.fromkeys(f.kind for f in shown if not f.documented):
            print(f"  fix for {kind}: {open_findings[[f.kind for f in open_findings].index(kind)].hint}")
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
    if failed:
        return EXIT_BAD_INPUT
    return 1 if args.strict and undocumented else 0


def cmd_suite(args: argparse.Namespace) -> int:
    """Run the scenario suites and print each failure."""
    from .testing.suites import all_cases, run_case

    cases = [c for c in all_cases() if not args.policy or c.policy == args.policy]
    failed = 0
    for case in cases:
        result = run_case(case)
        if not result.passed:
            failed += 1
            print(f"FAIL {case.where} {case.policy} {case.label}: {'; '.join(result.problems)}")
    print(f"suite: {len(cases) - failed} passed, {failed} failed")
    return 1 if failed else 0


def _add_scenario_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("fields", nargs="*", metavar="field=value", help="scenario fields, e.g. activity=use")
    parser.add_argument("--policy", "-p", help="instrument id, e.g. biden-2022, or a policy file")
    parser.add_argument("--scenario", "-s", help="a named scenario from scenarios/named.yaml")
    parser.add_argument("--interpretation", "-i", action="append", metavar="NAME=READING",
                        help="choose a reading of an ambiguous provision (repeatable)")
    parser.add_argument("--on", metavar="DATE", help="evaluate under everything in force on this ISO date")
    parser.add_argument("--json", action="store_true", help="print the decision as one JSON object")
    _add_with_argument(parser)


def _add_with_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--with", dest="with_policies", action="append", metavar="FILE",
                        help="add a policy file of your own to the instruments (replacing one of its id)")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the `policyengine` command."""
    parser = argparse.ArgumentParser(
        prog="policyengine",
        description="US anti-personnel landmine policy as rules: verdicts with the provisions that decide them.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("evaluate", help="evaluate a scenario against an instrument")
    _add_scenario_arguments(p)
    p.set_defaults(run=cmd_evaluate)
    p = sub.add_parser("explain", help="explain a decision: why, why not, what would change it, across instruments")
    _add_scenario_arguments(p)
    p.add_argument("--level", choices=("short", "standard", "full"), default="standard",
                   help="short: one sentence; standard: provisions, exceptions, flags; full: every rule")
    p.add_argument("--format", choices=("text", "markdown", "json"), default="text")
    p.add_argument("--why-not", metavar="RULE_ID", help="why this provision did not decide")
    p.add_argument("--across", action="store_true", help="the scenario under every instrument, and when it changed")
    p.add_argument("--term", metavar="TERM", help="a glossary entry: what TERM means and the provisions using it")
    p.set_defaults(run=cmd_explain)
    for name, run, text in (("diff", cmd_diff, "every change of verdict from instrument A to instrument B"),
                            ("compare", cmd_compare, "is A equivalent to B, more or less permissive, or incomparable")):
        p = sub.add_parser(name, help=text, description=text)
        p.add_argument("a", metavar="A", help="instrument id or policy file")
        p.add_argument("b", metavar="B", help="instrument id or policy file")
        p.add_argument("--on", metavar="DATE", help="compare on this ISO date only")
        p.add_argument("--interpretation", "-i", action="append", metavar="NAME=READING",
                       help="choose a reading of an ambiguous provision (repeatable)")
        p.add_argument("--json", action="store_true", help="print the result as one JSON object")
        _add_with_argument(p)
        p.set_defaults(run=run)
    claims_command.register(sub)
    exercise_command.register(sub)
    p = sub.add_parser("policies", help="list the instruments")
    p.set_defaults(run=cmd_policies)
    p = sub.add_parser("timeline", help="the instruments, their dates and the Presidents in office")
    p.add_argument("--width", type=int, default=None, help="table width (default: the terminal's)")
    p.set_defaults(run=cmd_timeline)
    p = sub.add_parser("check", help="check policy files (all bundled ones by default): errors, then gaps, "
                                     "conflicts, dead provisions and exceptions that do nothing")
    p.add_argument("files", nargs="*")
    p.add_argument("--strict", action="store_true", help="exit 1 when a finding is not documented in its file")
    p.add_argument("--verbose", "-v", action="store_true", help="also list the findings files document")
    p.add_argument("--json", action="store_true", help="print the findings of every file as JSON")
    p.set_defaults(run=cmd_check)
    p = sub.add_parser("suite", help="run the scenario suites")
    p.add_argument("--policy", "-p")
    p.set_defaults(run=cmd_suite)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: parse, run, and turn library errors into one message and exit status 2."""
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except PolicyEngineError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # output piped into head and the like
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
