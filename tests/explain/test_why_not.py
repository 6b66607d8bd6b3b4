"""Why not: `policyengine explain --why-not RULE_ID ...` and `pe.explain(decision, why_not=...)`.

For one provision: which of its conditions fail or are open for the scenario, or, when it applies,
the exception that defeats it, the provision it conflicts with, or the provisions that outweigh it;
always with the provision's citation.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import policyengine as pe
from policyengine.cli import app as cli
from policyengine import registry
from policyengine.testing.suites import named

GOOD = Path(__file__).parents[1] / "fixtures" / "good"
COMBAT_TRANSFER = ["activity=transfer", "mine=anti_personnel", "purpose=combat", "recipient=state"]


def flat(text: str) -> str:
    """The text with every run of whitespace made one space (undoes the wrapping at 100 columns)."""
    return " ".join(text.split())


def why_not(fields: dict, policy: str | pe.Evaluator, rule: str, **interpretation: str) -> dict:
    """The why-not explanation of `rule` as parsed JSON, with the decision it explains."""
    decision = pe.evaluate(fields, policy=policy, interpretation=interpretation or None)
    return json.loads(pe.explain(decision, why_not=rule, format="json",
                              policy=policy if isinstance(policy, pe.Evaluator) else None))


def lines(data: dict, heading: str) -> list[str]:
    """The texts of the lines of one block of a parsed explanation."""
    return [line["text"] for b in data["blocks"] if b["heading"] == heading for line in b["lines"]]


class TestAcceptance:
    """`policyengine explain --policy biden-2022 --why-not B22-2.destruction activity=transfer ...`."""

    def test_names_the_failing_condition(self, capsys):
        """The exception for destruction fails on purpose, and the scenario's purpose is named."""
        decision = pe.evaluate(dict(p.split("=") for p in COMBAT_TRANSFER), policy="biden-2022")
        assert (decision.verdict, decision.deciding_rules) == ("prohibited", ("B22-2",))
        status = cli.main(["explain", "--policy", "biden-2022", "--why-not", "B22-2.destruction",
                           *COMBAT_TRANSFER])
        out, err = capsys.readouterr()
        assert status == 0 and err == ""
        assert out.splitlines()[0] == "why not B22-2.destruction (biden-2022)"
        assert ("B22-2.destruction does not apply: it requires purpose = destruction, and the scenario has "
                "purpose = combat.") in flat(out)
        assert "  - [fails] purpose = destruction (the scenario has purpose = combat)" in out.splitlines()

    def test_only_the_failing_conditions_are_listed(self, capsys):
        """The condition that holds (activity = transfer) is not listed among the failures."""
        cli.main(["explain", "--policy", "biden-2022", "--why-not", "B22-2.destruction", *COMBAT_TRANSFER])
        out = capsys.readouterr().out
        assert "activity = transfer" not in out

    def test_cites_the_provision(self, capsys):
        """The provision asked about is cited with its quote, source and URL."""
        cli.main(["explain", "--policy", "biden-2022", "--why-not", "B22-2.destruction", *COMBAT_TRANSFER])
        out = flat(capsys.readouterr().out)
        cited = registry.evaluator("biden-2022").citation("B22-2.destruction")
        assert "the provision: - B22-2.destruction \u2014 Exception for transfer for destruction" in out
        assert f"\u201c{cited.quote}\u201d" in out and cited.source_title in out and cited.url in out


