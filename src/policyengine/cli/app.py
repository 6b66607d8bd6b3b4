"""The `policyengine` command: evaluate scenarios, list what to type, check files, run suites, report, serve."""

from __future__ import annotations

import argparse
import json
import sys
import traceback
import warnings as pywarnings
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

from ..analysis.across import across
from ..analysis.baseline import changes
from ..analysis.check import check, stale
from ..analysis.diff import compare, diff
from ..core.engines import version_line
from ..core.errors import PolicyEngineError, PolicyEngineWarning, PolicyFileErrors, ScenarioError
from ..core.loader import load_policy
from ..core.timeline import evaluate_on, other_readings
from ..core.vocabulary import show_value
from ..explanation.assemble import explanation
from ..explanation.glossary import term_text
from ..explanation.why import assessment_document, explain
from ..registry import named_examples, policy_files, vocabulary
from ..show.display import POLICY_COLUMNS, policies_rows
from ..show.results import TIMELINE_COLUMNS, PolicyList, Timeline
from ..show.terminal import HelpFormatter, print_table, width
from ..testing.suites import named, named_scenarios
from ..version import __version__
from ..web.report import write_report
from . import claim as claims_command
from . import exercise as exercise_command
from . import test as testing_command
from .arguments import (
    EXIT_BAD_INPUT,
    EXIT_BUG,
    Parser,
    corpus_of,
    date_of,
    format_of,
    interpretation_of,
    judge_of,
    load_judge,
    say,
    scenario_of,
    warnings_of,
)
from .completion import script

EXAMPLES = {
    "evaluate": """\
examples:
  policyengine evaluate --policy biden-2022 activity=transfer mine=anti_personnel purpose=destruction
  policyengine evaluate --policy trump-2020 --scenario use-self-deactivating-mine-outside-korea --level short
  policyengine evaluate --on 2021-03-01 activity=use mine=anti_personnel location=korean_dmz
  policyengine evaluate --policy ./my_policy.yaml activity=use mine=anti_personnel --json
  policyengine evaluate --on 2023-01-01 --with ./my_draft.yaml activity=use mine=anti_personnel
what to type: `policyengine fields` (fields and values), `policyengine scenarios` (named scenarios),
`policyengine policies` (instrument ids); --policy also takes a policy file of your own.""",
    "explain": """\
examples:
  policyengine explain --policy biden-2022 --scenario transfer-apl-for-destruction
  policyengine explain --policy biden-2022 --scenario transfer-apl-for-destruction --level full --format markdown
  policyengine explain --policy trump-2020 --why-not T20-2 activity=use mine=anti_personnel
  policyengine explain --across --scenario transfer-apl-for-destruction
  policyengine explain --on 2021-03-01 activity=use mine=anti_personnel""",
    "diff": """\
examples:
  policyengine diff trump-2020 biden-2022                 every class of scenarios whose verdict changed
  policyengine diff trump-2020 biden-2022 --summary       a line per pair of verdicts, with the provisions
  policyengine diff biden-2022 ./my_draft.yaml --json     your draft against the policy it would replace
  policyengine diff obama-2014 trump-2020 --on 2020-06-01""",
    "compare": """\
examples:
  policyengine compare trump-2020 biden-2022      more or less permissive, with counterexamples
  policyengine compare biden-2022 ./my_draft.yaml""",
    "policies": "examples:\n  policyengine policies\n  policyengine policies --json",
    "timeline": "examples:\n  policyengine timeline\n  COLUMNS=80 policyengine timeline",
    "fields": """\
examples:
  policyengine fields            every scenario field, its type and its values
  policyengine fields mine       the values of one field, each with what it means""",
    "scenarios": """\
examples:
  policyengine scenarios                                  every named scenario and its question
  policyengine scenarios transfer-apl-for-destruction     one scenario's question and fields""",
    "check": """\
examples:
  policyengine check                      every bundled policy file
  policyengine check ./my_policy.yaml     a policy file of your own (format: docs/policy-format.md)
  policyengine check --strict             exit 1 on a finding no file documents, or an entry of
                                          findings: that documents nothing
  policyengine check --json -v            every finding, documented or not, as JSON
  policyengine check --baseline main      every change of answer since main (a revision or a folder)""",
    "test": """\
examples:
  policyengine test                                    every bundled suite, with provision coverage
  policyengine test scenarios/ --threshold 90          fail under 90% of provisions deciding a case
  policyengine test ./my_suites/ --with ./my_policy.yaml -k korea
                                                       your suites, your policy, cases matching 'korea'
  policyengine test scenarios/claims/                  claims about the instruments, checked
  policyengine test --json > coverage.json             OPA-shaped coverage report""",
    "suite": """\
examples:
  policyengine suite                                   every bundled suite
  policyengine suite --policy biden-2022               the suite of one instrument
  policyengine suite ./my_suite.yaml                   a suite file of your own
  policyengine suite --suite ./my_suite.yaml --policy ./my_policy.yaml
                                                       your suite against your own policy file""",
    "claim": """\
examples:
  policyengine claim "under obama-2014, no scenarios where activity is use and location is elsewhere are permitted"
  policyengine claim "under trump-2020, every scenario where activity is use and mine is anti_personnel is permitted"
  policyengine claim "trump-2020 was in force on 2021-03-01" --json""",
    "exercise": """\
examples:
  policyengine exercise list                              the exercises and their briefs
  policyengine exercise check 01 my.yaml                  public cases of your file (more feedback each try)
  policyengine exercise check 01 my.yaml --tier 3         every tier of feedback at once
  policyengine exercise grade 01 submissions/ --key course/ --csv      a class gradebook (teachers)
  policyengine exercise grade 01 sub/ --key course/ --gradescope out.json  Gradescope's results.json
  policyengine exercise new 07 --kind policy --key course/ --exercises exercises/  a new exercise""",
    "report": """\
examples:
  policyengine report --out report.html
  policyengine report --out report.html --on 2023-01-01   (the US position column for another date)""",
    "serve": """\
examples:
  policyengine serve                    http://127.0.0.1:8000/
  policyengine serve --port 8765
  policyengine serve --with ./my_draft.yaml      your draft beside the ten instruments
needs the 'serve' extra: pip install 'apl-policyengine[serve]'""",
    "completion": """\
examples:
  eval "$(policyengine completion bash)"        in ~/.bashrc
  eval "$(policyengine completion zsh)"         in ~/.zshrc""",
}


