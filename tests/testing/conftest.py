"""A student's policy and a suite for it, written to a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest

#: A small instrument with a provision that always decides somewhere (S-1, S-1.korea), one that never
#: can (S-2 is always defeated by S-2.always) and one that exists only under a non-default reading (S-3).
STUDENT_POLICY = """\
id: student-policy
title: A student's landmine policy
kind: executive_policy
binds_us: true
announced: 2020-01-01
in_force: {from: 2020-01-01, to: null}
scope: {mine: anti_personnel}
sources:
  S1: {title: "Class notes", url: "https://example.org/notes", date: 2020-01-01, evidence: primary_seen}
interpretations:
  retention:
    question: Does the policy reach stockpiles?
    readings:
      narrow: it speaks of use and transfer only
      broad: it also bars keeping stocks
    default: narrow
rules:
  - id: S-1
    effect: prohibited
    when: {activity: use, location: elsewhere}
    source: S1
    quote: "no use outside Korea"
  - id: S-1.korea
    effect: permitted
    when: {activity: use, location: {not: elsewhere}}
    source: S1
    quote: "use in Korea stays allowed"
  - id: S-2
    effect: prohibited
    when: {activity: transfer}
    source: S1
    quote: "no transfer"
  - id: S-2.always
    effect: permitted
    exception_to: [S-2]
    when: {activity: transfer}
    source: S1
    quote: "except every transfer"
  - id: S-3
    effect: prohibited
    when: {activity: retain}
    interpretation: {retention: broad}
    source: S1
    quote: "no stocks"
"""

#: Two cases of the student policy: one right, one wrong (S-1.korea decides, not S-1).
STUDENT_SUITE = """\
policy: ../student-policy.yaml
cases:
  - name: use-outside-korea
    scenario: {activity: use, mine: anti_personnel, location: elsewhere}
    verdict: prohibited
    deciding: [S-1]
  - name: use-in-korea
    scenario: {activity: use, mine: anti_personnel, location: south_korea}
    verdict: prohibited
    deciding: [S-1]
"""


@pytest.fixture
def student(tmp_path: Path) -> Path:
    """A folder holding student-policy.yaml and suites/student.yaml (whose second case fails)."""
    (tmp_path / "student-policy.yaml").write_text(STUDENT_POLICY, encoding="utf-8")
    (tmp_path / "suites").mkdir()
    (tmp_path / "suites" / "student.yaml").write_text(STUDENT_SUITE, encoding="utf-8")
    (tmp_path / "suites" / "notes.yaml").write_text("title: not a suite\nitems: [1, 2]\n", encoding="utf-8")
    return tmp_path