class TestStatus:
    """Each way a provision can fail to decide is named, with the JSON status behind it."""

    def test_fails_on_several_conditions(self):
        """A use provision asked about a transfer fails on the activity, naming the scenario's value."""
        data = why_not(named("transfer-apl-for-destruction", pe.vocabulary()).fields, "biden-2022", "B22-3")
        assert data["status"] == "fails" and data["rule"] == "B22-3"
        assert data["summary"] == ("B22-3 does not apply: it requires activity = use, and the scenario has "
                                   "activity = transfer.")
        assert lines(data, "conditions") == ["[fails] activity = use (the scenario has activity = transfer)"]

    def test_open_conditions(self):
        """With location and persistence not given, B22-6 may apply; the open conditions are listed."""
        data = why_not({"activity": "use", "mine": "anti_personnel"}, "biden-2022", "B22-6")
        assert data["decision"]["verdict"] == "conditional"
        assert data["status"] == "open"
        assert data["summary"].startswith("B22-6 may apply: it depends on ")
        assert lines(data, "conditions") == ["[open] location in [korean_dmz, south_korea]",
                                             "[open] persistence = non_persistent"]

    def test_defeated_by_its_exception(self):
        """The transfer ban applies to a transfer for destruction but is defeated by its exception."""
        data = why_not(named("transfer-apl-for-destruction", pe.vocabulary()).fields, "biden-2022", "B22-2")
        assert data["decision"]["deciding_rules"] == ["B22-2.destruction"]
        assert data["status"] == "defeated"
        assert data["summary"] == "B22-2 applies, but it is defeated by its exception B22-2.destruction."
        cited = lines(data, "the provision and its exception")
        assert cited[0].startswith("B22-2 \u2014 No export or transfer")
        assert cited[1].startswith("B22-2.destruction \u2014 Exception for transfer for destruction")

    def test_exception_to_an_exception(self):
        """An exception is itself defeated by an exception to it (a user-loaded instrument)."""
        judge = pe.Evaluator.of(pe.load_policy(GOOD / "exceptions.yaml"))
        data = why_not({"activity": "transfer", "mine": "anti_personnel", "purpose": "destruction",
                        "recipient": "non_state_actor"}, judge, "E-1.destruction")
        assert data["decision"]["deciding_rules"] == ["E-1.destruction.non-state"]
        assert data["status"] == "defeated"
        assert data["summary"] == ("E-1.destruction applies, but it is defeated by its exception "
                                   "E-1.destruction.non-state.")

    def test_the_deciding_provision(self):
        """Asked about the provision that decides, it says so and gives the answer."""
        data = why_not(named("transfer-apl-for-destruction", pe.vocabulary()).fields, "biden-2022", "B22-2.destruction")
        assert data["status"] == "decides"
        assert data["summary"] == "B22-2.destruction applies and decides: the answer is permitted."

    def test_conflict(self, make_policy):
        """A provision that applies beside one of another effect conflicts with it, and names it."""
        judge = make_policy("""\
            - id: C-ban
              effect: prohibited
              when: {activity: use}
              source: S1
              quote: "no use"
            - id: C-allow
              effect: permitted
              when: {activity: use, location: south_korea}
              source: S2
              quote: "use in Korea"
            """)
        fields = {"activity": "use", "mine": "anti_personnel", "location": "south_korea"}
        decision = pe.evaluate(fields, policy=judge)
        assert (decision.verdict, decision.deciding_rules) == ("conflict", ("C-ban", "C-allow"))
        data = why_not(fields, judge, "C-ban")
        assert data["status"] == "conflict"
        assert data["summary"] == "C-ban applies (prohibited) but conflicts with C-allow."
        assert why_not(fields, judge, "C-allow")["summary"] == "C-allow applies (permitted) but conflicts with C-ban."

    def test_outweighed_by_prohibition_overrides(self):
        """A permission that applies is outweighed where the instrument lets prohibitions override."""
        judge = pe.Evaluator.of(pe.load_policy(GOOD / "resolution.yaml"))
        fields = {"activity": "use", "mine": "anti_personnel", "location": "elsewhere"}
        data = why_not(fields, judge, "R-allow")
        assert data["decision"]["verdict"] == "prohibited"
        assert data["decision"]["deciding_rules"] == ["R-ban"]
        assert data["status"] == "outweighed"
        assert data["summary"] == ("R-allow applies (permitted), but the decision is prohibited by R-ban "
                                   "(prohibition overrides).")

    def test_out_of_scope(self):
        """Outside the instrument's scope no provision is considered; the definition is named."""
        data = why_not(named("row-18-command-detonated-claymore-outside-korea", pe.vocabulary()).fields, "biden-2022", "B22-3")
        assert data["decision"]["reason"] == "out_of_scope"
        assert data["status"] == "out_of_scope"
        assert data["summary"] == ("B22-3 is not considered: the scenario falls outside what biden-2022 "
                                   "covers (B22-1.apl).")

    def test_provision_of_another_reading(self):
        """A provision that exists only under another reading says which reading it needs."""
        fields = {"activity": "retain", "mine": "anti_personnel", "purpose": "countermine_training"}
        data = why_not(fields, "biden-2022", "B22-5.training-retain")
        assert data["status"] == "other_reading"
        assert data["summary"] == ("B22-5.training-retain is part of biden-2022 only under another reading "
                                   "(b22-training-retention=literal).")

    def test_same_provision_under_its_reading(self):
        """Under the reading it needs, the same provision decides."""
        fields = {"activity": "retain", "mine": "anti_personnel", "purpose": "countermine_training"}
        data = why_not(fields, "biden-2022", "B22-5.training-retain", **{"b22-training-retention": "literal"})
        assert data["decision"]["verdict"] == "prohibited"
        assert data["status"] == "decides"

    def test_json_carries_the_decision(self):
        """The JSON form carries the rule, its status and the whole decision."""
        data = why_not(named("transfer-apl-for-destruction", pe.vocabulary()).fields, "biden-2022", "B22-3")
        assert set(data) >= {"title", "summary", "blocks", "rule", "status", "decision"}
        assert data["decision"]["verdict"] == "permitted"
        assert data["title"] == "why not B22-3 (biden-2022)"

    def test_markdown(self):
        """The Markdown form has the title heading, the sections and bullet lines."""
        decision = pe.evaluate(dict(p.split("=") for p in COMBAT_TRANSFER), policy="biden-2022")
        text = pe.explain(decision, why_not="B22-2.destruction", format="markdown").splitlines()
        assert text[0] == "## why not B22-2.destruction (biden-2022)"
        assert "### conditions" in text and "### the provision" in text
        assert "- [fails] purpose = destruction (the scenario has purpose = combat)" in text


class TestErrors:
    """An unknown provision is refused with a suggestion."""

    def test_unknown_rule_suggests_the_nearest(self):
        """A misspelt id is a ScenarioError that suggests the provision meant."""
        decision = pe.evaluate(named("transfer-apl-for-destruction", pe.vocabulary()).fields, policy="biden-2022")
        with pytest.raises(pe.ScenarioError) as err:
            pe.explain(decision, why_not="B22-33")
        assert "biden-2022 has no provision 'B22-33'" in str(err.value)
        assert "did you mean 'B22-3'?" in str(err.value)

    def test_cli_exits_2_with_one_line(self, capsys):
        """On the command line an unknown id exits with status 2 and one line on stderr."""
        status = cli.main(["explain", "--policy", "biden-2022", "--why-not", "B22-33", *COMBAT_TRANSFER])
        out, err = capsys.readouterr()
        assert status == 2 and out == ""
        assert err == "error: --why-not: biden-2022 has no provision 'B22-33'; did you mean 'B22-3'?\n"

    def test_provision_of_another_instrument(self):
        """A provision of another instrument is not one of this instrument's."""
        decision = pe.evaluate(named("transfer-apl-for-destruction", pe.vocabulary()).fields, policy="biden-2022")
        with pytest.raises(pe.ScenarioError):
            pe.explain(decision, why_not="T20-2")
