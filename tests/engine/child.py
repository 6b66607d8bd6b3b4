"""Run a function in a forked child process, so that the memory it leaves behind goes back when it ends.

durable_rules 2.0.28 never frees a ruleset's states: a handle that reached its 1,024-state limit keeps
about 330 MB even after `delete_ruleset`, and the next handle does not reuse it. Tests that fill a
handle, or that leave engine states in the registry's shared evaluators, run through `in_child`
(directly, or with the `own_process` marker, see conftest.py), so the suite's memory stays flat.
"""

from __future__ import annotations

import os
import pickle
import sys
import traceback
from collections.abc import Callable
from typing import Any, TypeVar

import pytest

T = TypeVar("T")


def in_child(function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """`function(*args, **kwargs)` run in a forked child: its (picklable) result, or a test failure
    carrying the child's traceback. Runs in this process where `os.fork` is missing (Windows)."""
    if not hasattr(os, "fork"):
        return function(*args, **kwargs)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns, never runs the parent's cleanup
        os.close(read)
        code = 0
        try:
            payload = pickle.dumps((True, function(*args, **kwargs)))
        except BaseException:  # noqa: BLE001 - everything goes back to the parent
            code = 1
            payload = pickle.dumps((False, traceback.format_exc()))
        try:
            with os.fdopen(write, "wb") as out:
                out.write(payload)
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)
    os.close(write)
    with os.fdopen(read, "rb") as source:
        data = source.read()
    _, status = os.waitpid(pid, 0)
    if not data:
        pytest.fail(f"the child process ended without an answer (wait status {status})", pytrace=False)
    done, value = pickle.loads(data)
    if not done:
        pytest.fail(f"in a child process:\n{value}", pytrace=False)
    return value
