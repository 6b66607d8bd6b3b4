"""The command's error boundary: a PolicyEngineError is bad input (exit 2, one line); anything else is a
bug (a traceback, where to report it, exit 70), never dressed as bad input."""

from __future__ import annotations

import pytest

from policyengine.cli import app
from policyengine.cli.arguments import EXIT_BAD_INPUT, EXIT_BUG


class TestBugs:
    """An exception that is not a PolicyEngineError shows its traceback and where to report it."""

    @pytest.mark.parametrize("error", [KeyError("planted"), ValueError("planted"), TypeError("planted")])
    def test_planted_bug_prints_traceback_and_report_line(self, capsys, monkeypatch, error) -> None:
        """A command raising KeyError, ValueError or TypeError exits 70 with the traceback and a report line."""

        def broken(args: object) -> int:
            raise error

        monkeypatch.setattr(app.command_module("policies"), "run", broken)
        status = app.main(["policies"])
        err = capsys.readouterr().err
        assert status == EXIT_BUG == 70
        assert "Traceback (most recent call last)" in err and f"{type(error).__name__}: " in err
        assert "planted" in err
        last = err.strip().splitlines()[-1]
        assert last.startswith("bug: policyengine ") and "please report it" in last
        assert not any(line.startswith("error: ") for line in err.splitlines())


class TestBadInput:
    """Bad input stays one line and exit 2, without a traceback."""

    def test_unknown_value_exits_2_with_the_fix(self, capsys) -> None:
        """A mistyped value is one `error:` line naming the field, the value and a fix."""
        status = app.main(["evaluate", "--policy", "biden-2022", "activity=use", "mine=antipersonnel"])
        err = capsys.readouterr().err
        assert status == EXIT_BAD_INPUT == 2
        assert "Traceback" not in err and "bug:" not in err
        assert err.startswith("error: ") and "'antipersonnel'" in err and "'mine'" in err and "anti_personnel" in err

    def test_bad_threshold_is_bad_input(self, capsys) -> None:
        """`--threshold 1/0` is refused as bad input, not a ZeroDivisionError."""
        for text in ("1/0", "nan", "ninety", "1e2"):
            assert app.main(["test", "--threshold", text]) == EXIT_BAD_INPUT
            err = capsys.readouterr().err
            assert "is not a percentage" in err and "Traceback" not in err
