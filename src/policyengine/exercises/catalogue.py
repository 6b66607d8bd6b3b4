"""Where the exercises live: the public folders (brief, starting file, public cases) and the hidden
reference data the checker reads (packaged with the library, never in an exercise folder)."""

from __future__ import annotations

from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import attrs

from ..core.errors import SuiteError
from ..registry import data_dir
from ..core.vocabulary import did_you_mean
from ..core.yamlio import load_yaml

KINDS = ("policy", "scenarios", "answers")


@attrs.frozen
class Exercise:
    """One exercise: its public folder and data, and the hidden reference data."""

    number: str
    kind: str
    title: str
    folder: Path
    public: Mapping[str, Any] = attrs.field(eq=False, repr=False)
    hidden: Mapping[str, Any] = attrs.field(eq=False, repr=False)

    @property
    def start(self) -> Path:
        """The starting file the student edits."""
        return self.folder / "start.yaml"

    def reference(self) -> Path:
        """The reference solution (hidden data)."""
        return hidden_dir() / str(self.hidden["reference"])


def exercises_dir() -> Path:
    """The folder of public exercise folders (`exercises/` in a checkout, the installed copy otherwise)."""
    return data_dir() / "exercises"


def hidden_dir() -> Path:
    """The packaged folder of hidden reference data."""
    return Path(str(resources.files("policyengine.exercises").joinpath("hidden")))


def numbers() -> tuple[str, ...]:
    """The exercise numbers, in order."""
    return tuple(sorted(p.name for p in exercises_dir().iterdir() if p.is_dir() and (p / "public.yaml").is_file()))


def exercise(number: str) -> Exercise:
    """One exercise by number (`1` or `01`); SuiteError naming the known numbers otherwise."""
    known = numbers()
    key = number.zfill(2) if number.isdigit() else number
    if key not in known:
        raise SuiteError(f"no exercise '{number}'", where="exercise",
                         hint=did_you_mean(key, known) if key else f"choose one of {', '.join(known)}")
    folder = exercises_dir() / key
    public = load_yaml(str(folder / "public.yaml"))
    hidden = load_yaml(str(hidden_dir() / f"{key}.yaml"))
    return Exercise(key, str(public["kind"]), str(public["title"]), folder, public, hidden)