# -- commands ---------------------------------------------------------------------------------------


def cmd_evaluate(args: argparse.Namespace) -> int:
    """Evaluate one scenario against one instrument, or against everything in force on a date."""
    judge = judge_of(args)
    if judge is None and not args.on:
        raise ScenarioError("no instrument or date given", where="command line",
                            hint="add --policy ID or FILE (see `policyengine policies`) or --on DATE")
    fmt = format_of(args)
    if fmt == "json" and args.level:
        raise ScenarioError(f"--json and --level {args.level} conflict", where="command line",
                            hint="--json prints the whole decision; drop --level")
    level = args.level or "standard"
    if judge is None:
        return _print_assessment(args, level, fmt)
    fields = scenario_of(args)
    if args.on:
        fields["date"] = date_of(args)
    decision = judge.evaluate(fields, interpretation_of(args))
    if fmt == "json":
        print(json.dumps(decision.to_dict(), indent=2, ensure_ascii=False))
        return 0

    warnings = warnings_of(decision.flags)
    if level == "short":
        doc = explain(decision, judge, "short")
        lines = ["; ".join(warnings)] if warnings else []
        lines += [doc.title, doc.summary]
        say("\n".join(lines))
        return 0
    for line in warnings:
        say(line)
    print(explain(decision, judge, level).render(fmt, width()))
    return 0


def _print_assessment(args: argparse.Namespace, level: str, fmt: str) -> int:
    corpus = corpus_of(args)
    assessment = evaluate_on(scenario_of(args), date_of(args), interpretation_of(args), corpus=corpus)
    if fmt == "json":
        print(json.dumps(assessment.to_dict(), indent=2, ensure_ascii=False))
        return 0
    others = other_readings(assessment, interpretation_of(args), corpus=corpus)
    doc = assessment_document(assessment, corpus.evaluators, level, others)
    if level == "short":
        say(f"{doc.title}\n{doc.summary}")
        return 0
    print(doc.render(fmt, width()))
    return 0


