"""`policyengine fields [FIELD]`: the scenario fields, or one field's values with what each means."""

from __future__ import annotations

import argparse
import json

from ..core.vocabulary import show_value
from ..show.terminal import print_table
from .arguments import add_json_argument, corpus_of, say

EXAMPLES = """\
examples:
  policyengine fields            every scenario field, its type and its values
  policyengine fields mine       the values of one field, each with what it means"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """One field, and --json."""
    parser.add_argument("field", nargs="?", metavar="FIELD", help="one field, to list its values with their meaning")
    add_json_argument(parser)


def run(args: argparse.Namespace) -> int:
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
