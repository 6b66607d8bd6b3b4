"""Why: `pe.explain(decision, level=...)` and `policyengine explain`, at three levels and in three formats.

Checks the acceptance command of issue 5 for the standard explanation, the short, standard and full
levels, the text, Markdown and JSON formats, and that every provision an explanation relies on is
cited with its id, quote, source title, date, evidence tag and URL, low confidence marked.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import ClassVar

import pytest

import policyengine as pe
from policyengine.cli import app as cli
from policyengine import registry
from policyengine.core.model import EVIDENCE_LABELS
from policyengine.testing.suites import named, named_scenarios

APL_OUTSIDE_KOREA = "use-self-deactivating-mine-outside-korea"
FOR_DESTRUCTION = "transfer-apl-for-destruction"
MARKS = ("[holds]", "[fails]", "[open]")
HEADING = r"^  [^\s-].*:$"  # a block heading of the text rendering (bullets start with "- ")


#: Two bans that between them cover every location, and a transfer ban (rules for `make_policy`).
SPLIT_BAN = """\
    - id: A-out
      effect: prohibited
      when: {activity: use, location: elsewhere}
      source: S1
      quote: "not outside Korea"
    - id: A-in
      effect: prohibited
      when: {activity: use, location: {not: elsewhere}}
      source: S2
      quote: "not in Korea either"
    - id: T-1
      effect: prohibited
      when: {activity: transfer}
      source: S1
      quote: "no transfer"
    """


def flat(text: str) -> str:
    """The text with every run of whitespace made one space (undoes the wrapping at 100 columns)."""
    return " ".join(text.split())


def decide(name: str, policy: str, **interpretation: str) -> pe.Decision:
    """The decision of one instrument on one named scenario."""
    return pe.evaluate(named(name, pe.vocabulary()).fields, policy=policy, interpretation=interpretation or None)


def block(text: str, heading: str) -> list[str]:
    """The lines of the block `heading` of a plain-text explanation (up to the next heading)."""
    lines = text.splitlines()
    start = lines.index(f"  {heading}:") + 1
    end = next((i for i in range(start, len(lines)) if re.match(HEADING, lines[i])), len(lines))
    return lines[start:end]


def _fixture(name: str) -> pe.Evaluator:
    """A policy file of tests/fixtures/good, loaded as a user instrument."""
    return pe.Evaluator.of(pe.load_policy(Path(__file__).parents[1] / "fixtures" / "good" / name))


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run `policyengine ...` in process; return the exit status, stdout and stderr."""
    status = cli.main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


class TestPublicApi:
    """`pe.explain` and `pe.across` are the functions the README documents, whatever was imported before."""

    def test_explain_survives_its_own_first_call(self):
        """pe.explain can be called twice, and after policyengine.cli has been imported (the submodule
        of the same name once replaced the function)."""
        import policyengine.cli  # noqa: F401
        import policyengine.explanation.assemble  # noqa: F401

        assert callable(pe.explain)
        decision = decide(FOR_DESTRUCTION, "biden-2022")
        assert pe.explain(decision, level="short") == pe.explain(decision, level="short")

    def test_across_survives_its_own_first_call(self):
        """pe.across is still the function after the submodule policyengine.analysis.across has been imported."""
        import policyengine.analysis.across  # noqa: F401

        assert callable(pe.across)

    def test_unknown_level_is_refused(self):
        """An unknown level is a ScenarioError that lists the three levels."""
        with pytest.raises(pe.ScenarioError) as err:
            pe.explain(decide(FOR_DESTRUCTION, "biden-2022"), level="long")
        assert "short, standard or full" in str(err.value)

    def test_unknown_format_is_refused(self):
        """An unknown format is a ScenarioError that lists the three formats."""
        with pytest.raises(pe.ScenarioError) as err:
            pe.explain(decide(FOR_DESTRUCTION, "biden-2022"), format="yaml")
        assert "text, markdown or json" in str(err.value)

    def test_user_policy_is_explained_with_its_own_provisions(self):
        """A decision of a user-loaded instrument is explained when the instrument is passed as `policy`."""
        judge = _fixture("exceptions.yaml")
        decision = pe.evaluate({"activity": "transfer", "mine": "anti_personnel", "purpose": "destruction",
                                "recipient": "non_state_actor"}, policy=judge)
        assert (decision.verdict, decision.deciding_rules) == ("prohibited", ("E-1.destruction.non-state",))
        text = pe.explain(decision, policy=judge)
        assert "decided by E-1.destruction.non-state" in flat(text)
        assert "\u201cbut never to a non-state actor\u201d" in text
        assert ("E-1.destruction applies but is defeated by its exception E-1.destruction.non-state"
                in flat(text))