def cmd_explain(args: argparse.Namespace) -> int:
    """Explain a decision: why (three levels), why not a provision, what would change it, across instruments."""
    if args.term:

        say(term_text(args.term, corpus_of(args)))
        return 0
    fmt = format_of(args)
    judge = judge_of(args)
    if args.across:
        conflicting = [flag for flag, given in (("--policy", judge), ("--on", args.on), ("--why-not", args.why_not))
                       if given]
        if conflicting:
            raise ScenarioError(f"--across and {' and '.join(conflicting)} conflict", where="command line",
                                hint="--across compares every instrument over time; drop "
                                     + " and ".join(conflicting))

        print(across(scenario_of(args), interpretation_of(args), corpus=corpus_of(args)).render(fmt, width()))
        return 0
    if judge is None and args.on:
        if args.why_not:
            raise ScenarioError("--why-not needs --policy", where="command line",
                                hint="add --policy ID: a provision belongs to one instrument")
        return _print_assessment(args, args.level, fmt)
    if judge is None:
        raise ScenarioError("no instrument or date given", where="command line",
                            hint="add --policy ID or FILE, --on DATE for everything in force then, "
                                 "or --across to compare every instrument")
    fields = scenario_of(args)
    if args.on:
        fields["date"] = date_of(args)
    decision = judge.evaluate(fields, interpretation_of(args))
    if fmt != "json":
        for line in warnings_of(decision.flags):
            say(line)
    print(explanation(decision, judge, level=args.level, why_not=args.why_not).render(fmt, width()))
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    """Every change of verdict from one instrument to another, in compact classes with witnesses."""
    corpus = corpus_of(args)
    a, b = load_judge(args.a, corpus, "A"), load_judge(args.b, corpus, "B")
    found = diff(a, b, on=args.on, corpus=corpus, interpretation=interpretation_of(args), examples=named_examples())
    print(json.dumps(found.to_dict(), indent=2, ensure_ascii=False) if args.json else found.document(
        summary_only=args.summary).render("text", width()))
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    """Equivalent, more permissive, less permissive or incomparable, with counterexamples."""
    corpus = corpus_of(args)
    a, b = load_judge(args.a, corpus, "A"), load_judge(args.b, corpus, "B")
    found = compare(a, b, on=args.on, corpus=corpus, interpretation=interpretation_of(args),
                    examples=named_examples())
    if args.json:
        print(json.dumps(found.to_dict(), indent=2, ensure_ascii=False))
    else:
        say(found.words())
    return 0


def cmd_policies(args: argparse.Namespace) -> int:
    """List the bundled instruments."""
    found = PolicyList(corpus_of(args))
    if args.json:
        print(json.dumps(found.to_dict(), indent=2, ensure_ascii=False))
        return 0
    print_table("Instruments (`policyengine timeline` shows who was in force when)", POLICY_COLUMNS,
                policies_rows(found))
    return 0


def cmd_timeline(args: argparse.Namespace) -> int:
    """Print the instruments with their dates, successors and Presidents, as a table."""
    found = Timeline(corpus_of(args))
    if args.json:
        print(json.dumps(found.to_dict(), indent=2, ensure_ascii=False))
        return 0
    print_table("US anti-personnel landmine instruments, 1992-2025", TIMELINE_COLUMNS, found.rows(), size=args.width)
    return 0


def cmd_fields(args: argparse.Namespace) -> int:
    """List the scenario fields, or one field's values with what each means."""
    vocab = corpus_of(args).vocabulary
    if args.field:
        field = vocab.field(args.field, "fields")
        if args.json:
            print(json.dumps({"name": field.name, "type": field.type, "description": field.description,
                               "values": dict(field.value_descriptions)}, indent=2, ensure_ascii=False))
            return 0
        say(f"{field.name} ({field.type}): {field.description}")
        if field.type == "enum":
            print_table(None, ("value", "meaning"), [(v, field.value_descriptions.get(v) or "") for v in field.values])
        else:
            say({"bool": "write true or false", "integer": f"a whole number (at least {field.minimum or 0})",
                    "date": "an ISO date, e.g. 2021-03-01"}[field.type])
        say(f"use it as {field.name}={show_value(field.domain()[0]) if field.domain() else _example(field.type)}")
        return 0
    rows = [(f.name, ", ".join(f.values) if f.type == "enum" else _example(f.type), f.description)
            for f in vocab.fields.values()]
    if args.json:
        print(json.dumps([{"name": f.name, "type": f.type, "values": list(f.values), "description": f.description}
                           for f in vocab.fields.values()], indent=2, ensure_ascii=False))
        return 0
    print_table("Scenario fields (`policyengine fields NAME` explains each value)",
                ("field", "values", "meaning"), rows)
    return 0


