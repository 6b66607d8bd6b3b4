"""The claim checker: statements about US landmine policy in controlled English, checked exhaustively
over the scenario space (TRUE with the provisions, FALSE with a smallest counterexample, or DEPENDS ON
READING)."""

from __future__ import annotations

from .check import check, claim
from .grammar import FORMS, parse_claim
from .result import Answer, ClaimResult, Example, ReadingAnswer
from .suite import ClaimCase, ClaimOutcome, is_claims_file, load_claims_file, run_claim_files, run_claims_file

__all__ = ["FORMS", "Answer", "ClaimCase", "ClaimOutcome", "ClaimResult", "Example", "ReadingAnswer", "check",
           "claim", "is_claims_file", "load_claims_file", "parse_claim", "run_claim_files", "run_claims_file"]
