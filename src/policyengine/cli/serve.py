"""`policyengine serve`: the local explorer in the browser."""

from __future__ import annotations

import argparse

from .arguments import add_with_argument, corpus_of

EXAMPLES = """\
examples:
  policyengine serve                    http://127.0.0.1:8000/
  policyengine serve --port 8765
  policyengine serve --with ./my_draft.yaml      your draft beside the ten instruments
needs the 'serve' extra: pip install 'apl-policyengine[serve]'"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The address and port, and --with."""
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1, this machine only)")
    parser.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    add_with_argument(parser)


def run(args: argparse.Namespace) -> int:
    """Run the local explorer until interrupted."""
    from ..web import asgi  # the optional 'serve' extra: importing it says how to install it when missing

    asgi.run(corpus_of(args), args.host, args.port)
    return 0