def _example(kind: str) -> str:
    return {"bool": "true or false", "integer": "a whole number, e.g. 30", "date": "an ISO date, e.g. 2021-03-01"}.get(
        kind, "")


def cmd_scenarios(args: argparse.Namespace) -> int:
    """List the named scenarios with their questions, or show one with its fields."""
    if args.name:
        found = named(args.name, corpus_of(args).vocabulary)
        if args.json:
            print(json.dumps({"name": found.name, "question": found.question,
                               "fields": {k: show_value(v) for k, v in found.fields.items()}}, indent=2))
            return 0
        say(f"{found.name}: {found.question}")
        say("  " + " ".join(f"{k}={show_value(v)}" for k, v in found.fields.items()))
        say(f"try: policyengine explain --across --scenario {found.name}")
        return 0
    table = named_scenarios(corpus_of(args).vocabulary)
    if args.json:
        print(json.dumps({n: {"question": s.question, "fields": {k: show_value(v) for k, v in s.fields.items()}}
                           for n, s in table.items()}, indent=2, ensure_ascii=False))
        return 0
    say(f"{len(table)} named scenarios; use one with --scenario NAME, see its fields with "
        "`policyengine scenarios NAME`:")
    for found in table.values():
        print(found.name)
        say("    " + (found.question or "(no question given)"))
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Load policy files, report every error, then the consistency findings of each file that loads."""
    paths = args.files or [str(p) for p in policy_files()]
    failed = undocumented = changed = 0
    report = []
    for path in paths:
        try:
            if not Path(path).is_file():
                raise ScenarioError(f"no policy file '{path}' (tried {Path(path).resolve()})", where="check",
                                    hint="give the path of a policy YAML file (none: every bundled one)")
            policy = load_policy(path, corpus_of(args).vocabulary)
        except PolicyFileErrors as exc:
            failed += 1
            for error in exc.errors:
                print(f"error: {error}", file=sys.stderr)
            continue
        except PolicyEngineError as exc:
            failed += 1
            print(f"error: {exc}", file=sys.stderr)
            continue
        if args.baseline:
            for change in changes(policy, path, args.baseline, vocabulary()):
                say(f"changed: {path}: {change.words()}")
                changed += 1
        findings = check(policy)
        unused = stale(policy, findings, vocabulary())
        report.append({"path": path, "policy": policy.id, "findings": [f.to_dict() for f in findings],
                       "stale": [{"kind": e.kind, "rules": list(e.rules), "line": e.line} for e in unused]})
        open_findings = [f for f in findings if not f.documented]
        undocumented += len(open_findings) + len(unused)
        for entry in unused:
            print(f"{'error' if args.strict else 'warning'}: {path}:{entry.line}: the `findings:` entry "
                  f"({entry.kind}{' ' + ', '.join(entry.rules) if entry.rules else ''}) documents no finding of "
                  "the check; remove it, or fix its kind, rules or when", file=sys.stderr)
        if args.json:
            continue
        say(f"ok: {path}: {policy.id}, {len(policy.rule_ids())} rules, "
               f"{len(policy.not_rules)} not-rules, {len(policy.interpretations)} interpretations; "
               f"{len(findings)} findings, {len(open_findings)} undocumented")
        listed = [f for f in findings if args.verbose or not f.documented]
        for f in listed:
            say(f"  {'documented' if f.documented else 'finding'}: {path}{f':{f.line}' if f.line else ''}: {f.words()}")
            if f.documented:
                say(f"    why: {f.documented}")
        for kind in dict.fromkeys(f.kind for f in listed if not f.documented):
            say(f"  fix for {kind}: {open_findings[[f.kind for f in open_findings].index(kind)].hint}")
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
    if args.baseline and not args.json:
        say(f"{changed} change{'s' if changed != 1 else ''} of answer or layering against {args.baseline}")
    if failed:
        return EXIT_BAD_INPUT
    return 1 if args.strict and undocumented else 0


def cmd_report(args: argparse.Namespace) -> int:
    """Write the self-contained HTML report."""
    path = write_report(args.out, corpus_of(args), on=args.on)
    say(f"wrote {path} ({path.stat().st_size // 1024} KiB); open it in a browser")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Run the local explorer until interrupted."""
    from ..web import asgi  # the optional 'serve' extra: importing it says how to install it when missing

    asgi.run(corpus_of(args), args.host, args.port)
    return 0