class TestAcceptance:
    """`policyengine explain --policy biden-2022 --scenario use-self-deactivating-mine-outside-korea`."""

    def test_names_b22_3_with_quote_source_and_url(self, capsys):
        """The explanation names B22-3 as deciding, with its quote, source title, date, evidence and URL."""
        decision = decide(APL_OUTSIDE_KOREA, "biden-2022")
        assert (decision.verdict, decision.deciding_rules) == ("prohibited", ("B22-3",))
        status, out, err = run(capsys, "explain", "--policy", "biden-2022", "--scenario", APL_OUTSIDE_KOREA)
        assert status == 0 and err == ""
        assert out.splitlines()[0] == "biden-2022: PROHIBITED"
        assert "Under biden-2022 this is prohibited, decided by B22-3." in flat(out)
        cited = registry.evaluator("biden-2022").citation("B22-3")
        assert cited.quote == "Not use APL outside of the Korean Peninsula"
        decided = "\n".join(block(out, "decided by"))
        assert decided.lstrip().startswith("- B22-3 \u2014 No use outside the Korean Peninsula")
        for part in (f"\u201c{cited.quote}\u201d", cited.source_title, cited.source, cited.url,
                     cited.date.isoformat(), f"[{EVIDENCE_LABELS[cited.evidence]}]"):
            assert part in flat(decided) or part.replace(" ", "") in "".join(decided.split())  # a cut address

    def test_gives_a_change_that_alters_the_verdict(self, capsys):
        """It offers at least one change, among them moving to Korea, which B22-6 would then permit."""
        _, out, _ = run(capsys, "explain", "--policy", "biden-2022", "--scenario", APL_OUTSIDE_KOREA)
        changes = [flat(line) for line in block(out, "what would change the answer")]
        assert changes
        assert "- it would be permitted by B22-6 if location were korean_dmz or south_korea" in changes
        assert "- it would be permitted by B22-6.north-korea if location were north_korea" in changes

    def test_the_cli_prints_what_the_api_returns(self, capsys):
        """`policyengine explain` prints the standard explanation of the API, wrapped to its width."""
        _, out, _ = run(capsys, "explain", "--policy", "biden-2022", "--scenario", APL_OUTSIDE_KOREA)
        api = pe.explain(decide(APL_OUTSIDE_KOREA, "biden-2022"))
        assert "".join(out.split()) == "".join(api.split())


class TestShort:
    """`--level short`: the verdict and its deciding provisions in one sentence."""

    CASES: ClassVar = [
        (FOR_DESTRUCTION, "biden-2022", "permitted", ("B22-2.destruction",),
         "Under biden-2022 this is permitted, decided by B22-2.destruction."),
        (APL_OUTSIDE_KOREA, "biden-2022", "prohibited", ("B22-3",),
         "Under biden-2022 this is prohibited, decided by B22-3."),
        ("row-18-command-detonated-claymore-outside-korea", "biden-2022", "not_addressed", ("B22-1.apl",),
         ("Under biden-2022 this is not addressed: it falls outside what the instrument covers by its "
         "definition B22-1.apl.")),
        (FOR_DESTRUCTION, "trump-2020", "not_addressed", (),
         "Under trump-2020 this is not addressed: no provision of the instrument applies."),
        ("row-15-non-persistent-anti-vehicle-mine-outside-korea", "trump-2020", "conditional",
         ("T20-4.anti-vehicle", "T20-5"),
         ("Under trump-2020 the answer is conditional: permitted or prohibited, depending on "
         "self_destruct_days, which the scenario does not give (T20-4.anti-vehicle, T20-5).")),
    ]

    @pytest.mark.parametrize("name, policy, verdict, deciding, sentence", CASES,
                             ids=[f"{c[1]}:{c[0]}" for c in CASES])
    def test_sentence(self, name, policy, verdict, deciding, sentence):
        """The short explanation is the title and exactly this sentence."""
        decision = decide(name, policy)
        assert (decision.verdict, decision.deciding_rules) == (verdict, deciding)
        title, *rest = pe.explain(decision, level="short").splitlines()
        assert title == f"{policy}: " + decision.verdict.replace("_", " ").upper() + (
            " (OUT OF SCOPE)" if decision.reason == "out_of_scope" else "")
        assert flat(" ".join(rest)) == sentence

    @pytest.mark.parametrize("policy", ["biden-2022", "trump-2020"])
    @pytest.mark.parametrize("name", sorted(named_scenarios(pe.vocabulary())))
    def test_one_sentence_for_every_named_scenario(self, name, policy):
        """For every named scenario the short text is one sentence naming every deciding provision."""
        decision = decide(name, policy)
        body = flat(" ".join(pe.explain(decision, level="short").splitlines()[1:]))
        assert body.startswith(f"Under {policy} ") and body.endswith(".")
        assert not re.search(r"[.;!?]\s+[A-Z]", body), body
        for rule in decision.deciding_rules:
            assert rule in body

    def test_json_has_no_blocks_and_no_counterfactuals(self):
        """The short JSON carries the sentence and the decision, but no blocks and no changes."""
        data = json.loads(pe.explain(decide(FOR_DESTRUCTION, "biden-2022"), level="short", format="json"))
        assert data["level"] == "short" and data["blocks"] == []
        assert "counterfactuals" not in data
        assert data["decision"]["deciding_rules"] == ["B22-2.destruction"]

    def test_cli_short(self, capsys):
        """`--level short` prints the title and the sentence, nothing else."""
        status, out, _ = run(capsys, "explain", "--policy", "biden-2022", "--scenario", FOR_DESTRUCTION,
                             "--level", "short")
        assert status == 0
        assert out == ("biden-2022: PERMITTED\n"
                       "  Under biden-2022 this is permitted, decided by B22-2.destruction.\n")


