"""`policyengine explain`: why (three levels), why not a provision, what would change it, across instruments."""

from __future__ import annotations

import argparse

from ..analysis.across import across
from ..core.errors import ScenarioError
from ..explanation.assemble import explanation
from ..explanation.glossary import term_text
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
from .evaluate import print_assessment

EXAMPLES = """\
examples:
  policyengine explain --policy biden-2022 --scenario transfer-apl-for-destruction
  policyengine explain --policy biden-2022 --scenario transfer-apl-for-destruction --level full --format markdown
  policyengine explain --policy trump-2020 --why-not T20-2 activity=use mine=anti_personnel
  policyengine explain --across --scenario transfer-apl-for-destruction
  policyengine explain --on 2021-03-01 activity=use mine=anti_personnel"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The scenario, the level and format, and the why-not, across and glossary questions."""
    add_scenario_arguments(parser)
    parser.add_argument("--level", choices=("short", "standard", "full"), default="standard",
                        help="short: one sentence; standard: provisions, exceptions, flags; full: every rule")
    parser.add_argument("--format", choices=("text", "markdown", "json"), default=None, help="default: text")
    parser.add_argument("--why-not", metavar="RULE_ID", help="why this provision did not decide")
    parser.add_argument("--across", action="store_true",
                        help="the scenario under every instrument, and when it changed")
    parser.add_argument("--term", metavar="TERM", help="a glossary entry: what TERM means and the provisions using it")


def run(args: argparse.Namespace) -> int:
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
        return print_assessment(args, args.level, fmt)
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
