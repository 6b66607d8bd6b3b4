"""A cache of loaded files on disk: what was built from a set of files, pickled with a key made of
their paths, sizes and modification times (as Python's own bytecode cache does) and the library's and
Python's versions, so the next process skips parsing them.

It serves only the bundled instruments (`registry`), which a process loads once: from the cache,
their loading takes about 2 ms instead of about 25 ms, and PyYAML is not imported at all. The cache
lives in `$POLICYENGINE_CACHE_DIR`, else `$XDG_CACHE_HOME/policyengine`, else
`~/.cache/policyengine`; `POLICYENGINE_CACHE=off` turns it off. A file that cannot be read, written
or unpickled is ignored (and rebuilt): the cache never changes an answer, only how soon it comes.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from .version import __version__

T = TypeVar("T")
FORMAT = 2  # 2: not-rules carry `when`, rules `paraphrase`. Bump when what is pickled changes shape in a way the library version does not say


def cache_dir() -> Path | None:
    """Where cached files go, or None when the cache is off."""
    if os.environ.get("POLICYENGINE_CACHE", "").lower() in ("0", "off", "no", "false"):
        return None
    override = os.environ.get("POLICYENGINE_CACHE_DIR")
    if override:
        return Path(override)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "policyengine"


def key(files: Sequence[Path]) -> tuple[Any, ...]:
    """The files' paths, sizes and modification times, the library's version and Python's."""
    stamps = []
    for path in files:
        info = os.stat(path)
        stamps.append((str(path), info.st_size, info.st_mtime_ns))
    return (FORMAT, __version__, sys.version, tuple(stamps))


def cached(name: str, files: Sequence[Path], build: Callable[[], T]) -> T:
    """What `build()` returns for `files`: unpickled from the cache when the files are unchanged,
    else built, then stored for the next process."""
    folder = cache_dir()
    if folder is None:
        return build()
    try:
        stamp = key(files)
    except OSError:  # a file cannot be read: let `build` report it
        return build()
    path = folder / f"{name}.pickle"
    found = _read(path)
    if isinstance(found, tuple) and len(found) == 2 and found[0] == stamp:
        return found[1]
    value = build()
    _write(path, (stamp, value))
    return value


def _read(path: Path) -> Any:
    try:
        with open(path, "rb") as handle:
            return pickle.load(handle)
    except Exception:  # noqa: BLE001 - a missing, damaged or foreign cache file is rebuilt, whatever is wrong
        return None


def _write(path: Path, value: Any) -> None:
    temp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-")
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temp, path)  # atomic: a process reading meanwhile sees the old file or the new one
        temp = None
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        pass  # a read-only home, a full disk, an unpicklable value: run without the cache
    finally:
        if temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp)