class TestStandard:
    """The default level: deciding provisions with quote and source, exceptions, readings, flags, changes."""

    def test_sections_of_a_decision_by_exception(self):
        """A permission by exception shows the scenario, the exception, the rule defeated and the changes."""
        decision = decide(FOR_DESTRUCTION, "biden-2022")
        assert decision.defeated_rules == {"B22-2": ("B22-2.destruction",)}
        text = pe.explain(decision)
        headings = [line.strip()[:-1] for line in text.splitlines() if re.match(HEADING, line)]
        assert headings == ["scenario", "decided by", "exceptions", "what would change the answer"]
        assert block(text, "scenario") == [
            "  - activity=transfer mine=anti_personnel purpose=destruction recipient=state"]
        assert block(text, "exceptions")[0] == "  - B22-2 applies but is defeated by its exception B22-2.destruction"
        assert any("Not export or transfer of APL" in line for line in block(text, "exceptions"))

    def test_explanation_is_the_default_level(self):
        """pe.explain without a level gives the standard explanation."""
        decision = decide(FOR_DESTRUCTION, "biden-2022")
        assert pe.explain(decision) == pe.explain(decision, level="standard")

    def test_low_confidence_is_marked_and_flagged(self):
        """A low-confidence deciding provision is marked under its citation and listed among the flags."""
        decision = decide("row-38-non-persistent-apl-inside-north-korea", "biden-2022")
        assert (decision.verdict, decision.deciding_rules) == ("permitted", ("B22-6.north-korea",))
        text = flat(pe.explain(decision))
        note = registry.evaluator("biden-2022").citation("B22-6.north-korea").note
        assert f"LOW CONFIDENCE: {flat(note)}" in text
        assert f"flags: - low confidence (B22-6.north-korea): {flat(note)}" in text

    def test_carried_forward_provision_names_its_origin(self):
        """A provision carried forward from an earlier policy says so under its citation."""
        decision = decide("row-01-persistent-apl-korea", "biden-2022")
        assert (decision.verdict, decision.deciding_rules) == ("prohibited", ("B04-2",))
        assert "carried forward from bush-2004" in pe.explain(decision)

    def test_interpretation_with_its_reading_and_the_other_verdict(self):
        """A decision turning on an ambiguity names the reading used and what the other reading gives."""
        decision = decide("row-34-transfer-apl-to-rok-for-defense-of-korea", "biden-2022")
        assert (decision.verdict, decision.deciding_rules) == ("not_addressed", ())
        text = flat(pe.explain(decision))
        assert "interpretations: - b22-2-korea: Is the B22-2 transfer ban carved out" in text
        assert "Read as 'framing' (the default)" in text
        assert "under 'literal'" in text and "it would be prohibited by B22-2" in text

    def test_other_reading_is_explained_under_that_reading(self):
        """With the literal reading chosen, B22-2 decides and the reading is not called the default."""
        decision = decide("row-34-transfer-apl-to-rok-for-defense-of-korea", "biden-2022",
                          **{"b22-2-korea": "literal"})
        assert (decision.verdict, decision.deciding_rules) == ("prohibited", ("B22-2",))
        text = flat(pe.explain(decision))
        assert "Read as 'literal':" in text and "(the default)" not in text
        assert "under 'framing'" in text and "it would be not addressed (no rule applies)" in text

    def test_cli_interpretation_option(self, capsys):
        """`--interpretation NAME=READING` reaches the explanation."""
        _, out, _ = run(capsys, "explain", "--policy", "biden-2022", "--scenario",
                        "row-34-transfer-apl-to-rok-for-defense-of-korea", "-i", "b22-2-korea=literal",
                        "--level", "short")
        assert "prohibited, decided by B22-2." in flat(out)

    def test_conditional_lists_outcomes_and_provisions_involved(self):
        """A conditional answer lists each outcome with its condition and cites every provision involved."""
        decision = decide("row-15-non-persistent-anti-vehicle-mine-outside-korea", "trump-2020")
        assert decision.verdict == "conditional"
        assert decision.deciding_rules == ("T20-4.anti-vehicle", "T20-5")
        text = pe.explain(decision)
        assert block(text, "possible outcomes") == [
            "  - permitted by T20-4.anti-vehicle if self_destruct_days <= 30",
            "  - prohibited by T20-5 if self_destruct_days >= 31"]
        involved = flat("\n".join(block(text, "provisions involved")))
        for rule in decision.deciding_rules:
            assert f"- {rule} \u2014" in involved

    def test_conditional_groups_several_provisions_of_one_outcome(self):
        """When several provisions give one outcome, each is listed with its own condition."""
        decision = decide(APL_OUTSIDE_KOREA, "trump-2020")
        assert decision.verdict == "conditional"
        outcomes = flat("\n".join(block(pe.explain(decision), "possible outcomes")))
        assert outcomes.startswith("- prohibited if any of these provisions applies:")
        assert "T20-2b if authorization <= combatant_commander and plan_approved_by_secdef = false" in outcomes
        assert "T20-5 if self_destruct_days >= 31" in outcomes
        assert "T20-6 if delivery = remote and (compliant_sd_sda = false or detectable = false)" in outcomes
        assert "- permitted by T20-2 if (self_destruct_days <= 30 and delivery = remote" in outcomes
        # the Combatant Commander's authority with the Secretary's plan approval, or the Secretary's own
        assert ("authorization = combatant_commander and plan_approved_by_secdef = true and "
                "exceptional_circumstances = true and compliant_sd_sda = true") in outcomes
        assert ("authorization >= secretary_of_defense and exceptional_circumstances = true and "
                "compliant_sd_sda = true") in outcomes

    def test_certain_verdict_with_open_facts_lists_what_else_applies(self):
        """A certain verdict with open facts names the provisions that apply only on some facts."""
        decision = decide("row-12-non-detectable-apl", "trump-2020")
        assert (decision.verdict, decision.deciding_rules) == ("prohibited", ("T20-8",))
        also = block(pe.explain(decision), "provisions that also apply, depending on facts not given")
        assert "  - T20-3 also applies if persistence = persistent" in also
        assert "  - T20-6 also applies if delivery = remote" in also

    def test_out_of_scope_cites_the_definition(self):
        """An out-of-scope answer cites the definition that puts the scenario outside the instrument."""
        decision = decide("row-18-command-detonated-claymore-outside-korea", "biden-2022")
        assert (decision.verdict, decision.reason, decision.deciding_rules) == (
            "not_addressed", "out_of_scope", ("B22-1.apl",))
        text = pe.explain(decision)
        assert text.splitlines()[0] == "biden-2022: NOT ADDRESSED (OUT OF SCOPE)"
        cited = flat("\n".join(block(text, "outside the instrument by its definition")))
        assert cited.startswith("- B22-1.apl \u2014 definition of anti")
        assert "\u201canti-personnel landmines prohibited under the Ottawa Convention\u201d" in cited
        assert registry.evaluator("biden-2022").citation("B22-1.apl").url in cited

    def test_not_addressed_says_no_provision_applies(self):
        """A silent instrument says that no provision applies and cites nothing as deciding."""
        decision = decide(FOR_DESTRUCTION, "trump-2020")
        assert (decision.verdict, decision.reason, decision.deciding_rules) == (
            "not_addressed", "no_rule_applies", ())
        text = pe.explain(decision)
        assert "no provision of the instrument applies" in flat(text)
        assert "decided by:" not in text

    def test_date_outside_the_instrument_is_flagged(self, capsys):
        """A date when the instrument was not in force is flagged with its period of force."""
        _, out, _ = run(capsys, "explain", "--policy", "biden-2022", "--scenario", FOR_DESTRUCTION,
                        "--on", "2019-01-01")
        assert "date=2019-01-01" in out
        assert ("dates (biden-2022): biden-2022 was not in force on 2019-01-01 (in force from 2022-06-21 "
                "until 2025-12-02)") in flat(out)

    def test_no_change_found_is_said(self):
        """When no change of one or two fields alters the verdict, the explanation says so."""
        decision = decide("row-35-export-claymore-to-ally", "trump-2020")
        assert decision.verdict == "not_addressed"
        assert block(pe.explain(decision), "what would change the answer") == [
            "  - no change of one or two fields alters the verdict"]

    def test_no_empty_blocks(self, make_policy):
        """Every block has a line, also when different provisions decide on different open facts."""
        judge = make_policy(SPLIT_BAN)
        decision = pe.evaluate({"activity": "use", "mine": "anti_personnel"}, policy=judge)
        assert (decision.verdict, decision.deciding_rules) == ("prohibited", ("A-in", "A-out"))
        data = json.loads(pe.explain(decision, format="json", policy=judge))
        assert all(b["lines"] or b["rows"] for b in data["blocks"]), [b["heading"] for b in data["blocks"]]

    def test_same_verdict_for_every_open_fact_is_not_conditional(self, make_policy):
        """An activity no provision addresses, of a mine type not given, is not addressed either way."""
        judge = make_policy(SPLIT_BAN)
        decision = pe.evaluate({"activity": "train"}, policy=judge)
        assert decision.verdict == "not_addressed"
        assert "not addressed or not addressed" not in pe.explain(decision, level="short", policy=judge)


    def test_provisions_deciding_on_different_facts_are_shown_with_their_facts(self, make_policy):
        """Prohibited everywhere by two bans: each ban is shown with the location on which it decides."""
        judge = make_policy(SPLIT_BAN)
        decision = pe.evaluate({"activity": "use", "mine": "anti_personnel"}, policy=judge)
        assert decision.verdict == "prohibited"
        data = json.loads(pe.explain(decision, format="json", policy=judge))
        texts = [t for b in data["blocks"] for line in b["lines"]
                 for t in [line["text"]] + [child["text"] for child in line["children"]]]
        assert any("A-out" in t and "location = elsewhere" in t for t in texts), texts
        assert any("A-in" in t and "location != elsewhere" in t for t in texts), texts

    def test_not_addressed_either_way_is_not_decided_by_the_definition(self):
        """A Claymore of unknown activation that no provision addresses is not 'decided by' the definition."""
        judge = _fixture("definitions.yaml")
        decision = pe.evaluate({"activity": "train", "mine": "directional_fragmentation"}, policy=judge)
        assert decision.verdict == "not_addressed"
        text = pe.explain(decision, policy=judge)
        assert "decided by" not in text
        assert "D-DEF" in text


