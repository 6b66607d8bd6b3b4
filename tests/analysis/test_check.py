"""The consistency check: gaps, conflicts, dead provisions, idle exceptions and duplicates, each with a witness."""

from __future__ import annotations

import textwrap

import pytest

import policyengine as pe
from policyengine.analysis.check import FindingKind, check
from policyengine.cli.app import main

BAN = """\
- id: U-1
  effect: prohibited
  when: {activity: use}
  source: S1
  quote: no use
"""
KOREA = """\
- id: U-1.korea
  effect: permitted
  exception_to: [U-1]
  when: {activity: use, location: [korean_dmz, south_korea]}
  source: S1
  quote: except in Korea
"""


def kinds(findings) -> list[tuple[str, tuple[str, ...]]]:
    """(kind, rules) of each finding, for comparison."""
    return [(str(f.kind), f.rules) for f in findings]


class TestConflicts:
    """Provisions of different effects standing together are a conflict."""

    def test_dropped_exception_is_a_conflict(self, make_policy):
        """Without exception_to, the Korea permission and the ban conflict in Korea; the witness re-evaluates so."""
        judge = make_policy(BAN + KOREA.replace("  exception_to: [U-1]\n", ""))
        (found,) = [f for f in check(judge) if f.kind is FindingKind.CONFLICT]
        assert found.rules == ("U-1", "U-1.korea")
        assert found.witness["location"] in ("korean_dmz", "south_korea")
        d = pe.evaluate(found.witness, policy=judge)
        assert (d.verdict, d.deciding_rules) == ("conflict", ("U-1", "U-1.korea"))

    def test_with_the_exception_there_is_none(self, make_policy):
        """With the exception link the same rules are consistent: no conflict, no idle exception."""
        judge = make_policy(BAN + KOREA)
        assert not [f for f in check(judge) if f.kind in (FindingKind.CONFLICT, FindingKind.SHADOWED_EXCEPTION,
                                                          FindingKind.REDUNDANT_EXCEPTION)]

    def test_bundled_apii_conflict(self):
        """APII's Claymore cells where APII-5.6 and APII-6.ta3a both stand are reported with a witness."""
        found = [f for f in check(pe.bundled().evaluator("apii")) if f.kind is FindingKind.CONFLICT]
        assert found and all(f.rules == ("APII-5.6", "APII-6.ta3a") for f in found)
        d = pe.evaluate(found[0].witness, policy="apii")
        assert (d.verdict, d.deciding_rules) == ("conflict", ("APII-5.6", "APII-6.ta3a"))


class TestDeadProvisions:
    """Provisions that never decide, and exceptions that never matter."""

    def test_always_defeated_rule_never_decides(self, make_policy):
        """A ban whose exception covers all of it never decides, under any reading."""
        judge = make_policy(BAN + KOREA.replace("location: [korean_dmz, south_korea]", "mine: anti_personnel"),
                            scope="{mine: anti_personnel}")
        found = [f for f in check(judge) if f.kind is FindingKind.NEVER_DECIDES]
        assert kinds(found) == [("never_decides", ("U-1",))]
        assert "under any reading" in found[0].message and not found[0].documented

    def test_dead_under_this_reading_live_under_another(self, make_policy):
        """A provision of a non-default reading is reported dead by default, live under its reading, and documented."""
        judge = make_policy(BAN + textwrap.dedent("""\
            - id: U-2
              effect: permitted
              exception_to: [U-1]
              interpretation: {reading-test: broad}
              when: {activity: use, location: elsewhere}
              source: S1
              quote: broad reading
            """), extra="""\
            interpretations:
              reading-test:
                question: Is the ban broad?
                readings: {narrow: the ban admits no exception, broad: use elsewhere is allowed}
                default: narrow
            """)
        (found,) = [f for f in check(judge) if f.kind is FindingKind.NEVER_DECIDES]
        assert found.rules == ("U-2",) and "live under reading-test=broad" in found.message
        assert found.documented

    def test_shadowed_exception(self, make_policy):
        """An exception that never meets its target (transfer vs use) never defeats it."""
        judge = make_policy(BAN + KOREA.replace("activity: use, location", "activity: transfer, location"))
        found = [f for f in check(judge) if f.kind is FindingKind.SHADOWED_EXCEPTION]
        assert kinds(found) == [("shadowed_exception", ("U-1.korea", "U-1"))]

    def test_redundant_exception(self, make_policy):
        """A prohibiting exception to a prohibition changes no verdict."""
        judge = make_policy(BAN + KOREA.replace("effect: permitted", "effect: prohibited"))
        found = [f for f in check(judge) if f.kind is FindingKind.REDUNDANT_EXCEPTION]
        assert kinds(found) == [("redundant_exception", ("U-1.korea", "U-1"))]
        assert pe.evaluate(found[0].witness, policy=judge).deciding_rules == ("U-1.korea",)

    def test_duplicated_rule(self, make_policy):
        """A rule copied under another id is a duplicate."""
        judge = make_policy(BAN + BAN.replace("U-1", "U-1.copy"))
        found = [f for f in check(judge) if f.kind is FindingKind.DUPLICATE_RULE]
        assert kinds(found) == [("duplicate_rule", ("U-1", "U-1.copy"))]


