"""A cache of loaded files on disk: what was built from a set of files, kept for the next process so it
skips parsing them, and trusted only when this user's own key signs it.

It serves only the bundled instruments (`registry`), which a process loads once: from the cache their
loading skips PyYAML entirely. The cache lives in `$POLICYENGINE_CACHE_DIR`, else
`$XDG_CACHE_HOME/policyengine`, else `~/.cache/policyengine`; `POLICYENGINE_CACHE=off` turns it off.

Nothing in the cache runs before it is proven to be ours (docs/security.md#the-on-disk-cache):
- the folder must be an absolute path, a real directory owned by this user and closed to others
  (created 0700; one of ours found open is closed); a relative or foreign folder means no cache;
- every file carries an HMAC-SHA256 under a random key kept in the folder (0600, owner checked),
  checked before a byte is unpickled, so a planted or damaged file is never loaded, only replaced;
- the key of an entry is a hash of the library's own code, its installation, its and Python's
  versions and the *contents* of the files it was built from, so a change to any of them rebuilds.
A damaged or foreign cache is ignored and rebuilt with one warning per process: the cache never
changes an answer, only how soon it comes.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import pickle
import secrets
import stat
import sys
import tempfile
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from .core.errors import PolicyEngineWarning
from .version import __version__

T = TypeVar("T")
FORMAT = 3  # bump when what is pickled changes shape in a way the code hash does not say
MAGIC = b"policyengine-cache-3\n"
KEY_FILE = "key"
_DIGEST = hashlib.sha256().digest_size
_PACKAGE = Path(__file__).resolve().parent
_warned = False


class CacheWarning(PolicyEngineWarning):
    """The on-disk cache was damaged, foreign or unsafe and is being ignored."""


def cache_dir() -> Path | None:
    """Where cached files go: an absolute folder, or None when the cache is off or there is no home."""
    if os.environ.get("POLICYENGINE_CACHE", "").lower() in ("0", "off", "no", "false"):
        return None
    override = os.environ.get("POLICYENGINE_CACHE_DIR")
    if override:
        return Path(override) if os.path.isabs(override) else None
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and os.path.isabs(xdg):  # the XDG spec says a relative value is to be ignored
        return Path(xdg) / "policyengine"
    home = os.path.expanduser("~")  # "~" itself when HOME is unset and the user has no passwd entry
    return Path(home) / ".cache" / "policyengine" if os.path.isabs(home) else None


def code_digest() -> bytes:
    """A hash of the library's own Python code (every module of the installed package)."""
    digest = hashlib.sha256()
    for folder, subfolders, names in os.walk(_PACKAGE):
        subfolders[:] = sorted(d for d in subfolders if d != "__pycache__")
        for name in sorted(names):
            if name.endswith(".py"):
                path = os.path.join(folder, name)
                with open(path, "rb") as handle:
                    digest.update(os.path.relpath(path, _PACKAGE).encode() + b"\0" + handle.read() + b"\0")
    return digest.digest()


def key(files: Sequence[Path]) -> bytes:
    """The hash an entry is filed under: format, library and Python versions, installation, the
    library's code and the files' paths and contents."""
    digest = hashlib.sha256()
    for part in (str(FORMAT), __version__, sys.version, str(_PACKAGE)):
        digest.update(part.encode() + b"\0")
    digest.update(code_digest())
    for path in files:
        with open(path, "rb") as handle:
            digest.update(str(path).encode() + b"\0" + hashlib.sha256(handle.read()).digest())
    return digest.digest()


def entry_path(folder: Path, name: str) -> Path:
    """The file of one entry; the format is in its name, so older versions of the library, which write
    another format, keep to their own files."""
    return folder / f"{name}.{FORMAT}.pickle"


def cached(name: str, files: Sequence[Path], build: Callable[[], T]) -> T:
    """What `build()` returns for `files`: read from the cache when it is ours and the files and code are
    unchanged, else built, then stored for the next process."""
    folder = _private_folder()
    if folder is None:
        return build()
    try:
        stamp = key(files)
    except OSError:  # a file cannot be read: let `build` report it
        return build()
    secret = _secret(folder)
    if secret is None:
        return build()
    path = entry_path(folder, name)
    found = _read(path, secret, stamp)
    if found is not None:
        return found[0]
    value = build()
    _write(path, secret, stamp, value)
    return value


