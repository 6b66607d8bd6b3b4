"""How many times in a row a file has failed an exercise's check: the feedback tier grows with it.

This is pacing, not security: the count is kept in a small JSON file next to the student's own file,
`.policyengine-tries.json` in the same folder (`POLICYENGINE_STATE_DIR` moves it elsewhere), and a
student who edits or deletes it, or passes `--tier 3`, sees every tier at once. Nothing hidden is
behind a tier: hidden cases and reference answers are never on the student's machine. The count is
keyed by exercise and file name, and reset when the file passes every case.
"""

from __future__ import annotations

import json
import os
import warnings
from pathlib import Path

from ..core.errors import PolicyEngineWarning

STATE_NAME = ".policyengine-tries.json"
MAX_BYTES = 1_000_000  # a state file larger than this is not ours: it is reset


class StateWarning(PolicyEngineWarning):
    """The try counter file was damaged and has been reset."""


def state_file(path: Path | None = None) -> Path:
    """Where the try counts of `path` are kept (its folder, unless POLICYENGINE_STATE_DIR is set)."""
    override = os.environ.get("POLICYENGINE_STATE_DIR")
    if override:
        return Path(override) / STATE_NAME
    return (path.resolve().parent if path is not None else Path.cwd()) / STATE_NAME


def _load(target: Path) -> dict[str, int]:
    """The counts in the state file; a damaged file is reset, with a warning."""
    try:
        with open(target, "rb") as handle:
            text = handle.read(MAX_BYTES + 1)
    except OSError:
        return {}
    try:
        data = json.loads(text) if len(text) <= MAX_BYTES else None
    except ValueError:
        data = None
    if isinstance(data, dict) and all(type(v) is int and v >= 0 for v in data.values()):
        return {str(k): v for k, v in data.items()}
    warnings.warn(f"{target} is damaged (not a mapping of files to try counts); the counts start again",
                  StateWarning, stacklevel=3)
    return {}


def record(number: str, path: Path, passed: bool) -> int:
    """Count one more check of `path` for the exercise; return the tries so far (1 on the first failure)."""
    key = f"{number}:{path.resolve().name}"
    target = state_file(path)
    counts = _load(target)
    tries = 0 if passed else counts.get(key, 0) + 1
    if passed:
        counts.pop(key, None)
    else:
        counts[key] = tries
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(counts, indent=1, sort_keys=True), encoding="utf-8")
    except OSError:  # a read-only folder: feedback still works, at the tier of a first try
        pass
    return max(tries, 1)
