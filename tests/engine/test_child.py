"""The child-process runner of the engine tests: results and failures come back, memory does not."""

from __future__ import annotations

import os

import pytest
from child import in_child

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork (without it the runner runs in-process)")


def rss_kb() -> int:
    """This process's resident set size in kB (Linux), or 0 where /proc is missing."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            return next((int(line.split()[1]) for line in status if line.startswith("VmRSS:")), 0)
    except OSError:
        return 0


def grow(megabytes: int) -> int:
    """Allocate and touch `megabytes` MB, keep it alive in this process, and return this process's id."""
    grow.kept = bytearray(megabytes * 1024 * 1024)  # type: ignore[attr-defined]
    for i in range(0, len(grow.kept), 4096):  # type: ignore[attr-defined]
        grow.kept[i] = 1  # type: ignore[attr-defined]
    return os.getpid()


def fail_with(message: str) -> None:
    """Fail an assertion whose message is `message`."""
    assert message == "", message


class TestInChild:
    """in_child runs the function elsewhere and reports back."""

    def test_result_comes_back_from_another_process(self) -> None:
        """The function's return value comes back, computed in a process other than this one."""
        assert in_child(grow, 1) != os.getpid()

    def test_failure_fails_the_test_with_the_childs_traceback(self) -> None:
        """An assertion failing in the child fails the caller, quoting the child's message."""
        with pytest.raises(pytest.fail.Exception, match="the engine answered wrong"):
            in_child(fail_with, "the engine answered wrong")

    def test_memory_of_the_child_goes_back(self) -> None:
        """200 MB kept alive by the child are not in this process after it ends."""
        before = rss_kb()
        in_child(grow, 200)
        assert rss_kb() - before < 100 * 1024
        assert not hasattr(grow, "kept")
