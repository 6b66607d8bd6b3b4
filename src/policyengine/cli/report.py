"""`policyengine report`: the self-contained HTML report."""

from __future__ import annotations

import argparse

from ..web.report import write_report
from .arguments import add_with_argument, corpus_of, say

EXAMPLES = """\
examples:
  policyengine report --out report.html
  policyengine report --out report.html --on 2023-01-01   (the US position column for another date)"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Where to write it, the date of the US-position column, and --with."""
    parser.add_argument("--out", "-o", default="report.html", metavar="FILE",
                        help="where to write it (default: report.html)")
    parser.add_argument("--on", metavar="DATE", default=None, help="date of the US-position column (default: today)")
    add_with_argument(parser)


def run(args: argparse.Namespace) -> int:
    """Write the self-contained HTML report."""
    path = write_report(args.out, corpus_of(args), on=args.on)
    say(f"wrote {path} ({path.stat().st_size // 1024} KiB); open it in a browser")
    return 0
