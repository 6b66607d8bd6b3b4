"""Provision coverage: exact percentages, what counts as reached and decided, generated scenarios."""

from __future__ import annotations

from fractions import Fraction

import pytest

import policyengine as pe
from policyengine.registry import bundled
from policyengine.cli.test import parse_threshold
from policyengine.testing.coverage import Coverage, percent, scenario_deciding, show_percent
from policyengine.testing.runner import run_tests


class TestPercent:
    """Percentages are exact fractions, printed truncated."""

    @pytest.mark.parametrize("value, shown", [
        (Fraction(8999, 100), "89.99"), (Fraction(899999, 10000), "89.99"), (Fraction(90), "90.00"),
        (Fraction(100), "100.00"), (Fraction(0), "0.00"), (Fraction(200, 3), "66.66"),
    ])
    def test_truncated_to_two_decimals(self, value, shown):
        """Two decimals, never rounded up: 89.9999 prints 89.99."""
        assert show_percent(value) == shown

    def test_threshold_compared_exactly(self):
        """A coverage just under the threshold does not meet it, however close."""
        assert percent(9, 10) == 90 and percent(0, 0) == 100
        almost = Coverage(())
        assert almost.meets(Fraction(100))
        assert parse_threshold("89.99") < 90 and parse_threshold("90%") == 90
        assert Fraction(899999, 10000) < parse_threshold("90")


class TestMeasure:
    """What each case contributes to coverage."""

    def test_reached_decided_and_both_truths(self, student):
        """A provision that decided a case is reached and decided; its condition was seen true and false."""
        rows = {p.rule: p for p in run_tests([student], pe.bundled()).coverage.instruments[0].provisions}
        assert [c.label for c in rows["S-1"].decided_by] == ["use-outside-korea"]
        assert [c.label for c in rows["S-1.korea"].decided_by] == ["use-in-korea"]
        assert rows["S-1"].reached and rows["S-1"].seen_true and rows["S-1"].seen_false
        assert not rows["S-2"].reached and not rows["S-2"].seen_true and rows["S-2"].seen_false
        assert rows["S-3"].reached_by == () and rows["S-3"].line > rows["S-2"].line

    def test_open_provisions_are_reached(self, tmp_path):
        """A case that leaves a provision's field open reaches it; the provisions of its branches decide."""
        (tmp_path / "s.yaml").write_text(
            "policy: biden-2022\ncases:\n  - scenario: {activity: use, mine: anti_personnel, persistence: persistent}\n"
            "    verdict: prohibited\n    deciding: [B04-2, B22-3]\n")
        run = run_tests([tmp_path], pe.bundled())
        assert run.failures == [], [r.problems for r, _ in run.failures]
        rows = {p.rule: p for p in run.coverage.instruments[0].provisions}
        assert rows["B22-3"].decided and rows["B22-3"].reached
        assert not rows["B22-3"].seen_true and not rows["B22-3"].seen_false  # its location was open
        assert not rows["B22-6"].reached and rows["B22-6"].seen_false  # it needs non-persistent mines

    def test_out_of_scope_reaches_nothing(self, tmp_path):
        """A case outside the instrument's scope reaches no provision."""
        (tmp_path / "s.yaml").write_text(
            "policy: ottawa\ncases:\n  - scenario: {activity: use, mine: anti_vehicle}\n"
            "    verdict: not_addressed\n    reason: out_of_scope\n    deciding: [OTT-Art2.1]\n")
        run = run_tests([tmp_path], pe.bundled())
        assert run.failures == []
        coverage = run.coverage.instruments[0]
        assert coverage.reached == 0 and coverage.decided == 0


class TestGenerated:
    """A scenario for each provision that never decided."""

    def test_reading_only_provision(self):
        """A provision of a non-default reading decides under that reading, and the scenario says so."""
        judge = bundled().evaluator("biden-2022")
        found = scenario_deciding(judge, "B22-5.training-ottawa")
        assert found is not None and found.interpretation == {"b22-training-retention": "ottawa_aligned"}
        decision = judge.evaluate(found.scenario, found.interpretation)
        assert decision.deciding_rules == ("B22-5.training-ottawa",) and decision.verdict == found.verdict
        assert found.words().endswith("--interpretation b22-training-retention=ottawa_aligned")

    def test_scenario_is_small_and_certain(self):
        """The scenario keeps only the fields the provision needs, and decides in every branch."""
        judge = bundled().evaluator("biden-2022")
        found = scenario_deciding(judge, "B22-4")
        assert found is not None and found.interpretation == {}
        decision = judge.evaluate(found.scenario)
        assert decision.deciding_rules == ("B22-4",) and not decision.residual
        assert set(found.scenario) < set(judge.classes)

    def test_reading_of_another_provision(self, student):
        """A provision that decides only once another provision's reading removes its exception is found."""
        text = ((student / "student-policy.yaml").read_text()
                .replace("    interpretation: {retention: broad}\n", "")
                .replace("    exception_to: [S-2]\n", "    exception_to: [S-2]\n    interpretation: {retention: narrow}\n"))
        path = student / "policy.yaml"
        path.write_text(text)
        judge = pe.Evaluator.of(pe.load_policy(path))
        found = scenario_deciding(judge, "S-2")
        assert found is not None and found.interpretation == {"retention": "broad"}
        assert judge.evaluate(found.scenario, found.interpretation).deciding_rules == ("S-2",)

    def test_never_deciding_provision(self, student):
        """An exception that defeats its rule on every scenario leaves the rule no scenario."""
        (inst,) = run_tests([student], pe.bundled()).coverage.instruments
        rows = {p.rule: p for p in inst.provisions}
        assert rows["S-2"].generated is None
        assert rows["S-2"].to_dict()["generated"] is None
