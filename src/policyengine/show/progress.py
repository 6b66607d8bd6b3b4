"""A progress display for long analyses: shown on stderr, only in a terminal, only after a second.

    with Progress("diffing", total=len(pairs)) as bar:
        for pair in pairs:
            ...
            bar.advance()

or `for item in track(items, "running cases"): ...`. Output to a pipe or a file never carries it,
and a run that ends within the delay never draws anything.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Iterator, Sized
from types import TracebackType
from typing import TypeVar

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn
from rich.progress import Progress as RichProgress

T = TypeVar("T")
DELAY = 1.0


class Progress:
    """A context manager that draws a rich progress bar once the work has taken `delay` seconds."""

    def __init__(self, description: str, total: int | None = None, *, delay: float = DELAY,
                 console: Console | None = None) -> None:
        self.description = description
        self.total = total
        self.completed = 0
        self.delay = delay
        self.console = console or Console(stderr=True)
        self._started = 0.0
        self._bar: RichProgress | None = None
        self._task: TaskID | None = None
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()
        self._closed = False

    @property
    def shown(self) -> bool:
        """True once the display has been drawn."""
        return self._bar is not None

    def __enter__(self) -> Progress:  # noqa: PYI034 - a final class in all but name
        self._started = time.monotonic()
        if self.console.is_terminal:
            self._timer = threading.Timer(self.delay, self._show)
            self._timer.daemon = True
            self._timer.start()
        return self

    def advance(self, steps: int = 1, description: str | None = None) -> None:
        """Count `steps` more items done (and optionally change the description)."""
        with self._lock:
            self.completed += steps
            if description is not None:
                self.description = description
            bar = self._bar
        if bar is None and self.console.is_terminal and time.monotonic() - self._started >= self.delay:
            self._show()
            bar = self._bar
        if bar is not None and self._task is not None:
            bar.update(self._task, completed=self.completed, description=self.description)

    def _show(self) -> None:
        with self._lock:
            if self._bar is not None or self._closed:
                return
            columns = [SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                       MofNCompleteColumn(), TimeElapsedColumn()] if self.total else \
                [SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn()]
            bar = RichProgress(*columns, console=self.console, transient=True)
            self._task = bar.add_task(self.description, total=self.total, completed=self.completed)
            bar.start()
            self._bar = bar

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._timer is not None:
            self._timer.cancel()
        with self._lock:
            self._closed = True
            bar, self._bar = self._bar, None
        if bar is not None:
            bar.stop()


def track(items: Iterable[T], description: str, *, total: int | None = None, delay: float = DELAY,
          console: Console | None = None) -> Iterator[T]:
    """Yield `items`, with a progress display (see Progress) while they are being worked on."""
    if total is None and isinstance(items, Sized):
        total = len(items)
    with Progress(description, total, delay=delay, console=console) as bar:
        for item in items:
            yield item
            bar.advance()
