"""The progress display: only in a terminal, only once the work has taken its delay."""

from __future__ import annotations

import io

from rich.console import Console

from policyengine.show.progress import Progress, track


def console(terminal: bool) -> Console:
    """A console writing to a buffer, a terminal or not."""
    return Console(file=io.StringIO(), force_terminal=terminal, width=80)


class TestProgress:
    """When the display is drawn."""

    def test_never_outside_a_terminal(self):
        """Written to a pipe or file, nothing is drawn, however long the work."""
        out = console(False)
        with Progress("working", 3, delay=0, console=out) as bar:
            for _ in range(3):
                bar.advance()
            assert not bar.shown
        assert out.file.getvalue() == ""

    def test_in_a_terminal_after_the_delay(self):
        """In a terminal, once the delay has passed, the bar is drawn, and removed at the end."""
        out = console(True)
        with Progress("working", 3, delay=0, console=out) as bar:
            bar.advance()
            assert bar.shown
        assert not bar.shown and "working" in out.file.getvalue()

    def test_not_before_the_delay(self):
        """Work that ends within the delay draws nothing."""
        out = console(True)
        with Progress("working", 3, delay=3600, console=out) as bar:
            bar.advance(3)
            assert not bar.shown
        assert out.file.getvalue() == ""

    def test_track_yields_every_item(self):
        """track passes the items through in order and counts them."""
        assert list(track(range(5), "counting", delay=0, console=console(True))) == [0, 1, 2, 3, 4]