class TestGapsAndDocumentation:
    """Silence inside the scope is a gap; a file documents what it intends."""

    def test_gap_with_witness(self, make_policy):
        """A ban on use leaves transfer of APL unaddressed: a gap whose witness evaluates to not_addressed."""
        judge = make_policy(BAN)
        gaps = [f for f in check(judge) if f.kind is FindingKind.GAP]
        assert gaps and all(f.witness["activity"] != "use" for f in gaps)
        d = pe.evaluate(gaps[0].witness, policy=judge)
        assert (d.verdict, d.reason, d.deciding_rules) == ("not_addressed", "no_rule_applies", ())

    def test_documented_gap(self, make_policy):
        """A `findings:` entry whose `when` covers the gap documents it with its note."""
        judge = make_policy(BAN, extra="""\
            findings:
              - kind: gap
                when: {activity: {not: use}}
                note: The test instrument speaks to use only.
            """)
        gaps = [f for f in check(judge) if f.kind is FindingKind.GAP]
        assert gaps and all(f.documented == "The test instrument speaks to use only." for f in gaps)

    def test_unknown_rule_in_findings_is_an_error(self, make_policy):
        """A `findings:` entry naming an unknown rule is a file error with a suggestion."""
        with pytest.raises(pe.PolicyFileError, match="unknown rule 'U-2'; did you mean 'U-1'"):
            make_policy(BAN, extra="findings:\n  - {kind: gap, rules: [U-2], note: why}\n")


class TestShippedInstruments:
    """Every bundled instrument passes the check or documents each finding in its file."""

    @pytest.mark.parametrize("policy_id", pe.bundled().ids)
    def test_no_undocumented_finding(self, policy_id):
        """check() of the bundled file leaves no finding undocumented."""
        undocumented = [f.words() for f in check(pe.bundled().evaluator(policy_id)) if not f.documented]
        assert undocumented == []


class TestCheckCommand:
    """`policyengine check` prints findings; --strict fails on undocumented ones."""

    def test_strict_fails_on_a_conflict(self, make_policy, capsys):
        """A file with a conflict passes plain check (status 0) and fails --strict (status 1), naming both rules."""
        judge = make_policy(BAN + KOREA.replace("  exception_to: [U-1]\n", ""))
        assert main(["check", judge.policy.path]) == 0
        assert main(["check", "--strict", judge.policy.path]) == 1
        out = capsys.readouterr().out
        assert "finding:" in out and "conflict: U-1, U-1.korea stand undefeated" in out and "e.g. activity=use" in out

    def test_bundled_files_pass_strict(self, capsys):
        """All ten bundled files pass --strict."""
        assert main(["check", "--strict"]) == 0
        assert capsys.readouterr().out.count("ok: ") == 10
