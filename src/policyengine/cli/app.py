"""The `policyengine` command: the parser, one table of commands, the dispatch and the error boundary.

Each command is a module of this package named after it, with `add_arguments(parser)`, `run(args) -> int`
and its `EXAMPLES` (and a `DESCRIPTION` when its one line of help is not enough). COMMANDS lists them; a
command's module is imported by name only when that command is parsed, so `--version` and `--help` load none."""

from __future__ import annotations

import argparse
import importlib
import sys
import traceback
import warnings as pywarnings
from collections.abc import Sequence
from importlib import metadata
from types import ModuleType
from typing import Any

from ..core.engines import version_line
from ..core.errors import PolicyEngineError, PolicyEngineWarning
from ..show.terminal import HelpFormatter
from ..version import __version__
from .arguments import EXIT_BAD_INPUT, EXIT_BUG, Parser

# command -> its one line of help, in the order `--help` lists them; its module is cli/<command>.py
COMMANDS: dict[str, str] = {
    "evaluate": "evaluate a scenario against an instrument, or everything in force on a date",
    "explain": "explain a decision: why, why not, what would change it, across instruments",
    "diff": "every change of verdict from instrument A to instrument B",
    "compare": "is A equivalent to B, more or less permissive, or incomparable",
    "claim": "check a claim about the instruments in controlled English: TRUE, FALSE or DEPENDS ON READING",
    "exercise": "course exercises: list them, check your file, grade a class (teachers), scaffold a new one",
    "policies": "list the instruments",
    "timeline": "the instruments, their dates and the Presidents in office",
    "fields": "the scenario fields and their values",
    "scenarios": "the named scenarios and their questions",
    "check": ("check policy files (all bundled ones by default): errors, then gaps, conflicts, dead provisions "
              "and exceptions that do nothing"),
    "test": "run scenario suites and claim files from files or folders, with provision coverage",
    "suite": "run scenario suites (the bundled ones, or files of your own) without coverage",
    "report": "write one self-contained HTML page: timeline, scenario matrix, provisions",
    "serve": "a local explorer in the browser: toggle a scenario, watch every instrument answer",
    "completion": "print a shell completion script",
}


def command_module(name: str) -> ModuleType:
    """The module of command `name` (a key of COMMANDS), imported now: the command line's one lazy import."""
    return importlib.import_module(f"{__package__}.{name}")


class CommandParser(Parser):
    """A command's parser, whose module adds its arguments, description and examples the first time the
    command is parsed (or shown by completion)."""

    command: str | None = None

    def load(self) -> ModuleType:
        """The command's module, with its arguments added to this parser once."""
        module = command_module(self.command or "")
        if not getattr(self, "_loaded", False):
            self._loaded = True
            module.add_arguments(self)
            self.description = getattr(module, "DESCRIPTION", self.description)
            self.epilog = module.EXAMPLES
        return module

    def parse_known_args(self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
                         ) -> tuple[argparse.Namespace, list[str]]:
        """Add the command's arguments, then parse them."""
        if self.command is not None:
            self.load()
        return super().parse_known_args(args, namespace)


class _Version(argparse.Action):
    """`--version`: the version and the engine in use, on one line (argparse's own action would wrap it)."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any,
                 option_string: str | None = None) -> None:
        print(version_line(__version__))
        parser.exit()


def build_parser(every_command: bool = False) -> argparse.ArgumentParser:
    """The argument parser of the `policyengine` command; each command's arguments are added when it is
    parsed, or at once for every command when `every_command` (shell completion lists them all)."""
    parser = Parser(
        prog="policyengine",
        description="US anti-personnel landmine policy as rules: verdicts with the provisions that decide them.",
        epilog="""\
start here:
  policyengine fields                       what you can say about a scenario
  policyengine scenarios                    the named questions
  policyengine explain --policy biden-2022 --scenario transfer-apl-for-destruction
  policyengine report --out report.html     everything on one page
`policyengine COMMAND --help` shows each command's options and examples.""",
        formatter_class=HelpFormatter,
    )
    parser.add_argument("--version", action=_Version, nargs=0,
                        help="print the version and the engine in use (durable or python) with why")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=CommandParser)
    for name, text in COMMANDS.items():
        p = sub.add_parser(name, help=text, description=text[:1].upper() + text[1:] + ".",
                           formatter_class=HelpFormatter)
        p.command = name
        if every_command:
            p.load()
    return parser


def _show_warning(message: Warning | str, category: type[Warning], filename: str, lineno: int,
                  file: Any = None, line: str | None = None) -> None:
    """The library's own warnings as one line, `warning: ...`; others as Python shows them."""
    if issubclass(category, PolicyEngineWarning):
        print(f"warning: {message}", file=sys.stderr)
    else:
        _python_showwarning(message, category, filename, lineno, file, line)


_python_showwarning = pywarnings.showwarning


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: parse and run; a library error is one message and exit 2, any other exception a bug (exit 70)."""
    args = build_parser().parse_args(argv)
    pywarnings.showwarning = _show_warning
    try:
        return int(command_module(args.command).run(args))
    except PolicyEngineError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # output piped into head and the like
        return 0
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception:  # noqa: BLE001 - anything but a PolicyEngineError is a bug: shown, never taken for bad input
        traceback.print_exc()
        print(bug_report_line(), file=sys.stderr)
        return EXIT_BUG


def bug_report_line() -> str:
    """The line after a bug's traceback: that it is a bug, and where to report it."""
    try:
        urls = metadata.metadata("apl-policyengine").get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        urls = []
    where = next((url.partition(",")[2].strip() for url in urls if url.lower().startswith(("issues", "bug"))),
                 None) or next((url.partition(",")[2].strip() for url in urls), None)
    return (f"bug: policyengine {__version__} failed on this input (not your mistake); please report it "
            + (f"at {where}" if where else "to the maintainers of apl-policyengine (`pip show apl-policyengine`)")
            + " with the command you ran and the traceback above")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
