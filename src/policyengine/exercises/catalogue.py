"""Where the exercises live: the public folders students get (brief, starting file, public cases;
installed with the library) and the course folder the teacher keeps (hidden cases, reference
solutions, answer keys; never installed).

A course folder holds one folder per exercise, `NN/key.yaml` (the hidden data) and
`NN/reference.yaml` (the reference solution), as `exercises/README.md` describes.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from ..core.data import data_dir
from ..core.errors import SuiteError
from ..core.vocabulary import did_you_mean
from ..core.yamlio import load_yaml

KINDS = ("policy", "scenarios", "answers")
KEY_FILE = "key.yaml"
REFERENCE_FILE = "reference.yaml"


@attrs.frozen
class Exercise:
    """One exercise: its public folder and data, and (for a teacher) its course key."""

    number: str
    kind: str
    title: str
    folder: Path
    public: Mapping[str, Any] = attrs.field(eq=False, repr=False)
    key_folder: Path | None = None
    key: Mapping[str, Any] = attrs.field(factory=dict, eq=False, repr=False)

    @property
    def start(self) -> Path:
        """The starting file the student edits."""
        return self.folder / "start.yaml"

    @property
    def has_key(self) -> bool:
        """True when the course key was given: hidden cases are graded too."""
        return self.key_folder is not None

    def reference(self) -> Path:
        """The reference solution (in the course folder)."""
        if self.key_folder is None:
            raise SuiteError(f"exercise {self.number} has no course key here", where="exercise",
                             hint="the reference solution is in the teacher's course folder: pass --key COURSE_DIR")
        return self.key_folder / str(self.key.get("reference", REFERENCE_FILE))

    def key_file(self, name: str) -> Path:
        """A file of the course key (an instrument kept from students, say)."""
        if self.key_folder is None:
            raise SuiteError(f"exercise {self.number} needs its course key for '{name}'", where="exercise",
                             hint="pass --key COURSE_DIR")
        return self.key_folder / name


def exercises_dir() -> Path:
    """The folder of public exercise folders (`exercises/` in a checkout, the installed copy otherwise)."""
    return data_dir() / "exercises"


def numbers(root: Path | None = None) -> tuple[str, ...]:
    """The exercise numbers under `root` (default: the installed exercises), in order."""
    root = root or exercises_dir()
    return tuple(sorted(p.name for p in root.iterdir() if p.is_dir() and (p / "public.yaml").is_file()))


def exercise(number: str, key: Path | None = None, root: Path | None = None) -> Exercise:
    """One exercise by number (`1` or `01`), with its course key when `key` (a course folder) is given;
    SuiteError naming the known numbers otherwise."""
    root = root or exercises_dir()
    known = numbers(root)
    name = number.zfill(2) if number.isdigit() else number
    if name not in known:
        raise SuiteError(f"no exercise '{number}' in {root}", where="exercise",
                         hint=did_you_mean(name, known) if name and known else
                         f"choose one of {', '.join(known) or '(none yet: policyengine exercise new)'}")
    folder = root / name
    public = load_yaml(str(folder / "public.yaml"))
    kind = str(public.get("kind", ""))
    if kind not in KINDS:
        raise SuiteError(f"unknown kind '{kind}'", where=f"{folder / 'public.yaml'}: kind",
                         hint=did_you_mean(kind, KINDS))
    key_folder, key_data = None, {}
    if key is not None:
        key_folder = Path(key) / name
        if not (key_folder / KEY_FILE).is_file():
            raise SuiteError(f"no key for exercise {name} in course folder {key}", where=str(key_folder / KEY_FILE),
                             hint="give the course folder that holds NN/key.yaml (e.g. course/)")
        key_data = load_yaml(str(key_folder / KEY_FILE)) or {}
    return Exercise(name, kind, str(public["title"]), folder, public, key_folder, key_data)
