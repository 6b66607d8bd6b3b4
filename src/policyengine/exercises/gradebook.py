"""The teacher's side: grade every submission in a folder against the course key, and write a
gradebook (CSV, one row per file with a student column) or Gradescope's `results.json`.

A file that cannot be read scores 0 with the reason; the run goes on and exits 0. Teacher runs do
not count as a student's tries."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs

from ..core.corpus import Corpus
from ..core.errors import PolicyEngineError, SuiteError
from .catalogue import Exercise
from .report import CSV_COLUMNS, Report, check, csv_row

SUFFIXES = (".yaml", ".yml")


@attrs.frozen
class Entry:
    """One submitted file: the student, the report (empty for a broken file) and why it is broken."""

    student: str
    path: Path
    report: Report
    error: str = ""


def submissions(folder: Path) -> list[tuple[str, Path]]:
    """(student, file) for every YAML file under `folder`: the student is the sub-folder a file is in
    (`alice/answer.yaml`), or the file's name (`alice.yaml`)."""
    if not folder.is_dir():
        raise SuiteError(f"no folder '{folder}'", where="command line", hint="give the folder of submitted files")
    out = []
    for path in sorted(p for p in folder.rglob("*") if p.suffix in SUFFIXES and p.is_file()):
        parts = path.relative_to(folder).parts
        out.append((parts[0] if len(parts) > 1 else path.stem, path))
    return out


def totals(ex: Exercise, corpus: Corpus) -> tuple[int, int]:
    """(public, hidden) numbers of cases, from the reference solution's report."""
    report = check(ex, ex.reference(), corpus)
    return report.score(False)[1], report.score(True)[1]


def grade_folder(ex: Exercise, folder: Path, corpus: Corpus, tier: int = 2) -> list[Entry]:
    """Every submission graded with the course key on the corpus, feedback up to `tier`."""
    out = []
    for student, path in submissions(folder):
        try:
            out.append(Entry(student, path, check(ex, path, corpus, tier)))
        except PolicyEngineError as exc:
            out.append(Entry(student, path, Report(ex.number, ex.title, str(path), (), tier), str(exc)))
        except (OSError, UnicodeError, ValueError, TypeError, KeyError, AttributeError) as exc:
            # a student's file the readers did not foresee: it scores 0 rather than stopping the class
            out.append(Entry(student, path, Report(ex.number, ex.title, str(path), (), tier),
                             f"{path}: cannot be graded ({type(exc).__name__}: {exc})"))
    return out


def gradebook_csv(entries: Sequence[Entry], size: tuple[int, int]) -> str:
    """The gradebook: one CSV row per file; a broken file scores 0 over the exercise's case counts."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for e in entries:
        row = list(csv_row(e.report, e.student, e.error))
        if e.error:
            row[4], row[6] = size
        writer.writerow(row)
    return buffer.getvalue()


def gradescope(entries: Sequence[Entry], size: tuple[int, int]) -> dict[str, Any]:
    """Gradescope's `results.json`: one test per case (hidden ones visible after publication), one
    test scoring 0 for a file that could not be read."""
    tests: list[dict[str, Any]] = []
    several = len(entries) > 1
    for e in entries:
        prefix = f"{e.path.name}: " if several else ""
        if e.error:
            tests.append({"name": f"{prefix}file could not be read", "score": 0.0, "max_score": float(sum(size)),
                          "output": e.error, "visibility": "visible"})
            continue
        for case in e.report.cases:
            worth = 0.0 if case.guard else 1.0  # a guard carries no marks; its failure shows in the output
            tests.append({"name": f"{prefix}{'hidden' if case.hidden else 'public'} case {case.label}",
                          "score": worth if case.passed else 0.0, "max_score": worth,
                          "output": "passed" if case.passed else "\n".join(e.report.feedback(case)),
                          "visibility": "after_published" if case.hidden else "visible"})
    score = sum(t["score"] for t in tests)
    best = sum(t["max_score"] for t in tests) or float(sum(size))
    summary = "; ".join(f"{e.path.name}: {'could not be read' if e.error else f'{e.report.marks:g}%'}"
                        for e in entries) or "no file submitted"
    return {"score": score, "max_score": best, "output": summary, "visibility": "visible",
            "stdout_visibility": "hidden", "tests": tests}