class TestFull:
    """`--level full`: every provision of the instrument and each of its conditions marked."""

    def full(self, decision: pe.Decision) -> list[dict]:
        """The lines of the block 'every provision, condition by condition' (from the JSON rendering)."""
        data = json.loads(pe.explain(decision, level="full", format="json"))
        (found,) = [b for b in data["blocks"] if b["heading"] == "every provision, condition by condition"]
        return found["lines"]

    def test_every_rule_of_the_instrument_is_listed(self):
        """The full level lists the scope, then each provision of the reading in use, in file order."""
        decision = decide(FOR_DESTRUCTION, "biden-2022")
        lines = self.full(decision)
        policy = registry.evaluator("biden-2022").policy
        active = [r for r in policy.rules if r.holds_under(decision.interpretation)]
        assert lines[0]["text"] == "scope: [holds] anti_personnel_mine (B22-1.apl)"
        assert [line["text"].split(" (")[0] for line in lines[1:]] == [r.id for r in active]
        for line, rule in zip(lines[1:], active):
            assert line["text"].startswith(f"{rule.id} ({rule.effect}): ")

    def test_every_condition_is_marked(self):
        """Each condition line starts with [holds], [fails] or [open]."""
        for line in self.full(decide(APL_OUTSIDE_KOREA, "trump-2020"))[1:]:
            assert line["children"]
            for child in line["children"]:
                assert child["text"].startswith(MARKS), child["text"]

    def test_marks_and_status_of_the_deciding_and_defeated_rules(self):
        """The deciding exception holds on both conditions; the rule it defeats is shown as defeated."""
        found = self.full(decide(FOR_DESTRUCTION, "biden-2022"))
        lines = {line["text"].split(" (")[0]: line for line in found}
        deciding = lines["B22-2.destruction"]
        assert deciding["text"] == "B22-2.destruction (permitted): applies and decides"
        assert [c["text"] for c in deciding["children"]] == ["[holds] activity = transfer",
                                                              "[holds] purpose = destruction"]
        assert lines["B22-2"]["text"] == "B22-2 (prohibited): applies, but is defeated by B22-2.destruction"
        assert lines["B22-2.training"]["text"] == "B22-2.training (permitted): does not apply"
        assert [c["text"] for c in lines["B22-2.training"]["children"]] == [
            "[holds] activity = transfer", "[fails] purpose = countermine_training"]
        assert [c["text"] for c in lines["B22-3"]["children"]] == [
            "[fails] activity = use", "[open]  location = elsewhere", "[holds] mine != mixed_system"]

    def test_open_rule_status(self):
        """A rule whose conditions hold or are open is reported as depending on facts not given."""
        found = self.full(decide(APL_OUTSIDE_KOREA, "trump-2020"))
        lines = {line["text"].split(" (")[0]: line for line in found}
        assert lines["T20-5"]["text"] == ("T20-5 (prohibited): open: it depends on facts the scenario does "
                                          "not give")
        assert "[open]  self_destruct_days >= 31" in [c["text"] for c in lines["T20-5"]["children"]]

    def test_out_of_scope_rules_are_not_considered(self):
        """Outside the scope, the scope fails and every provision is marked as not considered."""
        lines = self.full(decide("row-18-command-detonated-claymore-outside-korea", "biden-2022"))
        assert lines[0]["text"] == "scope: [fails] anti_personnel_mine (B22-1.apl)"
        assert all(line["text"].endswith("not considered: the scenario is outside the instrument's scope")
                   for line in lines[1:])

    def test_rules_of_another_reading_appear_under_that_reading(self):
        """A provision of another reading is left out, and listed when that reading is chosen."""
        fields = {"activity": "retain", "mine": "anti_personnel", "purpose": "countermine_training"}
        silent = pe.evaluate(fields, policy="biden-2022")
        literal = pe.evaluate(fields, policy="biden-2022",
                              interpretation={"b22-training-retention": "literal"})
        assert (silent.verdict, literal.verdict, literal.deciding_rules) == (
            "not_addressed", "prohibited", ("B22-5.training-retain",))
        assert not any(line["text"].startswith("B22-5.training-retain ") for line in self.full(silent))
        assert ("B22-5.training-retain (prohibited): applies and decides"
                in [line["text"] for line in self.full(literal)])

    def test_full_keeps_the_standard_sections(self):
        """The full level is the standard explanation plus the condition-by-condition block."""
        decision = decide(FOR_DESTRUCTION, "biden-2022")
        standard, full = pe.explain(decision), pe.explain(decision, level="full")
        assert set(standard.splitlines()) <= set(full.splitlines())
        assert "  every provision, condition by condition:" in full.splitlines()

    def test_cli_full_text(self, capsys):
        """`--level full` prints every provision with its marked conditions in plain text."""
        status, out, _ = run(capsys, "explain", "--policy", "biden-2022", "--scenario", FOR_DESTRUCTION,
                             "--level", "full")
        assert status == 0
        lines = block(out, "every provision, condition by condition")
        assert "  - B22-2.destruction (permitted): applies and decides" in lines
        assert "      [holds] purpose = destruction" in lines


