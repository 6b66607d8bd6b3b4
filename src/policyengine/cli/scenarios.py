"""`policyengine scenarios [NAME]`: the named scenarios, or one with its fields."""

from __future__ import annotations

import argparse
import json

from ..core.vocabulary import show_value
from ..testing.suites import named, named_scenarios
from .arguments import add_json_argument, corpus_of, say

EXAMPLES = """\
examples:
  policyengine scenarios                                  every named scenario and its question
  policyengine scenarios transfer-apl-for-destruction     one scenario's question and fields"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """One scenario, and --json."""
    parser.add_argument("name", nargs="?", metavar="NAME", help="one scenario, to show its fields")
    add_json_argument(parser)


def run(args: argparse.Namespace) -> int:
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
