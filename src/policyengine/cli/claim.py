"""`policyengine claim "..."`: check a claim in controlled English (one line of error on bad input)."""

from __future__ import annotations

import argparse
import json
from collections.abc import Mapping

from ..analysis.claims.check import claim
from ..analysis.claims.grammar import FORMS, MORE_EXAMPLES
from .arguments import corpus_of

HELP = "check a claim about the instruments in controlled English: TRUE, FALSE or DEPENDS ON READING"
EPILOG = "forms:\n" + "\n".join(f"  {example}" for example in FORMS.values()) + (
    "\n\nmore examples:\n" + "\n".join(f"  {example}" for example in MORE_EXAMPLES)) + (
    "\n\nconditions: FIELD is VALUE [or VALUE], FIELD is not VALUE, FIELD is at least|at most VALUE, joined by "
    "'and'; phrases such as 'use of APL outside Korea', 'export of APL', 'in Korea', 'in the DMZ'.\n"
    "A date: 'on DATE', 'from DATE to DATE', 'between DATE and DATE', 'since DATE'. 'permitted' includes "
    "'required'; 'banned' and 'allowed' are read as 'prohibited' and 'permitted'; 'every' and 'any' as 'all'.\n"
    "The fields and values are those of policies/vocabulary.yaml (docs/claims.md).")


def cmd_claim(args: argparse.Namespace) -> int:
    """Check the claim; exit 0 whatever the answer, 2 if it is outside the grammar."""
    result = claim(" ".join(args.text), corpus_of(args))
    print(json.dumps(result.to_dict(), indent=2, ensure_ascii=False) if args.json else result.words())
    return 0


def register(subparsers: argparse._SubParsersAction, examples: Mapping[str, str] | None = None) -> None:
    """Add the `claim` command, with `examples["claim"]` at the end of its help."""
    more = (examples or {}).get("claim")
    p = subparsers.add_parser("claim", help=HELP, description=HELP, epilog=EPILOG + (f"\n\n{more}" if more else ""),
                              formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("text", nargs="+", help="the claim (quote it)")
    p.add_argument("--json", action="store_true", help="print the answer as one JSON object")
    p.add_argument("--with", dest="with_policies", action="append", metavar="FILE",
                   help="add a policy file of your own to the instruments (replacing one of its id)")
    p.set_defaults(run=cmd_claim)
