"""The terminal: its width, tables that fit it, and text wrapped to it."""

from __future__ import annotations

import os
import shutil
import sys
import textwrap
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

from rich.console import Console

from .display import column_widths, rich_table

FALLBACK = 100  # the width of piped output (and of the golden files)


def width() -> int | None:
    """The width to wrap to: `COLUMNS` if set, else the terminal's; None when piped (library default)."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    if sys.stdout.isatty():
        return shutil.get_terminal_size((FALLBACK, 24)).columns
    return None


def print_table(title: str | None, columns: Sequence[str], rows: Iterable[Sequence[Any]],
                out: TextIO | None = None, size: int | None = None) -> None:
    """Print a table that fits the terminal (or `size` columns), wrapping cells between words so
    that ids stay whole."""
    size = size or width() or FALLBACK
    rows = [tuple(row) for row in rows]
    stream = out or sys.stdout
    if column_widths(columns, rows, size - (3 * len(columns) + 1)) is None:
        print_records(title, columns, rows, size, stream)
        return
    console = Console(file=stream, width=size, highlight=False, soft_wrap=False)
    console.print(rich_table(title, columns, rows, size))


def print_records(title: str | None, columns: Sequence[str], rows: Sequence[Sequence[Any]], size: int,
                  out: TextIO) -> None:
    """A table too wide for the terminal, as one record per row: the first cell, then `column: value`."""
    if title:
        print(title, file=out)
    for row in rows:
        print(str(row[0]), file=out)
        for column, cell in zip(columns[1:], row[1:]):
            if str(cell):
                print(textwrap.fill(f"{column}: {cell}", max(size, 40), initial_indent="    ",
                                    subsequent_indent="      ", break_long_words=False, break_on_hyphens=False),
                      file=out)