class TestFormats:
    """Plain text by default, `--format markdown` and `--format json`."""

    def test_markdown_has_headings_and_bullets(self):
        """Markdown: the title as `##`, each section as `###`, provisions as bullets, quotes nested."""
        text = pe.explain(decide(FOR_DESTRUCTION, "biden-2022"), format="markdown")
        lines = text.splitlines()
        assert lines[0] == "## biden-2022: PERMITTED"
        for heading in ("scenario", "decided by", "exceptions", "what would change the answer"):
            assert f"### {heading}" in lines
        assert "- B22-2.destruction \u2014 Exception for transfer for destruction" in lines
        assert "  - \u201cand for the purpose of destruction\u201d" in lines
        assert "- it would be prohibited by B22-2 if purpose were combat, training or war_reserve" in lines

    def test_json_carries_the_decision_with_its_field_names(self):
        """JSON parses and carries the decision under the design contract's field names."""
        decision = decide(FOR_DESTRUCTION, "biden-2022")
        data = json.loads(pe.explain(decision, format="json"))
        assert data["title"] == "biden-2022: PERMITTED" and data["level"] == "standard"
        assert set(data["decision"]) == {"verdict", "reason", "policy", "deciding_rules", "applicable_rules",
                                         "defeated_rules", "residual", "flags", "sources", "scenario",
                                         "interpretation"}
        assert data["decision"] == decision.to_dict()
        assert data["decision"]["deciding_rules"] == ["B22-2.destruction"]
        assert data["decision"]["defeated_rules"] == {"B22-2": ["B22-2.destruction"]}
        (source,) = data["decision"]["sources"]
        assert set(source) == {"rule", "title", "quote", "source", "source_title", "url", "date", "evidence",
                               "confidence", "note", "inherited_from", "paraphrase"}
        assert (source["rule"], source["quote"], source["date"]) == (
            "B22-2.destruction", "and for the purpose of destruction", "2022-06-22")

    def test_json_carries_the_counterfactuals(self):
        """JSON lists each change that would alter the verdict: field, values and the new decision."""
        data = json.loads(pe.explain(decide(APL_OUTSIDE_KOREA, "biden-2022"), format="json"))
        korea = [c for c in data["counterfactuals"] if c["deciding_rules"] == ["B22-6"]]
        assert korea == [{
            "changes": [{"field": "location", "values": ["korean_dmz", "south_korea"],
                         "applied": "korean_dmz", "condition": "location in [korean_dmz, south_korea]"}],
            "verdict": "permitted", "reason": None, "deciding_rules": ["B22-6"],
            "text": "it would be permitted by B22-6 if location were korean_dmz or south_korea"}]
        texts = [line["text"] for b in data["blocks"] if b["heading"] == "what would change the answer"
                 for line in b["lines"]]
        assert texts == [c["text"] for c in data["counterfactuals"]]

    @pytest.mark.parametrize("fmt", ["markdown", "json"])
    def test_cli_format(self, capsys, fmt):
        """`--format` prints the same rendering as the API."""
        status, out, _ = run(capsys, "explain", "--policy", "biden-2022", "--scenario", FOR_DESTRUCTION,
                             "--format", fmt)
        assert status == 0
        assert out == pe.explain(decide(FOR_DESTRUCTION, "biden-2022"), format=fmt) + "\n"


