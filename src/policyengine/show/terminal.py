"""The terminal: its width, tables that fit it, and text wrapped to it."""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

from rich import box
from rich.console import Console

from ..explanation.document import wrap
from .display import column_widths, rich_table

PIPED = 80  # the width of output that is not a terminal, unless `COLUMNS` says otherwise
FALLBACK = 100  # a terminal whose size cannot be read (and the library's own default)


def width() -> int:
    """The width to wrap to: `COLUMNS` if set, else the terminal's, else 80 (piped output)."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    if sys.stdout.isatty():
        return shutil.get_terminal_size((FALLBACK, 24)).columns
    return PIPED


def say(text: str, out: TextIO | None = None, size: int | None = None) -> None:
    """Print prose wrapped between words to the terminal's width (or `size`): each line keeps its
    indent and hangs two more."""
    size = size or width()
    for line in text.split("\n"):
        indent = " " * (len(line) - len(line.lstrip()))
        print("\n".join(wrap(line, size, subsequent_indent=indent + "  ")) or line, file=out or sys.stdout)


def print_table(title: str | None, columns: Sequence[str], rows: Iterable[Sequence[Any]],
                out: TextIO | None = None, size: int | None = None) -> None:
    """Print a table that fits the terminal (or `size` columns), wrapping cells between words so
    that ids stay whole."""
    size = size or width()
    rows = [tuple(row) for row in rows]
    stream = out or sys.stdout
    if column_widths(columns, rows, size - (3 * len(columns) + 1)) is None:
        print_records(title, columns, rows, size, stream)
        return
    if title:
        say(title, stream, size)
    console = Console(file=stream, width=size, highlight=False, soft_wrap=False)
    table = rich_table(None, columns, rows, size)
    if not stream.isatty():  # piped: ASCII rules, one byte per column for every tool that reads it
        table.box = box.ASCII
    console.print(table)


def print_records(title: str | None, columns: Sequence[str], rows: Sequence[Sequence[Any]], size: int,
                  out: TextIO) -> None:
    """A table too wide for the terminal, as one record per row: the first cell, then `column: value`."""
    if title:
        say(title, out, size)
    for row in rows:
        print(str(row[0]), file=out)
        for column, cell in zip(columns[1:], row[1:]):
            if str(cell):
                print("\n".join(wrap(f"{column}: {cell}", max(size, 40), initial_indent="    ",
                                     subsequent_indent="      ")), file=out)


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """`--help` whose descriptions and examples keep their lines but fit the width: a prose line wraps
    between words; a long example command breaks with a shell continuation (`\\`), and the note
    written after it goes on a line of its own."""

    COMMAND = re.compile(r"(policyengine|COLUMNS=|eval|pytest|python)\b")

    def format_help(self) -> str:
        """The help; a usage line argparse indented past the width moves left until it fits."""
        columns = self._width + 2
        lines = super().format_help().split("\n")
        return "\n".join(line if len(line) <= columns else " " * max(2, columns - len(line.lstrip())) + line.lstrip()
                         for line in lines)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        out: list[str] = []
        for line in text.splitlines():
            if len((indent + line).encode()) <= width or not line.strip():
                out.append(indent + line)
                continue
            lead = indent + line[:len(line) - len(line.lstrip())]
            if len(lead) > width // 2:  # a note aligned far right, under the example it belongs to
                lead = indent + "      "
            body = line.strip()
            if not self.COMMAND.match(body):
                out += wrap(body, width, lead, lead + "  ")
                continue
            parts = [part.strip() for part in re.split(r"(\s{2,})", body, maxsplit=1)] + ["", ""]
            command, note = parts[0], parts[2]
            pieces = wrap(command, width - 2, lead, lead + "    ")
            out += [piece + " \\" for piece in pieces[:-1]] + pieces[-1:]
            if note:
                out += wrap(note, width, lead + "    ", lead + "    ")
        return "\n".join(out)