def _warn_once(message: str) -> None:
    global _warned
    if not _warned:
        _warned = True
        warnings.warn(f"policyengine cache: {message}; ignored and rebuilt", CacheWarning, stacklevel=4)


def _is_private(info: os.stat_result, kind: int) -> bool:
    return stat.S_IFMT(info.st_mode) == kind and info.st_uid == os.getuid() and not info.st_mode & 0o077


def _private_folder() -> Path | None:
    """The cache folder, created 0700 if missing; None (with a warning) when it is not ours alone."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileExistsError):
            folder.mkdir(mode=0o700)
        info = os.lstat(folder)
        if stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and info.st_mode & 0o077:
            os.chmod(folder, 0o700)  # ours but open to others (an older version made it so): close it
            info = os.lstat(folder)
    except OSError:
        return None  # a read-only home or a file in the way: run without the cache
    if not _is_private(info, stat.S_IFDIR):
        _warn_once(f"{folder} is not a private folder of this user")
        return None
    return folder


def _secret(folder: Path) -> bytes | None:
    """This user's signing key, kept in the cache folder (made on first use); None when it is not ours."""
    path = folder / KEY_FILE
    _new_secret(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as handle:
            secret, info = handle.read(64), os.fstat(handle.fileno())
    except OSError:
        secret, info = b"", None
    if info is not None and _is_private(info, stat.S_IFREG) and len(secret) == 32:
        return secret
    _warn_once(f"the key file {path} is not this user's private key (a link, open to others or damaged)")
    with contextlib.suppress(OSError):
        os.unlink(path)  # the next process makes a new one
    return None


def _new_secret(path: Path) -> None:
    """Make the key file unless it exists, whole at once (written aside, then linked into place)."""
    if os.path.lexists(path):
        return
    temp = None
    try:
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".key-")  # created 0600
        with os.fdopen(fd, "wb") as handle:
            handle.write(secrets.token_bytes(32))
        os.link(temp, path)  # fails when another process made it meanwhile: theirs is kept
    except OSError:
        pass
    finally:
        if temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp)


def _sign(secret: bytes, body: bytes) -> bytes:
    return hmac.new(secret, body, hashlib.sha256).digest()


def _read(path: Path, secret: bytes, stamp: bytes) -> tuple[object] | None:
    """The stored value in a 1-tuple when the file is ours and current; None otherwise (never unpickled
    unless its signature checks)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as handle:
            if not _is_private(os.fstat(handle.fileno()), stat.S_IFREG):
                _warn_once(f"{path} is not this user's private file")
                return None
            data = handle.read()
    except FileNotFoundError:
        return None
    except OSError:
        _warn_once(f"{path} cannot be read")
        return None
    head, signature, body = data[: len(MAGIC)], data[len(MAGIC): len(MAGIC) + _DIGEST], data[len(MAGIC) + _DIGEST:]
    if head != MAGIC or not hmac.compare_digest(signature, _sign(secret, body)):
        _warn_once(f"{path} was not written by this library for this user")
        return None
    if body[:_DIGEST] != stamp:
        return None  # ours but stale: the code or the files changed
    try:
        return (pickle.loads(body[_DIGEST:]),)
    except Exception:  # noqa: BLE001 - signed by us yet unreadable (a class renamed): rebuilt
        _warn_once(f"{path} could not be read back")
        return None


def _write(path: Path, secret: bytes, stamp: bytes, value: object) -> None:
    temp = None
    try:
        body = stamp + pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-")  # created 0600
        with os.fdopen(fd, "wb") as handle:
            handle.write(MAGIC + _sign(secret, body) + body)
        os.replace(temp, path)  # atomic: a process reading meanwhile sees the old file or the new one
        temp = None
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        pass  # a read-only home, a full disk, an unpicklable value: run without the cache
    finally:
        if temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp)
