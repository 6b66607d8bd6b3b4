"""A small document model for explanations, rendered as plain text, Markdown or JSON."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Mapping
from typing import Any

import attrs

FORMATS = ("text", "markdown", "json")
WIDTH = 100


@attrs.frozen
class Line:
    """One statement, with statements nested under it."""

    text: str
    children: tuple[Line, ...] = ()


@attrs.frozen
class Block:
    """A headed group of lines."""

    heading: str
    lines: tuple[Line, ...] = ()
    columns: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()


@attrs.frozen
class Document:
    """A title, a one-sentence summary, blocks, and the structured data behind them (for JSON)."""

    title: str
    summary: str
    blocks: tuple[Block, ...] = ()
    data: Mapping[str, Any] = attrs.field(factory=dict, eq=False, repr=False)

    def render(self, format: str = "text", width: int | None = None) -> str:
        """The document as `text`, `markdown` or `json`; text is wrapped to `width` columns (default
        100), and given a width its tables are fitted to it too, wrapping cells between words."""
        if format == "json":
            return json.dumps({"title": self.title, "summary": self.summary,
                               "blocks": [attrs.asdict(b) for b in self.blocks], **self.data},
                              indent=2, ensure_ascii=False, default=str)
        if format == "markdown":
            return _markdown(self)
        return _text(self, width)


def _text(doc: Document, width: int | None = None) -> str:
    wrap = width or WIDTH
    out = textwrap.wrap(doc.title, width=wrap, subsequent_indent="    ", break_long_words=False,
                        break_on_hyphens=False) if width else [doc.title]
    out += textwrap.wrap(doc.summary, width=wrap, initial_indent="  ", subsequent_indent="  ",
                         break_long_words=False, break_on_hyphens=False)
    for block in doc.blocks:
        out.append(f"  {block.heading}:" if block.heading else "")
        out += _text_table(block, width)
        for line in block.lines:
            out += _text_line(line, 1, wrap)
    return "\n".join(out)


def _text_table(block: Block, width: int | None = None) -> list[str]:
    if not block.columns:
        return []
    table = [block.columns, *block.rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(block.columns))]
    if width is None or 4 + sum(widths) + 2 * (len(widths) - 1) <= width:
        return ["    " + "  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in table]
    widths = fit_columns(table, width - 4 - 2 * (len(widths) - 1))
    if 4 + sum(widths) + 2 * (len(widths) - 1) > width:
        return _text_records(block, width)
    out = []
    for row in table:
        cells = [textwrap.wrap(cell, w, break_long_words=False, break_on_hyphens=False) or [""]
                 for cell, w in zip(row, widths)]
        for i in range(max(len(c) for c in cells)):
            out.append("    " + "  ".join((c[i] if i < len(c) else "").ljust(w)
                                          for c, w in zip(cells, widths)).rstrip())
    return out


def _text_records(block: Block, width: int) -> list[str]:
    """A table too wide for `width`, as one record per row: the first cell, then `column: value`."""
    out = []
    for row in block.rows:
        out.append("    " + row[0])
        text = "; ".join(f"{column}: {cell}" for column, cell in zip(block.columns[1:], row[1:]) if cell)
        out += textwrap.wrap(text, width=max(width, 30), initial_indent="      ", subsequent_indent="      ",
                             break_long_words=False, break_on_hyphens=False)
    return out


def fit_columns(table: list[tuple[str, ...]], room: int) -> list[int]:
    """Column widths that fit `room` where possible: each column at least its longest word (ids and
    dates stay whole), the rest shared in proportion to how much each column would wrap."""
    columns = list(zip(*table))
    natural = [max(len(cell) for cell in column) for column in columns]
    least = [max((len(word) for cell in column for word in cell.split()), default=0) for column in columns]
    spare = room - sum(least)
    want = [n - m for n, m in zip(natural, least)]
    if spare <= 0 or not sum(want):
        return least
    return [m + spare * w // sum(want) for m, w in zip(least, want)]


def _text_line(line: Line, depth: int, width: int = WIDTH) -> list[str]:
    indent = "  " * depth + ("- " if depth == 1 else "  ")
    out = textwrap.wrap(line.text, width=max(width, len(indent) + 20), initial_indent=indent,
                        subsequent_indent=" " * len(indent) + " ",
                        break_long_words=False, break_on_hyphens=False) or [indent.rstrip()]
    for child in line.children:
        out += _text_line(child, depth + 1, width)
    return out


def _markdown(doc: Document) -> str:
    out = [f"## {doc.title}", "", doc.summary]
    for block in doc.blocks:
        out += ["", f"### {block.heading}" if block.heading else "", ""]
        if block.columns:
            out += ["| " + " | ".join(block.columns) + " |", "|" + "---|" * len(block.columns)]
            out += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in block.rows]
        for line in block.lines:
            out += _markdown_line(line, 0)
    return "\n".join(out).rstrip() + "\n"


def _markdown_line(line: Line, depth: int) -> list[str]:
    out = ["  " * depth + "- " + line.text.replace("\n", " ")]
    for child in line.children:
        out += _markdown_line(child, depth + 1)
    return out
