"""`policyengine diff A B`: every change of verdict from one instrument to another."""

from __future__ import annotations

import argparse
import json

from ..analysis.diff import diff
from ..registry import named_examples
from ..show.terminal import width
from .arguments import add_pair_arguments, add_with_argument, corpus_of, interpretation_of, load_judge

EXAMPLES = """\
examples:
  policyengine diff trump-2020 biden-2022                 every class of scenarios whose verdict changed
  policyengine diff trump-2020 biden-2022 --summary       a line per pair of verdicts, with the provisions
  policyengine diff biden-2022 ./my_draft.yaml --json     your draft against the policy it would replace
  policyengine diff obama-2014 trump-2020 --on 2020-06-01"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The two instruments, the date, the readings, --summary and --with."""
    add_pair_arguments(parser)
    parser.add_argument("--summary", action="store_true",
                        help="only the summary: a line per pair of verdicts, with counts and provisions")
    add_with_argument(parser)


def run(args: argparse.Namespace) -> int:
    """Every change of verdict from one instrument to another, in compact classes with witnesses."""
    corpus = corpus_of(args)
    a, b = load_judge(args.a, corpus, "A"), load_judge(args.b, corpus, "B")
    found = diff(a, b, on=args.on, corpus=corpus, interpretation=interpretation_of(args), examples=named_examples())
    print(json.dumps(found.to_dict(), indent=2, ensure_ascii=False) if args.json else found.document(
        summary_only=args.summary).render("text", width()))
    return 0
