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
from pathlib import Path

STATE_NAME = ".policyengine-tries.json"


def state_file(path: Path | None = None) -> Path:
    """Where the try counts of `path` are kept (its folder, unless POLICYENGINE_STATE_DIR is set)."""
    override = os.environ.get("POLICYENGINE_STATE_DIR")
    if override:
        return Path(override) / STATE_NAME
    return (path.resolve().parent if path is not None else Path.cwd()) / STATE_NAME


def _load(target: Path) -> dict[str, int]:
    try:
        data = json.loads(target.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): v for k, v in data.items() if isinstance(v, int) and not isinstance(v, bool)}


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
