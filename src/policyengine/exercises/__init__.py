"""Graded course exercises: public briefs and cases in `exercises/NN/` (installed), hidden cases and
reference solutions in the teacher's course folder (`course/NN/`, never installed)."""

from __future__ import annotations

from .catalogue import Exercise, exercise, numbers
from .gradebook import grade_folder
from .grading import CaseResult
from .report import Report, check, grade, to_csv

__all__ = ["CaseResult", "Exercise", "Report", "check", "exercise", "grade", "grade_folder", "numbers", "to_csv"]
