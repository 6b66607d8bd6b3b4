"""How many times in a row a file has failed an exercise's check: the feedback tier grows with it.

The count is kept in a small JSON file, `exercises.json` under the user's cache folder
(`$XDG_CACHE_HOME/policyengine/`, by default `~/.cache/policyengine/`; `POLICYENGINE_STATE_DIR`
overrides the folder). It is keyed by exercise and the file's absolute path, and reset when the file
passes every case. Delete the file to start again.
"""

from __future__ import annotations

import json
import os
import warnings
from pathlib import Path

from ..core.errors import PolicyEngineWarning

MAX_BYTES = 1_000_000  # a state file larger than this is not ours: it is reset


class StateWarning(PolicyEngineWarning):
    """The try counter file was damaged and has been reset."""


def state_file() -> Path | None:
    """Where the try counts are kept; None when there is no absolute place for them (no home)."""
    override = os.environ.get("POLICYENGINE_STATE_DIR")
    if override:
        return Path(override) / "exercises.json" if os.path.isabs(override) else None
    xdg = os.environ.get("XDG_CACHE_HOME")
    cache = xdg if xdg and os.path.isabs(xdg) else os.path.join(os.path.expanduser("~"), ".cache")
    return Path(cache) / "policyengine" / "exercises.json" if os.path.isabs(cache) else None


def _load(path: Path) -> dict[str, int]:
    """The counts in the state file; a damaged file is reset, with a warning."""
    try:
        with open(path, "rb") as handle:
            text = handle.read(MAX_BYTES + 1)
    except OSError:
        return {}
    try:
        data = json.loads(text) if len(text) <= MAX_BYTES else None
    except ValueError:
        data = None
    if isinstance(data, dict) and all(type(v) is int and v >= 0 for v in data.values()):
        return {str(k): v for k, v in data.items()}
    warnings.warn(f"{path} is damaged (not a mapping of files to try counts); the counts start again",
                  StateWarning, stacklevel=3)
    return {}


def record(number: str, path: Path, passed: bool) -> int:
    """Count one more check of `path` for the exercise; return the tries so far (1 on the first failure)."""
    key = f"{number}:{path.resolve()}"
    target = state_file()
    if target is None:
        return 1
    counts = _load(target)
    tries = 0 if passed else counts.get(key, 0) + 1
    if passed:
        counts.pop(key, None)
    else:
        counts[key] = tries
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(counts, indent=1, sort_keys=True), encoding="utf-8")
    except OSError:  # a read-only home: feedback still works, at the tier of a first try
        pass
    return max(tries, 1)
