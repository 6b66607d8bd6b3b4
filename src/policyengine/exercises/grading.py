"""Grade a student's file against an exercise's public and hidden cases.

Three kinds of exercise: `policy` (the student writes a policy file; each case is a scenario with
the verdict and deciding provisions expected), `scenarios` (the student writes scenarios that tell
two instruments apart; each case is a kind of difference, named by the provisions deciding it on
each side) and `answers` (the student answers questions; the reference answers are computed by the
engine or the claim checker when the check runs). Every case result carries feedback in three
tiers: which case fails; which provision or field is mishandled; a counterexample. A hidden case's
result never carries its expected verdict or answer. Hidden cases are graded only when the teacher's
course key is given (`policyengine exercise grade ... --key COURSE_DIR`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from .catalogue import Exercise


@attrs.frozen
class CaseResult:
    """One case: passed or not, with feedback by tier (1 which case, 2 which provision, 3 counterexample)."""

    label: str
    hidden: bool
    passed: bool
    failure: str = ""  # tier 1
    provisions: tuple[str, ...] = ()  # tier 2: the provisions (or fields) mishandled
    detail: tuple[str, ...] = ()  # tier 2, in words
    example: str = ""  # tier 3
    example_kind: str = "counterexample"
    public_info: Mapping[str, Any] = attrs.field(factory=dict)  # public cases only: what is expected
    guard: bool = False  # a hidden case the start file already passes: no marks, but failing it costs full marks


def cases_of(ex: Exercise, name: str) -> list[tuple[Mapping[str, Any], bool]]:
    """The public cases under `name`, then (given the course key) the hidden ones, each with whether it is
    hidden."""
    return [(c, False) for c in ex.public.get(name, [])] + [(c, True) for c in ex.key.get(name, [])]


def guards_of(ex: Exercise) -> list[Mapping[str, Any]]:
    """The course key's guards: cases the start file already passes, which a solution must keep."""
    return list(ex.key.get("guards", []))
