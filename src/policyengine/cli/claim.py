"""`policyengine claim "..."`: check a claim in controlled English (one line of error on bad input)."""

from __future__ import annotations

import argparse
import json

from ..analysis.claims.check import claim
from ..analysis.claims.grammar import FORMS, MORE_EXAMPLES
from ..show.terminal import say
from .arguments import add_with_argument, corpus_of

EXAMPLES = "forms:\n" + "\n".join(f"  {example}" for example in FORMS.values()) + (
    "\n\nmore examples:\n" + "\n".join(f"  {example}" for example in MORE_EXAMPLES)) + (
    "\n\nconditions: FIELD is VALUE [or VALUE], FIELD is not VALUE, FIELD is at least|at most VALUE, joined by "
    "'and'; phrases such as 'use of APL outside Korea', 'export of APL', 'in Korea', 'in the DMZ'.\n"
    "A date: 'on DATE', 'from DATE to DATE', 'between DATE and DATE', 'since DATE'. 'permitted' includes "
    "'required'; 'banned' and 'allowed' are read as 'prohibited' and 'permitted'; 'every' and 'any' as 'all'.\n"
    "The fields and values are those of policies/vocabulary.yaml (docs/claims.md).") + """

examples:
  policyengine claim "under obama-2014, no scenarios where activity is use and location is elsewhere are permitted"
  policyengine claim "under trump-2020, every scenario where activity is use and mine is anti_personnel is permitted"
  policyengine claim "trump-2020 was in force on 2021-03-01" --json"""


def run(args: argparse.Namespace) -> int:
    """Check the claim; exit 0 whatever the answer, 2 if it is outside the grammar."""
    result = claim(" ".join(args.text), corpus_of(args))
    if args.json:
        print(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    else:
        say(result.words())
    return 0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The claim, --json and --with."""
    parser.add_argument("text", nargs="+", help="the claim (quote it)")
    parser.add_argument("--json", action="store_true", help="print the answer as one JSON object")
    add_with_argument(parser)
