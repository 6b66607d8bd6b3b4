"""`policyengine exercise list` and `policyengine exercise check NN [FILE ...] [--json] [--csv]`."""

from __future__ import annotations

import argparse
import json
from collections.abc import Mapping
from pathlib import Path

from ..core.errors import SuiteError


def cmd_exercise(args: argparse.Namespace) -> int:
    """List the exercises, or check files against one; exit 1 when a checked file misses full marks."""
    from ..exercises import catalogue, report, state

    if args.action == "list":
        for number in catalogue.numbers():
            ex = catalogue.exercise(number)
            print(f"{number}  {ex.kind:<9}  {ex.title}  ({ex.folder / 'brief.md'})")
        return 0
    if not args.number:
        raise SuiteError("no exercise number", where="command line", hint="write policyengine exercise check 01 FILE")
    ex = catalogue.exercise(args.number)
    paths = [Path(f) for f in args.files] or [ex.start]
    for path in paths:
        if not path.is_file():
            raise SuiteError(f"no file '{path}'", where="command line",
                             hint=f"give the file you wrote, e.g. a copy of {ex.start}")
    reports = []
    for path in paths:
        first = report.check(ex, path)
        tier = args.tier or (1 if first.passed else state.record(ex.number, path, False))
        if first.passed:
            state.record(ex.number, path, True)
        reports.append(report.Report(first.exercise, first.title, first.file, first.cases, min(tier, report.TIERS)))
    if args.csv:
        print(report.to_csv(reports), end="")
    elif args.json:
        data = [r.to_dict() for r in reports]
        print(json.dumps(data[0] if len(data) == 1 else data, indent=2, ensure_ascii=False))
    else:
        print("\n\n".join(r.text() for r in reports))
    return 0 if all(r.passed for r in reports) else 1


def register(subparsers: argparse._SubParsersAction, examples: Mapping[str, str] | None = None) -> None:
    """Add the `exercise` command, with `examples["exercise"]` at the end of its help."""
    text = "course exercises: list them, or check your file (public and hidden cases, tiered feedback)"
    p = subparsers.add_parser("exercise", help=text, description=text + ". Each failing check of the same file "
                              "raises the feedback tier: 1 which case fails, 2 which provision or field is "
                              "mishandled, 3 a counterexample. The tries are counted in "
                              "~/.cache/policyengine/exercises.json (POLICYENGINE_STATE_DIR moves it).",
                              epilog=(examples or {}).get("exercise"),
                              formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("action", choices=("list", "check"))
    p.add_argument("number", nargs="?", help="exercise number, e.g. 01")
    p.add_argument("files", nargs="*", metavar="FILE", help="your file(s); default: the exercise's start.yaml")
    p.add_argument("--json", action="store_true", help="print the report as JSON (for a gradebook)")
    p.add_argument("--csv", action="store_true", help="print one CSV row per file (for a class)")
    p.add_argument("--tier", type=int, choices=(1, 2, 3), help="show feedback up to this tier, whatever the tries")
    p.set_defaults(run=cmd_exercise)
