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
        """obama-2014 against biden-2022 is less permissive, with the counterexample biden-2022 alone permits."""
        assert main(["compare", "obama-2014", "biden-2022"]) == 0
        out = capsys.readouterr().out
        assert out.startswith("obama-2014 is less permissive than biden-2022")
        assert "permitted by obama-2014 only:" not in out and "permitted by biden-2022 only:" in out
        assert "obama-2014 prohibited by O14-6; biden-2022 permitted by B22-6" in out

    def test_trump_2020_and_biden(self, capsys):
        """trump-2020 against biden-2022 is incomparable, with a counterexample each way."""
        assert main(["compare", "trump-2020", "biden-2022"]) == 0
        out = capsys.readouterr().out
        assert "incomparable" in out
        assert "permitted by trump-2020 only:" in out and "permitted by biden-2022 only:" in out