class TestCitations:
    """Every provision an explanation relies on is cited: id, quote, source title, date, evidence, URL."""

    @pytest.mark.parametrize("policy", ["biden-2022", "trump-2020"])
    @pytest.mark.parametrize("name", sorted(named_scenarios(pe.vocabulary())))
    def test_every_deciding_provision_is_cited_in_full(self, name, policy):
        """Each deciding provision appears with its quote, source, date, evidence tag and URL."""
        decision = decide(name, policy)
        text = flat(pe.explain(decision))
        for cited in decision.sources:
            assert f"- {cited.rule} " in text
            assert flat(f"\u201c{cited.quote}\u201d") in text
            assert flat(f"source {cited.source}: {cited.source_title}") in text
            assert cited.url in text
            assert f"[{EVIDENCE_LABELS[cited.evidence]}]" in text
            if cited.date:
                assert cited.date.isoformat() in text
            if cited.confidence == "low":
                assert flat(f"LOW CONFIDENCE: {cited.note}") in text
                assert f"low confidence ({cited.rule})" in text

    def test_citation_is_that_of_the_reading_in_use(self, make_policy):
        """A provision written once per reading is cited and flagged from the version the reading selects."""
        judge = make_policy("""\
            - id: V-1
              effect: prohibited
              when: {activity: transfer}
              interpretation: {wording: narrow}
              source: S1
              quote: "the narrow wording"
              confidence: low
              note: "the narrow reading rests on one press report"
            - id: V-1
              effect: prohibited
              when: {activity: transfer}
              interpretation: {wording: broad}
              source: S2
              quote: "the broad wording"
            """, extra="""\
            interpretations:
              wording:
                question: Which wording does the ban use?
                readings: {narrow: the first report, broad: the second report}
                default: narrow
            """)
        fields = {"activity": "transfer", "mine": "anti_personnel"}
        narrow = pe.evaluate(fields, policy=judge)
        broad = pe.evaluate(fields, policy=judge, interpretation={"wording": "broad"})
        assert (narrow.verdict, narrow.deciding_rules) == (broad.verdict, broad.deciding_rules) == (
            "prohibited", ("V-1",))
        text = flat(pe.explain(narrow, policy=judge))
        assert "\u201cthe narrow wording\u201d" in text and "source S1: Test source one" in text
        assert "LOW CONFIDENCE: the narrow reading rests on one press report" in text
        assert "low confidence (V-1)" in text
        text = flat(pe.explain(broad, policy=judge))
        assert "\u201cthe broad wording\u201d" in text and "source S2: Test source two" in text
        assert "narrow wording" not in text and "LOW CONFIDENCE" not in text
        assert "\u201cthe broad wording\u201d" in flat(pe.explain(broad, why_not="V-1", policy=judge))


