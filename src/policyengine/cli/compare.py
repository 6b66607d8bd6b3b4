"""`policyengine compare A B`: equivalent, more permissive, less permissive or incomparable."""

from __future__ import annotations

import argparse
import json

from ..analysis.diff import compare
from ..registry import named_examples
from .arguments import add_pair_arguments, add_with_argument, corpus_of, interpretation_of, load_judge, say

EXAMPLES = """\
examples:
  policyengine compare trump-2020 biden-2022      more or less permissive, with counterexamples
  policyengine compare biden-2022 ./my_draft.yaml"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The two instruments, the date, the readings and --with."""
    add_pair_arguments(parser)
    add_with_argument(parser)


def run(args: argparse.Namespace) -> int:
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
