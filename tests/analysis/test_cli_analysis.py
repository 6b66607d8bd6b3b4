"""The diff and compare commands: JSON and text output, user files and bad input."""

from __future__ import annotations

import json

from policyengine.cli.app import main


class TestDiffCommand:
    """`policyengine diff A B`."""

    def test_json_lists_classes_with_witnesses(self, capsys):
        """--json gives classes with both sides and a witness; B22-2.destruction appears after."""
        assert main(["diff", "trump-2020", "biden-2022", "--json"]) == 0
        data = json.loads(capsys.readouterr().out)
        assert 0 < len(data["classes"]) <= 150  # the compactness bound of tests/analysis/test_diff.py
        after = {tuple(c["after"]["deciding_rules"]) for c in data["classes"]}
        assert ("B22-2.destruction",) in after and ("B22-3",) in after

    def test_text_names_the_change(self, capsys):
        """The text form has one line per class, naming both sides."""
        assert main(["diff", "trump-2020", "biden-2022"]) == 0
        assert "permitted by T20-2 -> prohibited by B22-3" in capsys.readouterr().out

    def test_text_starts_with_the_summary(self, capsys):
        """The text form opens with the summary block, before the classes."""
        assert main(["diff", "trump-2020", "biden-2022"]) == 0
        out = capsys.readouterr().out
        assert 0 < out.index("  summary:") < out.index("  changes:")
        assert "- prohibited -> permitted: " in out

    def test_summary_is_at_most_30_lines(self, capsys):
        """--summary prints a line per pair of verdicts (wrapped at 80 columns): at most 30 lines,
        naming the provisions on both sides."""
        assert main(["diff", "trump-2020", "biden-2022", "--summary"]) == 0
        out = capsys.readouterr().out
        assert len(out.splitlines()) <= 30 and "changes:" not in out
        flat = " ".join(out.split())
        assert "not addressed -> permitted: 10 classes; trump-2020 none -> biden-2022 B22-2.destruction," in flat
        assert "permitted -> prohibited: 14 classes; trump-2020 T20-2, T20-4.non-persistent -> biden-2022 B22-1" in flat

    def test_unknown_instrument_exits_2(self, capsys):
        """An unknown id exits 2 with a suggestion."""
        assert main(["diff", "biden-2021", "trump-2020"]) == 2
        assert "did you mean 'biden-2022'" in capsys.readouterr().err

    def test_a_user_file(self, capsys, make_policy):
        """A policy file is accepted in place of an id."""
        judge = make_policy("""\
            - id: U-1
              effect: prohibited
              when: {activity: transfer}
              source: S1
              quote: no transfers
            """)
        assert main(["diff", "biden-2022", judge.policy.path, "--json"]) == 0
        data = json.loads(capsys.readouterr().out)
        assert any(c["before"]["deciding_rules"] == ["B22-2.destruction"] and c["after"]["deciding_rules"] == ["U-1"]
                   for c in data["classes"])


class TestCompareCommand:
    """`policyengine compare A B`."""

    def test_obama_and_biden(self, capsys):
        """obama-2014 against biden-2022: incomparable by prohibitions and less permissive by permissions,
        each with its counterexamples."""
        assert main(["compare", "obama-2014", "biden-2022"]) == 0
        out = " ".join(capsys.readouterr().out.split())  # the words, whatever the width wrapped
        assert "by what each prohibits: obama-2014 and biden-2022 are incomparable" in out
        assert "prohibited by obama-2014 only:" in out and "prohibited by biden-2022 only:" in out
        assert "by what each permits: obama-2014 is less permissive than biden-2022" in out
        assert "permitted by obama-2014 only:" not in out and "permitted by biden-2022 only:" in out
        assert "obama-2014 not addressed; biden-2022 permitted by B22-6" in out

    def test_trump_2020_and_biden(self, capsys):
        """trump-2020 against biden-2022 is incomparable, with a counterexample each way."""
        assert main(["compare", "trump-2020", "biden-2022"]) == 0
        out = capsys.readouterr().out
        assert "incomparable" in out
        assert "permitted by trump-2020 only:" in out and "permitted by biden-2022 only:" in out