class TestReadTogether:
    """A decision under PDD-64, which supplements the 1996 policy, says so and points to the combined answer."""

    INERT = "row-42-train-with-inert-apl-unit-deploying-to-korea"

    def test_not_addressed_under_pdd_64_names_the_policy_it_supplements(self):
        """PDD-64 alone is silent on training: the explanation says clinton-1996 still governs it."""
        decision = decide(self.INERT, "clinton-1998-pdd64")
        assert decision.verdict == "not_addressed"
        text = flat(str(pe.explain(decision)))
        assert "clinton-1998-pdd64 supplements clinton-1996 and does not replace it" in text
        assert "What clinton-1998-pdd64 does not address stays as clinton-1996 has it." in text
        assert "evaluate on a date in its period (from 1998-05-15, before 2004-02-27) with --on" in text

    def test_the_combined_answer_is_the_dated_one(self):
        """On a date in PDD-64's period the 1996 training exception decides."""
        day = pe.evaluate_on(named(self.INERT, pe.vocabulary()).fields, "2000-06-01")
        assert (day.verdict, day.deciding_policy, day.deciding_rules) == ("permitted", "clinton-1996",
                                                                           ("C96-7.excepted",))

    def test_short_level_says_it_too(self, capsys):
        """The one-sentence answer carries the pointer as well."""
        assert cli.main(["evaluate", "-p", "clinton-1998-pdd64", "-s", self.INERT, "--level", "short"]) == 0
        assert "supplements clinton-1996" in capsys.readouterr().out

    def test_an_instrument_that_supplements_nothing_says_nothing(self):
        """biden-2022 replaces; its decisions carry no such block."""
        assert "read together" not in str(pe.explain(decide(self.INERT, "biden-2022")))


