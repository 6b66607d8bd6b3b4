"""Graded course exercises: public briefs and cases in `exercises/NN/`, hidden reference data here."""

from __future__ import annotations

from .catalogue import Exercise, exercise, numbers
from .grading import CaseResult
from .report import Report, check, grade, to_csv

__all__ = ["CaseResult", "Exercise", "Report", "check", "exercise", "grade", "numbers", "to_csv"]
