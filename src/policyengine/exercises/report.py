"""A graded check: scores for public and hidden cases, and feedback up to the tier the tries reach."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs

from ..core.corpus import Corpus
from .answer_grading import grade_answers
from .catalogue import Exercise
from .grading import CaseResult
from .policy_grading import grade_policy
from .scenario_grading import grade_scenarios

TIERS = 3


@attrs.frozen
class Report:
    """The result of checking one file against one exercise."""

    exercise: str
    title: str
    file: str
    cases: tuple[CaseResult, ...]
    tier: int = 1

    def score(self, hidden: bool) -> tuple[int, int]:
        """(passed, total) over the public or the hidden cases."""
        chosen = [c for c in self.cases if c.hidden == hidden]
        return sum(c.passed for c in chosen), len(chosen)

    @property
    def passed(self) -> bool:
        """True when every case passes (full marks)."""
        return all(c.passed for c in self.cases)

    @property
    def marks(self) -> float:
        """The share of cases passed, 0 to 100."""
        return round(100 * sum(c.passed for c in self.cases) / len(self.cases), 1) if self.cases else 0.0

    def feedback(self, case: CaseResult) -> list[str]:
        """The feedback lines of a failing case, up to the report's tier."""
        lines = [case.failure]
        if self.tier >= 2:
            lines += case.detail
        if self.tier >= 3 and case.example:
            lines.append(f"{case.example_kind}: {case.example}")
        return lines

    def text(self) -> str:
        """The report as the terminal shows it."""
        pp, pt = self.score(False)
        hp, ht = self.score(True)
        head = "full marks" if self.passed else f"{self.marks:g}%"
        lines = [f"exercise {self.exercise}: {self.title}", f"file: {self.file}",
                 f"public cases: {pp}/{pt} passed; hidden cases: {hp}/{ht} passed ({head})"]
        failing = [c for c in self.cases if not c.passed]
        if failing:
            more = "; check again for more" if self.tier < TIERS else ""
            lines.append(f"feedback (tier {self.tier} of {TIERS}{more}):")
            for case in failing:
                first, *rest = self.feedback(case)
                lines.append(f"- {first}")
                lines += [f"    {line}" for line in rest]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """JSON for a gradebook: scores and per-case feedback; hidden cases carry no expected answer."""
        pp, pt = self.score(False)
        hp, ht = self.score(True)
        return {"exercise": self.exercise, "file": self.file, "tier": self.tier, "passed": self.passed,
                "marks": self.marks, "public": {"passed": pp, "total": pt}, "hidden": {"passed": hp, "total": ht},
                "cases": [{"label": c.label, "hidden": c.hidden, "passed": c.passed,
                           **({} if c.hidden else dict(c.public_info)),
                           "feedback": [] if c.passed else self.feedback(c)} for c in self.cases]}


GRADERS = {"policy": grade_policy, "scenarios": grade_scenarios, "answers": grade_answers}  # by exercise kind


def grade(ex: Exercise, path: Path, corpus: Corpus) -> tuple[CaseResult, ...]:
    """Every case of the exercise (public first) graded against the student's file, over `corpus`."""
    return GRADERS[ex.kind](ex, path, corpus)


def check(ex: Exercise, path: Path, corpus: Corpus, tier: int = 1) -> Report:
    """Grade `path` against the exercise over `corpus`, with feedback up to `tier` (1 to 3)."""
    return Report(ex.number, ex.title, str(path), grade(ex, path, corpus), max(1, min(TIERS, tier)))


CSV_COLUMNS = ("exercise", "file", "public_passed", "public_total", "hidden_passed", "hidden_total", "marks",
               "full_marks")


def to_csv(reports: Sequence[Report]) -> str:
    """One row per checked file, for a class gradebook."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in reports:
        pp, pt = r.score(False)
        hp, ht = r.score(True)
        writer.writerow((r.exercise, Path(r.file).as_posix(), pp, pt, hp, ht, r.marks, "yes" if r.passed else "no"))
    return buffer.getvalue()
