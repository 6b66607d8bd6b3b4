"""How many times in a row a file has failed an exercise's check: the feedback tier grows with it.

The count is kept in a small JSON file, `exercises.json` under the user's cache folder
(`$XDG_CACHE_HOME/policyengine/`, by default `~/.cache/policyengine/`; `POLICYENGINE_STATE_DIR`
overrides the folder). It is keyed by exercise and the file's absolute path, and reset when the file
passes every case. Delete the file to start again.
"""

from __future__ import annotations

import json
import os
from pathlib import Path


def state_file() -> Path:
    """Where the try counts are kept."""
    override = os.environ.get("POLICYENGINE_STATE_DIR")
    if override:
        return Path(override) / "exercises.json"
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "policyengine" / "exercises.json"


def _load() -> dict[str, int]:
    try:
        data = json.loads(state_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): int(v) for k, v in data.items()} if isinstance(data, dict) else {}


def record(number: str, path: Path, passed: bool) -> int:
    """Count one more check of `path` for the exercise; return the tries so far (1 on the first failure)."""
    key = f"{number}:{path.resolve()}"
    counts = _load()
    tries = 0 if passed else counts.get(key, 0) + 1
    if passed:
        counts.pop(key, None)
    else:
        counts[key] = tries
    target = state_file()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(counts, indent=1, sort_keys=True), encoding="utf-8")
    except OSError:  # a read-only home: feedback still works, at the tier of a first try
        pass
    return max(tries, 1)