def cmd_completion(args: argparse.Namespace) -> int:
    """Print the shell completion script."""
    print(script(build_parser(), args.shell))
    return 0


# -- the parser -------------------------------------------------------------------------------------


def _add_scenario_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("fields", nargs="*", metavar="field=value",
                        help="scenario fields, e.g. activity=use mine=anti_personnel (`policyengine fields` "
                             "lists them, `policyengine fields NAME` the values)")
    parser.add_argument("--policy", "-p", action="append", metavar="ID|FILE",
                        help="instrument id (`policyengine policies`), e.g. biden-2022, or a policy file of your own")
    parser.add_argument("--scenario", "-s", metavar="NAME",
                        help="a named scenario (`policyengine scenarios`); field=value words override its fields")
    parser.add_argument("--interpretation", "-i", action="append", metavar="NAME=READING",
                        help="choose a reading of an ambiguous provision (repeatable)")
    parser.add_argument("--on", metavar="DATE", help="evaluate under everything in force on this ISO date")
    parser.add_argument("--json", action="store_true", help="print the result as one JSON object")
    _add_with_argument(parser)


def _add_with_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--with", dest="with_policies", action="append", metavar="FILE",
                        help="add a policy file of your own to the instruments (replacing one of its id)")


def _sub(sub: Any, name: str, help: str) -> argparse.ArgumentParser:
    return sub.add_parser(name, help=help, description=help[:1].upper() + help[1:] + ".",
                          epilog=EXAMPLES.get(name), formatter_class=HelpFormatter)