class TestGroupedOutcomeExceptions:
    """A provision listed under one outcome names the exception that gives another outcome."""

    def test_b04_2_is_not_said_to_apply_always(self):
        """Persistent APL on the DMZ under bush-2004: B04-2 bars it unless the Korea exception (to 2010) applies."""
        decision = decide("row-01-persistent-apl-korea", "bush-2004")
        outcomes = flat("\n".join(block(pe.explain(decision), "possible outcomes")))
        assert "B04-2 always, unless B04-2.korea applies" in outcomes
        assert "if always" not in outcomes
        assert "- permitted by B04-2.korea if detectable = true and date <= 2010-12-31" in outcomes


class TestPeriodWords:
    """An instrument that falls silent under its default reading says so beside its period of force."""

    def test_stat_export_is_silent_after_2008_by_default(self):
        """The statute stays in force (for the other reading) but its default reading ends in 2008."""
        from policyengine.show.display import period_words

        assert period_words(pe.policy("stat-export")) == (
            "1992-10-23 to today (silent after 2008-10-22 under stat-1-after-2008's default reading)")
        assert period_words(pe.policy("biden-2022")) == "2022-06-21 to 2025-12-02"

    def test_the_timeline_shows_it(self, capsys):
        """`policyengine timeline --json` carries the same words."""
        assert cli.main(["timeline", "--json"]) == 0
        rows = {row["policy"]: row for row in json.loads(capsys.readouterr().out)}
        assert "silent after 2008-10-22" in rows["stat-export"]["in_force"]


class TestParaphrase:
    """Words that are not the provision's own are marked as a paraphrase, never put in quotation marks."""

    @pytest.mark.parametrize("rule_id", ["APII-3", "APII-5.6", "APII-8.1d"])
    def test_marked_rules(self, rule_id):
        """The three APII provisions whose words are a commentary's, a summary's or another paragraph's."""
        (rule,) = {r.id: r for r in pe.policy("apii").rules if r.id == rule_id}.values()
        assert rule.paraphrase

    def test_explanation_marks_it(self):
        """A transfer to an APII party is permitted by APII-8.1d; its words are shown as a paraphrase."""
        decision = pe.evaluate({"activity": "transfer", "mine": "anti_personnel", "recipient": "state",
                                "recipient_apii_party": True, "persistence": "non_persistent", "detectable": True,
                                "delivery": "remote", "compliant_sd_sda": True, "self_destruct_days": 2},
                               policy="apii")
        assert (decision.verdict, decision.deciding_rules) == ("permitted", ("APII-8.1d",))
        text = flat(str(pe.explain(decision)))
        assert "paraphrase, not the words of APII-8.1d: not to transfer any mine" in text
        assert "\u201cnot to transfer any mine" not in text

    def test_a_provision_quoted_in_its_own_words_keeps_its_marks(self):
        """B22-2 is quoted as the fact sheet words it."""
        decision = decide(FOR_DESTRUCTION, "biden-2022")
        assert "\u201c" in str(pe.explain(decision)) and "paraphrase" not in str(pe.explain(decision))
