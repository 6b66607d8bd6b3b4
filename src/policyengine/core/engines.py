"""Which matcher answers "which rules hold?": `durable` (durable_rules, a C extension) where it
imports, else `python` (the pure-Python matcher); `POLICYENGINE_ENGINE` or an `engine=` argument
overrides the choice. Both are compiled from the same named conditions and their match sets are
combined by `semantics`, so they give one answer.

`policyengine --version` reads it before the command-line modules load.
"""

from __future__ import annotations

import functools
import os
import sys
from typing import NamedTuple

from .errors import EngineError
from .spelling import did_you_mean

ENGINES = ("durable", "python")
ENV = "POLICYENGINE_ENGINE"
INSTALL = ('pip install "durable-rules==2.0.28" (Python 3.10 to 3.12, with a C compiler and the Python '
           "headers; on 3.13 or later build upstream's unreleased fix, see docs/install.md)")


class Choice(NamedTuple):
    """The engine in use and why it was chosen (a NamedTuple, not attrs: read at start-up)."""

    name: str
    reason: str

    def __str__(self) -> str:
        return f"{self.name} ({self.reason})"


def durable_missing() -> str | None:
    """Why durable_rules cannot be used here, or None when it imports."""
    try:
        import durable_rules_engine  # noqa: F401 - imported to learn that it works
    except ImportError as exc:
        installed = "is not installed" if isinstance(exc, ModuleNotFoundError) else f"does not import ({exc})"
        return f"durable_rules {installed} on Python {sys.version_info[0]}.{sys.version_info[1]}"
    return None


@functools.lru_cache(maxsize=1)
def default() -> Choice:
    """The engine chosen when the library loads: `POLICYENGINE_ENGINE`, else durable where
    durable_rules imports, else python. Call `default.cache_clear()` after changing the variable."""
    asked = os.environ.get(ENV, "").strip()
    if asked:
        return Choice(check(asked, where=ENV), f"{ENV}={asked}")
    missing = durable_missing()
    if missing is None:
        return Choice("durable", "durable_rules imports")
    return Choice("python", missing)


def check(name: object, where: str = "engine") -> str:
    """`name` if it is an engine that can run here; else an EngineError naming the fix."""
    if name not in ENGINES:
        raise EngineError(f"unknown engine '{name}'", where=where, hint=did_you_mean(str(name), ENGINES))
    if name == "durable":
        missing = durable_missing()
        if missing is not None:
            instead = f"{ENV}=python" if where == ENV else "engine='python'"
            raise EngineError(f"the durable engine was asked for, but {missing}", where=where,
                              hint=f"{INSTALL}; or use {instead}, which gives the same answers")
    return str(name)


def resolve(name: str | None) -> str:
    """The engine to use for `name` (None: the default choice)."""
    return default().name if name is None else check(name)


def version_line(version: str) -> str:
    """What `policyengine --version` prints: the version, the engine and why."""
    try:
        chosen = str(default())
    except EngineError as exc:
        chosen = f"none: {exc}"
    return f"policyengine {version} (engine: {chosen})"