class _Version(argparse.Action):
    """`--version`: the version and the engine in use, on one line (argparse's own action would wrap it)."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any,
                 option_string: str | None = None) -> None:
        print(version_line(__version__))
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the `policyengine` command."""
    parser = Parser(
        prog="policyengine",
        description="US anti-personnel landmine policy as rules: verdicts with the provisions that decide them.",
        epilog="""\
start here:
  policyengine fields                       what you can say about a scenario
  policyengine scenarios                    the named questions
  policyengine explain --policy biden-2022 --scenario transfer-apl-for-destruction
  policyengine report --out report.html     everything on one page
`policyengine COMMAND --help` shows each command's options and examples.""",
        formatter_class=HelpFormatter,
    )
    parser.add_argument("--version", action=_Version, nargs=0,
                        help="print the version and the engine in use (durable or python) with why")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=Parser)
    p = _sub(sub, "evaluate", "evaluate a scenario against an instrument, or everything in force on a date")
    _add_scenario_arguments(p)
    p.add_argument("--level", choices=("short", "standard", "full"), default=None,
                   help="short: at most three lines; standard (default): provisions, exceptions, flags; "
                        "full: every rule")
    p.set_defaults(run=cmd_evaluate)
    p = _sub(sub, "explain", "explain a decision: why, why not, what would change it, across instruments")
    _add_scenario_arguments(p)
    p.add_argument("--level", choices=("short", "standard", "full"), default="standard",
                   help="short: one sentence; standard: provisions, exceptions, flags; full: every rule")
    p.add_argument("--format", choices=("text", "markdown", "json"), default=None, help="default: text")
    p.add_argument("--why-not", metavar="RULE_ID", help="why this provision did not decide")
    p.add_argument("--across", action="store_true", help="the scenario under every instrument, and when it changed")
    p.add_argument("--term", metavar="TERM", help="a glossary entry: what TERM means and the provisions using it")
    p.set_defaults(run=cmd_explain)
    for name, run, text in (("diff", cmd_diff, "every change of verdict from instrument A to instrument B"),
                            ("compare", cmd_compare, "is A equivalent to B, more or less permissive, or incomparable")):
        p = _sub(sub, name, text)
        p.add_argument("a", metavar="A", help="instrument id (`policyengine policies`) or policy file")
        p.add_argument("b", metavar="B", help="instrument id (`policyengine policies`) or policy file")
        p.add_argument("--on", metavar="DATE", help="compare on this ISO date only")
        p.add_argument("--interpretation", "-i", action="append", metavar="NAME=READING",
                       help="choose a reading of an ambiguous provision (repeatable)")
        p.add_argument("--json", action="store_true", help="print the result as one JSON object")
        if name == "diff":
            p.add_argument("--summary", action="store_true",
                           help="only the summary: a line per pair of verdicts, with counts and provisions")
        _add_with_argument(p)
        p.set_defaults(run=run)
    claims_command.register(sub, EXAMPLES)
    exercise_command.register(sub, EXAMPLES)
    p = _sub(sub, "policies", "list the instruments")
    p.add_argument("--json", action="store_true", help="print the list as JSON")
    p.set_defaults(run=cmd_policies)
    p = _sub(sub, "timeline", "the instruments, their dates and the Presidents in office")
    p.add_argument("--width", type=int, default=None, help="table width (default: the terminal's)")
    p.add_argument("--json", action="store_true", help="print as JSON")
    p.set_defaults(run=cmd_timeline)
    p = _sub(sub, "fields", "the scenario fields and their values")
    p.add_argument("field", nargs="?", metavar="FIELD", help="one field, to list its values with their meaning")
    p.add_argument("--json", action="store_true", help="print as JSON")
    p.set_defaults(run=cmd_fields)
    p = _sub(sub, "scenarios", "the named scenarios and their questions")
    p.add_argument("name", nargs="?", metavar="NAME", help="one scenario, to show its fields")
    p.add_argument("--json", action="store_true", help="print as JSON")
    p.set_defaults(run=cmd_scenarios)
    p = _sub(sub, "check", "check policy files (all bundled ones by default): errors, then gaps, conflicts, "
                           "dead provisions and exceptions that do nothing")
    p.add_argument("files", nargs="*", metavar="FILE")
    p.add_argument("--strict", action="store_true", help="exit 1 when a finding is not documented in its file, or a findings: entry matches nothing")
    p.add_argument("--verbose", "-v", action="store_true", help="also list the findings files document")
    p.add_argument("--json", action="store_true", help="print the findings of every file as JSON")
    p.add_argument("--baseline", metavar="REF", help="also report every change of answer against the files at "
                                                     "REF (a git revision, or a folder)")
    p.set_defaults(run=cmd_check)
    testing_command.register(sub, EXAMPLES)
    p = _sub(sub, "report", "write one self-contained HTML page: timeline, scenario matrix, provisions")
    p.add_argument("--out", "-o", default="report.html", metavar="FILE", help="where to write it (default: report.html)")
    p.add_argument("--on", metavar="DATE", default=None, help="date of the US-position column (default: today)")
    _add_with_argument(p)
    p.set_defaults(run=cmd_report)
    p = _sub(sub, "serve", "a local explorer in the browser: toggle a scenario, watch every instrument answer")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1, this machine only)")
    p.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    _add_with_argument(p)
    p.set_defaults(run=cmd_serve)
    p = _sub(sub, "completion", "print a shell completion script")
    p.add_argument("shell", choices=("bash", "zsh"))
    p.set_defaults(run=cmd_completion)
    return parser


def _show_warning(message: Warning | str, category: type[Warning], filename: str, lineno: int,
                  file: Any = None, line: str | None = None) -> None:
    """The library's own warnings as one line, `warning: ...`; others as Python shows them."""
    if issubclass(category, PolicyEngineWarning):
        print(f"warning: {message}", file=sys.stderr)
    else:
        _python_showwarning(message, category, filename, lineno, file, line)


_python_showwarning = pywarnings.showwarning


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: parse and run; a library error is one message and exit 2, any other exception a bug (exit 70)."""
    args = build_parser().parse_args(argv)
    pywarnings.showwarning = _show_warning
    try:
        return int(args.run(args))
    except PolicyEngineError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # output piped into head and the like
        return 0
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception:  # noqa: BLE001 - anything but a PolicyEngineError is a bug: shown, never taken for bad input
        traceback.print_exc()
        print(bug_report_line(), file=sys.stderr)
        return EXIT_BUG


def bug_report_line() -> str:
    """The line after a bug's traceback: that it is a bug, and where to report it."""
    try:
        urls = metadata.metadata("apl-policyengine").get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        urls = []
    where = next((url.partition(",")[2].strip() for url in urls if url.lower().startswith(("issues", "bug"))),
                 None) or next((url.partition(",")[2].strip() for url in urls), None)
    return (f"bug: policyengine {__version__} failed on this input (not your mistake); please report it "
            + (f"at {where}" if where else "to the maintainers of apl-policyengine (`pip show apl-policyengine`)")
            + " with the command you ran and the traceback above")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
