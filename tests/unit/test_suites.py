"""The scenario-suite runner: named scenarios, suite files, run_case, and `policyengine suite`."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

import policyengine as pe

from policyengine.cli.app import main
from policyengine.core.errors import ScenarioError, SuiteError
from policyengine.testing import suites

NAMED = """\
scenarios:
  transfer-for-destruction:
    question: May APL be transferred for destruction?
    brief: {row: 30}
    fields: {activity: transfer, mine: anti_personnel, purpose: destruction, recipient: state}
  use-outside-korea:
    question: May self-deactivating APL be used outside Korea?
    brief: {row: 4}
    fields: {activity: use, mine: anti_personnel, persistence: non_persistent, location: elsewhere}
"""


@pytest.fixture
def suite_dir(tmp_path: Path, monkeypatch):
    """A scenarios/ folder of our own (named.yaml and suites/), in place of the bundled one."""
    root = tmp_path / "scenarios"
    (root / "suites").mkdir(parents=True)
    (root / "named.yaml").write_text(NAMED, encoding="utf-8")
    monkeypatch.setattr(suites, "scenarios_dir", lambda: root)
    suites.named_scenarios.cache_clear()
    yield root
    suites.named_scenarios.cache_clear()


def write_suite(root: Path, text: str, name: str = "test.yaml") -> Path:
    """Write a suite file under root/suites and return its path."""
    path = root / "suites" / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def one_case(root: Path, case: str, policy: str = "biden-2022") -> suites.Case:
    """Load a suite holding one case (the YAML of the case's mapping) and return the case."""
    text = f"policy: {policy}\ncases:\n" + textwrap.indent(textwrap.dedent(case), "  ")
    (case_,) = suites.load_suite(write_suite(root, text), pe.bundled())
    return case_


class TestNamedScenarios:
    """scenarios/named.yaml: questions with their fields."""

    def test_named_scenario_fields(self, suite_dir):
        """A named scenario has its question, typed fields and brief row."""
        scenario = suites.named("transfer-for-destruction", pe.vocabulary())
        assert scenario.question == "May APL be transferred for destruction?"
        assert dict(scenario.fields) == {"activity": "transfer", "mine": "anti_personnel",
                                         "purpose": "destruction", "recipient": "state"}
        assert scenario.row == 30

    def test_unknown_name_suggests(self, suite_dir):
        """An unknown name fails with the nearest one."""
        with pytest.raises(ScenarioError, match="did you mean 'use-outside-korea'"):
            suites.named("use-outside-kore", pe.vocabulary())

    def test_bad_field_in_named_file(self, suite_dir):
        """A named scenario with an unknown value is a SuiteError naming the file and the fix."""
        (suite_dir / "named.yaml").write_text(NAMED.replace("purpose: destruction", "purpose: destuction"))
        suites.named_scenarios.cache_clear()
        message = r"named.yaml:\d+: unknown value 'destuction' .*did you mean 'destruction'"
        with pytest.raises(SuiteError, match=message):
            suites.named_scenarios(pe.vocabulary())

    def test_bundled_contract_scenarios(self):
        """The two scenarios named in the contract exist in the bundled file."""
        assert suites.named("transfer-apl-for-destruction", pe.vocabulary()).fields["purpose"] == "destruction"
        assert suites.named("use-self-deactivating-mine-outside-korea", pe.vocabulary()).fields["location"] == "elsewhere"


class TestLoadSuite:
    """Suite files become Case values; malformed ones fail with file:line."""

    def test_named_case(self, suite_dir):
        """A case on a named scenario keeps its label, fields, expectations and brief cell."""
        case = one_case(suite_dir, """\
            - scenario: transfer-for-destruction
              verdict: permitted
              deciding: [B22-2.destruction]
              brief: {row: 30, cell: "P [B22-2]"}
              confidence: low
              note: >-
                a note
                on two lines
            """)
        assert (case.policy, case.label, case.verdict, case.deciding) == (
            "biden-2022", "transfer-for-destruction", "permitted", ("B22-2.destruction",))
        assert (case.row, case.cell, case.confidence, case.note) == (
            30, "P [B22-2]", "low", "a note on two lines")
        assert case.where.endswith("test.yaml:3")

    def test_inline_case_with_overrides(self, suite_dir):
        """An inline scenario is labelled 'inline'; `with` adds fields to a named one and replaces others."""
        inline = one_case(suite_dir, """\
            - scenario: {activity: use, mine: anti_vehicle}
              verdict: not_addressed
              reason: out_of_scope
            """)
        assert (inline.label, dict(inline.fields), inline.reason) == (
            "inline", {"activity": "use", "mine": "anti_vehicle"}, "out_of_scope")
        named = one_case(suite_dir, """\
            - scenario: transfer-for-destruction
              with: {purpose: combat, location: elsewhere}
              verdict: prohibited
            """)
        assert named.fields["purpose"] == "combat"
        assert named.fields["location"] == "elsewhere"
        assert named.fields["recipient"] == "state"

    def test_outcomes_and_interpretation(self, suite_dir):
        """Outcomes are kept with sorted deciding ids; interpretation readings are kept."""
        case = one_case(suite_dir, """\
            - scenario: {activity: transfer, mine: anti_personnel}
              interpretation: {b22-2-korea: literal}
              verdict: conditional
              outcomes:
                - {verdict: prohibited, deciding: [B22-2]}
                - {verdict: permitted, deciding: [B22-2.mine-action]}
            """)
        assert case.interpretation == {"b22-2-korea": "literal"}
        assert case.deciding == ()
        assert set(case.outcomes) == {("prohibited", ("B22-2",)), ("permitted", ("B22-2.mine-action",))}

    @pytest.mark.parametrize("case, message", [
        ("- scenario: transfer-for-destruction\n  verdit: permitted\n",
         r"test.yaml:4: unknown key 'verdit' in a case; did you mean 'verdict'"),
        ("- scenario: transfer-for-destruction\n", r"test.yaml:3: case has no 'verdict'"),
        ("- verdict: permitted\n", r"test.yaml:3: case has no 'scenario'"),
        ("- scenario: transfer-for-destruction\n  verdict: permited\n",
         r"test.yaml:4: unknown verdict 'permited'; did you mean 'permitted'"),
        ("- scenario: transfer-for-destructon\n  verdict: permitted\n",
         r"unknown scenario 'transfer-for-destructon'; did you mean 'transfer-for-destruction'"),
        ("- scenario: {activity: use, mine: antipersonnel}\n  verdict: prohibited\n",
         r"test.yaml:3: unknown value 'antipersonnel' for field 'mine'"),
        ("- scenario: transfer-for-destruction\n  with: {locaton: elsewhere}\n  verdict: permitted\n",
         r"unknown field 'locaton'; did you mean 'location'"),
        ("- just words\n", r"case 1 is not a mapping"),
    ])
    def test_malformed_case(self, suite_dir, case, message):
        """A malformed case fails with SuiteError, naming the line and the fix."""
        with pytest.raises(SuiteError, match=message):
            one_case(suite_dir, case)

    def test_unknown_policy(self, suite_dir):
        """A suite naming an unknown instrument fails at the policy line with a suggestion."""
        path = write_suite(suite_dir, "policy: biden-2021\ncases: []\n")
        message = r"test.yaml:1: unknown policy 'biden-2021'; did you mean 'biden-2022'"
        with pytest.raises(SuiteError, match=message):
            suites.load_suite(path, pe.bundled())

    def test_not_a_suite(self, suite_dir):
        """A file without policy and a list of cases is refused."""
        path = write_suite(suite_dir, "cases: {}\n")
        with pytest.raises(SuiteError, match="a suite needs 'policy' and a list of 'cases'"):
            suites.load_suite(path, pe.bundled())

    def test_all_cases_reads_every_suite(self, suite_dir):
        """all_cases gathers the cases of every file under suites/, in file order."""
        case = "cases:\n  - {scenario: use-outside-korea, verdict: prohibited}\n"
        write_suite(suite_dir, "policy: biden-2022\n" + case, "a.yaml")
        write_suite(suite_dir, "policy: trump-2020\n" + case, "b.yaml")
        assert [(c.policy, c.label) for c in suites.all_cases(pe.bundled())] == [
            ("biden-2022", "use-outside-korea"), ("trump-2020", "use-outside-korea")]


class TestRunCase:
    """run_case compares verdict, deciding rules, reason and outcomes."""

    def test_passing_case(self, suite_dir):
        """A correct expectation passes, with the decision attached."""
        result = suites.run_case(one_case(suite_dir, """\
            - scenario: transfer-for-destruction
              verdict: permitted
              deciding: [B22-2.destruction]
            """), pe.bundled())
        assert result.passed and result.problems == ()
        assert (result.decision.verdict, result.decision.deciding_rules) == (
            "permitted", ("B22-2.destruction",))

    def test_wrong_verdict(self, suite_dir):
        """A wrong verdict is a problem naming both."""
        result = suites.run_case(one_case(suite_dir, """\
            - scenario: transfer-for-destruction
              verdict: prohibited
              deciding: [B22-2.destruction]
            """), pe.bundled())
        assert not result.passed
        assert result.problems == ("verdict permitted, expected prohibited",)

    def test_wrong_deciding_rules(self, suite_dir):
        """The right verdict with the wrong deciding rules still fails."""
        result = suites.run_case(one_case(suite_dir, """\
            - scenario: transfer-for-destruction
              verdict: permitted
              deciding: [B22-2]
            """), pe.bundled())
        assert result.problems == ("deciding ['B22-2.destruction'], expected ['B22-2']",)

    def test_missing_deciding_means_none(self, suite_dir):
        """A definite case without `deciding` expects no deciding rule, so a decided case fails."""
        result = suites.run_case(one_case(suite_dir, """\
            - scenario: transfer-for-destruction
              verdict: permitted
            """), pe.bundled())
        assert result.problems == ("deciding ['B22-2.destruction'], expected []",)

    def test_wrong_reason(self, suite_dir):
        """A wrong reason is a problem."""
        result = suites.run_case(one_case(suite_dir, """\
            - scenario: {activity: use, mine: anti_vehicle}
              verdict: not_addressed
              deciding: [B22-1.apl]
              reason: no_rule_applies
            """), pe.bundled())
        assert result.problems == ("reason out_of_scope, expected no_rule_applies",)

    def test_conditional_with_outcomes(self, suite_dir):
        """A conditional case listing each outcome passes without `deciding`, and fails on a wrong outcome."""
        good = suites.run_case(one_case(suite_dir, """\
            - scenario: {activity: transfer, mine: anti_personnel, location: elsewhere}
              verdict: conditional
              outcomes:
                - {verdict: prohibited, deciding: [B22-2]}
                - {verdict: permitted, deciding: [B22-2.mine-action]}
                - {verdict: permitted, deciding: [B22-2.training]}
                - {verdict: permitted, deciding: [B22-2.destruction]}
            """), pe.bundled())
        assert good.passed, good.problems
        bad = suites.run_case(one_case(suite_dir, """\
            - scenario: {activity: transfer, mine: anti_personnel, location: elsewhere}
              verdict: conditional
              outcomes:
                - {verdict: prohibited, deciding: [B22-2]}
            """), pe.bundled())
        assert not bad.passed
        assert bad.problems[0].startswith("outcomes [")

    def test_interpretation_is_applied(self, suite_dir):
        """A case's interpretation selects the reading it is evaluated under."""
        result = suites.run_case(one_case(suite_dir, """\
            - scenario:
                {activity: transfer, mine: anti_personnel, location: south_korea, purpose: defense_of_korea}
              interpretation: {b22-2-korea: literal}
              verdict: prohibited
              deciding: [B22-2]
            """), pe.bundled())
        assert result.passed, result.problems

    def test_evaluation_error_is_a_problem(self, suite_dir):
        """An error while evaluating (a reading that does not exist) is reported, not raised."""
        result = suites.run_case(one_case(suite_dir, """\
            - scenario: transfer-for-destruction
              interpretation: {b22-2-korea: literl}
              verdict: permitted
              deciding: [B22-2.destruction]
            """), pe.bundled())
        assert result.decision is None
        assert len(result.problems) == 1 and result.problems[0].startswith("error: ")
        assert "did you mean 'literal'" in result.problems[0]


class TestSuiteCommand:
    """`policyengine suite` (an alias of `policyengine test` over the bundled suites) prints each failure."""

    SUITE = """\
        policy: biden-2022
        cases:
          - scenario: transfer-for-destruction
            verdict: permitted
            deciding: [B22-2.destruction]
          - scenario: use-outside-korea
            verdict: permitted
            deciding: [B22-3]
        """

    def test_failures_are_printed(self, suite_dir, capsys):
        """One failing case: status 1, a FAIL line naming file:line and the problem, and the totals."""
        write_suite(suite_dir, self.SUITE)
        status = main(["suite"])
        out = capsys.readouterr().out
        assert status == 1
        assert out.startswith("FAIL") and "test.yaml:6" in out
        assert "expected: permitted, decided by B22-3" in out and "actual:   prohibited, decided by B22-3" in out
        assert "2 cases: 1 passed, 1 failed" in out

    def test_all_pass(self, suite_dir, capsys):
        """When every case passes the status is 0."""
        write_suite(suite_dir, self.SUITE.replace("verdict: permitted\n            deciding: [B22-3]",
                                                  "verdict: prohibited\n            deciding: [B22-3]"))
        status = main(["suite"])
        assert status == 0
        assert "2 cases: 2 passed, 0 failed" in capsys.readouterr().out

    def test_policy_filter(self, suite_dir, capsys):
        """--policy runs only that instrument's cases."""
        write_suite(suite_dir, self.SUITE)
        status = main(["suite", "--policy", "trump-2020"])
        assert status == 0
        assert "0 cases: 0 passed, 0 failed" in capsys.readouterr().out
