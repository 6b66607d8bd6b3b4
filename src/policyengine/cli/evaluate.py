"""`policyengine evaluate`: one scenario against one instrument, or everything in force on a date."""

from __future__ import annotations

import argparse
import json

from ..core.errors import ScenarioError
from ..core.timeline import evaluate_on, other_readings
from ..explanation.why import assessment_document, explain
from ..show.terminal import width
from .arguments import (
    add_scenario_arguments,
    corpus_of,
    date_of,
    format_of,
    interpretation_of,
    judge_of,
    say,
    scenario_of,
    warnings_of,
)

EXAMPLES = """\
examples:
  policyengine evaluate --policy biden-2022 activity=transfer mine=anti_personnel purpose=destruction
  policyengine evaluate --policy trump-2020 --scenario use-self-deactivating-mine-outside-korea --level short
  policyengine evaluate --on 2021-03-01 activity=use mine=anti_personnel location=korean_dmz
  policyengine evaluate --policy ./my_policy.yaml activity=use mine=anti_personnel --json
  policyengine evaluate --on 2023-01-01 --with ./my_draft.yaml activity=use mine=anti_personnel
what to type: `policyengine fields` (fields and values), `policyengine scenarios` (named scenarios),
`policyengine policies` (instrument ids); --policy also takes a policy file of your own."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The scenario, the instrument or date, and the level of the explanation."""
    add_scenario_arguments(parser)
    parser.add_argument("--level", choices=("short", "standard", "full"), default=None,
                        help="short: at most three lines; standard (default): provisions, exceptions, flags; "
                             "full: every rule")


def run(args: argparse.Namespace) -> int:
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
        return print_assessment(args, level, fmt)
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


def print_assessment(args: argparse.Namespace, level: str, fmt: str) -> int:
    """The assessment of the scenario under everything in force on the --on date."""
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
