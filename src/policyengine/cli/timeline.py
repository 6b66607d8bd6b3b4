"""`policyengine timeline`: the instruments with their dates, successors and Presidents."""

from __future__ import annotations

import argparse
import json

from ..show.results import TIMELINE_COLUMNS, Timeline
from ..show.terminal import print_table
from .arguments import add_json_argument, corpus_of

EXAMPLES = """\
examples:
  policyengine timeline
  COLUMNS=80 policyengine timeline"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The table's width, and --json."""
    parser.add_argument("--width", type=int, default=None, help="table width (default: the terminal's)")
    add_json_argument(parser)


def run(args: argparse.Namespace) -> int:
    """Print the instruments with their dates, successors and Presidents, as a table."""
    found = Timeline(corpus_of(args))
    if args.json:
        print(json.dumps(found.to_dict(), indent=2, ensure_ascii=False))
        return 0
    print_table("US anti-personnel landmine instruments, 1992-2025", TIMELINE_COLUMNS, found.rows(), size=args.width)
    return 0
