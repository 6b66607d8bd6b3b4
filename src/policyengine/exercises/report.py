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
        """(passed, total) over the public or the hidden cases (guards aside: they carry no marks)."""
        chosen = [c for c in self.cases if c.hidden == hidden and not c.guard]
        return sum(c.passed for c in chosen), len(chosen)

    @property
    def guards_failed(self) -> int:
        """How many guards fail: cases the start file got right that this file gets wrong."""
        return sum(c.guard and not c.passed for c in self.cases)

    @property
    def passed(self) -> bool:
        """True when every case passes (full marks)."""
        return all(c.passed for c in self.cases)

    @property
    def marks(self) -> float:
        """The share of scored cases passed, 0 to 100 (below 100 while a guard fails)."""
        scored = [c for c in self.cases if not c.guard]
        if not scored:
            return 0.0
        marks = round(100 * sum(c.passed for c in scored) / len(scored), 1)
        return min(marks, 99.9) if self.guards_failed else marks

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
        hidden = (f"hidden cases: {hp}/{ht} passed" if ht else
                  "hidden cases: graded by your teacher")
        if self.guards_failed:
            hidden += f"; {self.guards_failed} guard(s) broken"
        lines = [f"exercise {self.exercise}: {self.title}", f"file: {self.file}",
                 f"public cases: {pp}/{pt} passed; {hidden} ({head})"]
        lines += sorted({f"note: {c.public_info['checked']}" for c in self.cases if "checked" in c.public_info})
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
                "guards_failed": self.guards_failed,
                "cases": [{"label": c.label, "hidden": c.hidden, "passed": c.passed,
                           **({} if c.hidden else dict(c.public_info)),
                           "feedback": [] if c.passed else self.feedback(c)} for c in self.cases]}


def check(ex: Exercise, path: Path, corpus: Corpus, tier: int = 1) -> Report:
    """Grade `path` against the exercise (its public cases, and its hidden ones when the exercise carries
    the course key) on the corpus's instruments and vocabulary, with feedback up to `tier` (1 to 3)."""
    return Report(ex.number, ex.title, str(path), grade(ex, path, corpus), max(1, min(TIERS, tier)))


CSV_COLUMNS = ("student", "exercise", "file", "public_passed", "public_total", "hidden_passed", "hidden_total",
               "guards_failed", "marks", "full_marks", "error")


def csv_row(r: Report, student: str = "", error: str = "") -> tuple[Any, ...]:
    """One gradebook row (a file that could not be read: marks 0 and the reason)."""
    pp, pt = r.score(False)
    hp, ht = r.score(True)
    return (student or Path(r.file).stem, r.exercise, Path(r.file).as_posix(), pp, pt, hp, ht, r.guards_failed,
            0.0 if error else r.marks, "yes" if r.passed and not error else "no", error)


def to_csv(reports: Sequence[Report], students: Sequence[str] = (), errors: Sequence[str] = ()) -> str:
    """One row per file, for a class gradebook: the student (default: the file's name), the scores, and
    the reason a broken file scored 0."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for i, r in enumerate(reports):
        writer.writerow(csv_row(r, students[i] if i < len(students) else "", errors[i] if i < len(errors) else ""))
    return buffer.getvalue()


def grade(ex: Exercise, path: Path, corpus: Corpus) -> tuple[CaseResult, ...]:
    """Every case of the exercise (public first) graded against the student's file on the corpus."""
    graders = {"policy": grade_policy, "scenarios": grade_scenarios, "answers": grade_answers}
    return graders[ex.kind](ex, path, corpus)
