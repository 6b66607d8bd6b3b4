"""`policyengine policies`: the instruments."""

from __future__ import annotations

import argparse
import json

from ..show.display import POLICY_COLUMNS, policies_rows
from ..show.results import PolicyList
from ..show.terminal import print_table
from .arguments import add_json_argument, corpus_of

EXAMPLES = """\
examples:
  policyengine policies
  policyengine policies --json"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """--json."""
    add_json_argument(parser, "print the list as JSON")


def run(args: argparse.Namespace) -> int:
    """List the bundled instruments."""
    found = PolicyList(corpus_of(args))
    if args.json:
        print(json.dumps(found.to_dict(), indent=2, ensure_ascii=False))
        return 0
    print_table("Instruments (`policyengine timeline` shows who was in force when)", POLICY_COLUMNS,
                policies_rows(found))
    return 0
