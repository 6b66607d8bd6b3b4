"""What would change the answer: the smallest sets of field changes that give another verdict.

One field first, then two; over the classes of values the instrument tells apart; never the
activity; deterministic; each offered change with the provision that would then decide.
"""

from __future__ import annotations

from typing import ClassVar

import pytest

import policyengine as pe
from policyengine import registry
from policyengine.core.conditions import evaluate
from policyengine.explanation.counterfactual import FIXED, Counterfactual, candidate_changes, counterfactuals
from policyengine.testing.suites import named, named_scenarios

VOCAB = registry.vocabulary()


def offered(decision: pe.Decision, policy: str | pe.Evaluator | None = None) -> tuple[Counterfactual, ...]:
    """The counterfactuals the library offers for a decision."""
    judge = policy if isinstance(policy, pe.Evaluator) else registry.evaluator(decision.policy)
    return counterfactuals(decision, judge)


def words(found: tuple[Counterfactual, ...]) -> list[str]:
    """The sentences of the counterfactuals, in order."""
    return [cf.words() for cf in found]


def applied(decision: pe.Decision, cf: Counterfactual,
            policy: str | pe.Evaluator | None = None) -> pe.Decision:
    """The decision after applying a counterfactual's changes (each field set to its `applied` value)."""
    trial = {**decision.scenario, **{c.field: c.applied for c in cf.changes}}
    return pe.evaluate(trial, policy=policy or decision.policy, interpretation=decision.interpretation)


class TestSingleChanges:
    """One field at a time, each class of values the instrument tells apart."""

    def test_use_outside_korea(self):
        """Moving the use to Korea or to North Korea would make it permitted, each by its own provision."""
        decision = pe.evaluate(named("use-self-deactivating-mine-outside-korea", pe.vocabulary()).fields, policy="biden-2022")
        assert (decision.verdict, decision.deciding_rules) == ("prohibited", ("B22-3",))
        found = words(offered(decision))
        assert "it would be permitted by B22-6 if location were korean_dmz or south_korea" in found
        assert "it would be permitted by B22-6.north-korea if location were north_korea" in found

    def test_each_change_really_changes_the_verdict(self):
        """Every change offered for the use outside Korea gives another verdict, the one it states."""
        decision = pe.evaluate(named("use-self-deactivating-mine-outside-korea", pe.vocabulary()).fields, policy="biden-2022")
        for cf in offered(decision):
            after = applied(decision, cf)
            assert after.verdict != decision.verdict
            assert (after.verdict, after.deciding_rules) == (cf.decision.verdict, cf.decision.deciding_rules)

    def test_values_of_one_field_with_one_outcome_are_joined(self):
        """Two classes of purpose with the same outcome are offered as one change naming both values."""
        decision = pe.evaluate(named("row-28-destroy-functional-apl-not-for-korea", pe.vocabulary()).fields,
                               policy="biden-2022")
        assert (decision.verdict, decision.deciding_rules) == ("required", ("B22-5",))
        (joined,) = [cf for cf in offered(decision) if cf.changes[0].field == "purpose"]
        assert joined.words() == ("it would be not addressed if purpose were defense_of_korea or "
                                  "countermine_training")
        for value in joined.changes[0].values:
            after = pe.evaluate({**decision.scenario, "purpose": value}, policy="biden-2022")
            assert (after.verdict, after.deciding_rules) == ("not_addressed", ())

    def test_numeric_field_is_changed_by_its_range(self):
        """A self-destruct period is offered as a range of days, each side with its provision."""
        decision = pe.evaluate(named("row-15-non-persistent-anti-vehicle-mine-outside-korea", pe.vocabulary()).fields,
                               policy="trump-2020")
        assert decision.verdict == "conditional"
        found = offered(decision)
        assert "it would be permitted by T20-4.anti-vehicle if self_destruct_days <= 30" in words(found)
        assert "it would be prohibited by T20-5 if self_destruct_days >= 31" in words(found)
        for cf in found:
            for change in cf.changes:
                assert evaluate(change.condition, {change.field: change.applied}, VOCAB) is True

    def test_date_is_changed_only_when_the_scenario_gives_one(self):
        """A dated question may be answered otherwise on another date; an undated one is not re-dated."""
        fields = {"activity": "use", "mine": "anti_personnel", "persistence": "persistent",
                  "location": "south_korea", "detectable": True}
        judge = registry.evaluator("bush-2004")
        dated = pe.evaluate({**fields, "date": "2009-05-01"}, policy="bush-2004")
        assert (dated.verdict, dated.deciding_rules) == ("permitted", ("B04-2.korea",))
        assert "it would be prohibited by B04-2 if date >= 2011-01-01" in words(offered(dated))
        assert not [c for c in candidate_changes(judge, dict(fields)) if c.field == "date"]

    def test_interpretation_is_kept(self):
        """The changes are tried under the reading the decision used."""
        fields = named("row-34-transfer-apl-to-rok-for-defense-of-korea", pe.vocabulary()).fields
        framing = pe.evaluate(fields, policy="biden-2022")
        literal = pe.evaluate(fields, policy="biden-2022", interpretation={"b22-2-korea": "literal"})
        assert (framing.verdict, literal.verdict) == ("not_addressed", "prohibited")
        assert "it would be prohibited by B22-2 if location were elsewhere" in words(offered(framing))
        assert not any(c.field == "location" for cf in offered(literal) for c in cf.changes)
        for cf in offered(literal):
            assert dict(cf.decision.interpretation) == dict(literal.interpretation)

    def test_none_found(self):
        """A Claymore export is outside trump-2020 whatever one or two other facts are: nothing is offered."""
        decision = pe.evaluate(named("row-35-export-claymore-to-ally", pe.vocabulary()).fields, policy="trump-2020")
        assert (decision.verdict, decision.reason) == ("not_addressed", "out_of_scope")
        assert offered(decision) == ()


    def test_no_change_whose_every_outcome_repeats_the_verdict(self, make_policy):
        """No change is offered whose every possible outcome has the original verdict (a Claymore of unknown
        activation is not addressed either way: by silence if victim-activated, by definition if not)."""
        judge = make_policy("""\
            - id: T-1
              effect: prohibited
              when: {activity: transfer}
              source: S1
              quote: "no transfer"
            """, scope="{any: [{mine: anti_personnel}, "
                       "{mine: directional_fragmentation, activation: victim}]}")
        decision = pe.evaluate({"activity": "train", "mine": "anti_personnel"}, policy=judge)
        assert (decision.verdict, decision.reason) == ("not_addressed", "no_rule_applies")
        for cf in offered(decision, judge):
            outcomes = {r.verdict for r in cf.decision.residual} or {cf.decision.verdict}
            assert outcomes != {decision.verdict}, cf.words()


class TestPairs:
    """Two fields only when no single change alters the verdict."""

    FIELDS: ClassVar = {"activity": "destroy", "mine": "anti_vehicle", "activation": "victim",
              "purpose": "defense_of_korea"}

    def test_pairs_when_no_single_change_suffices(self):
        """Destroying anti-vehicle mines kept for Korea needs both another mine and another purpose."""
        decision = pe.evaluate(self.FIELDS, policy="biden-2022")
        assert (decision.verdict, decision.reason, decision.deciding_rules) == (
            "not_addressed", "out_of_scope", ("B22-1.apl",))
        found = offered(decision)
        assert found and all(len(cf.changes) == 2 for cf in found)
        assert ("it would be required by B22-5 if mine were anti_personnel and purpose were combat, "
                "training or war_reserve") in words(found)

    def test_no_single_candidate_changes_the_verdict(self):
        """When pairs are offered, no single candidate change alters the verdict."""
        decision = pe.evaluate(self.FIELDS, policy="biden-2022")
        judge = registry.evaluator("biden-2022")
        for change in candidate_changes(judge, dict(decision.scenario)):
            after = pe.evaluate({**decision.scenario, change.field: change.applied}, policy="biden-2022")
            assert after.verdict == decision.verdict, change

    def test_each_pair_changes_two_fields_and_the_verdict(self):
        """Each pair changes two different fields and together gives the verdict it states."""
        decision = pe.evaluate(self.FIELDS, policy="biden-2022")
        for cf in offered(decision):
            first, second = cf.changes
            assert first.field != second.field
            assert applied(decision, cf).verdict == cf.decision.verdict != decision.verdict


class TestPossibleScenariosOnly:
    """A counterfactual never describes a scenario the vocabulary's contradictions forbid."""

    def test_no_longer_self_destruct_time_for_a_compliant_design(self):
        """A compliant design under trump-2020 is not told what a 31-day self-destruct time would do."""
        decision = pe.evaluate(named("row-08-remote-apl-compliant-sd-sda-outside-korea", VOCAB).fields, policy="trump-2020")
        found = offered(decision)
        assert all(VOCAB.contradiction({**decision.scenario, **{c.field: c.applied for c in cf.changes}}) is None
                   for cf in found)
        assert "it would be prohibited by T20-6 if compliant_sd_sda were false" in words(found)
        assert not [w for w in words(found) if "self_destruct_days >= 31" in w]

    def test_a_contradicted_change_comes_with_the_change_it_needs(self):
        """A persistent mine under bush-2004 is offered the compliant design only as a non-persistent one (B04-4)."""
        decision = pe.evaluate(named("persistent-apl-south-korea-away-from-border", VOCAB).fields, policy="bush-2004")
        pair = [cf for cf in offered(decision) if cf.changes[0].field == "compliant_sd_sda"]
        assert [cf.words() for cf in pair] == [
            "it would be permitted by B04-4 if compliant_sd_sda were true and persistence were non_persistent"]
        assert (pair[0].decision.verdict, pair[0].decision.deciding_rules) == ("permitted", ("B04-4",))


class TestSearchSpace:
    """The candidates: the classes of the instrument's fields, never the activity, never the present value."""

    @pytest.mark.parametrize("policy", ["biden-2022", "trump-2020"])
    @pytest.mark.parametrize("name", sorted(named_scenarios(pe.vocabulary())))
    def test_never_the_activity_nor_the_present_value(self, name, policy):
        """No change touches the activity or offers a value the scenario already has."""
        decision = pe.evaluate(named(name, pe.vocabulary()).fields, policy=policy)
        for cf in offered(decision):
            for change in cf.changes:
                assert change.field not in FIXED
                if change.values and change.field in decision.scenario:
                    assert decision.scenario[change.field] not in change.values
                assert change.applied != decision.scenario.get(change.field)

    def test_deterministic(self):
        """Asking twice gives the same changes in the same order."""
        decision = pe.evaluate(named("use-self-deactivating-mine-outside-korea", pe.vocabulary()).fields, policy="trump-2020")
        judge = registry.evaluator("trump-2020")
        first = [cf.to_dict() for cf in counterfactuals(decision, judge)]
        assert first == [cf.to_dict() for cf in counterfactuals(decision, judge)]

    def test_order_follows_the_vocabulary(self):
        """Changes are listed in the vocabulary's field order."""
        decision = pe.evaluate(named("use-self-deactivating-mine-outside-korea", pe.vocabulary()).fields, policy="trump-2020")
        fields = [cf.changes[0].field for cf in offered(decision)]
        order = list(VOCAB.names)
        assert fields == sorted(fields, key=order.index)

    def test_to_dict(self):
        """The JSON form of a change names field, values, applied value, condition, outcome and sentence."""
        decision = pe.evaluate(named("use-self-deactivating-mine-outside-korea", pe.vocabulary()).fields, policy="biden-2022")
        (korea,) = [cf for cf in offered(decision) if cf.decision.deciding_rules == ("B22-6",)]
        assert korea.to_dict() == {
            "changes": [{"field": "location", "values": ["korean_dmz", "south_korea"],
                         "applied": "korean_dmz", "condition": "location in [korean_dmz, south_korea]"}],
            "verdict": "permitted", "reason": None, "deciding_rules": ["B22-6"],
            "text": "it would be permitted by B22-6 if location were korean_dmz or south_korea"}


class TestKnownProblems:
    """Counterfactuals that read wrongly to a student (strict xfails: they pass once fixed)."""

    def test_condition_of_a_joined_change_covers_all_its_values(self, make_policy):
        """The condition of a change holds for every value the change lists."""
        judge = make_policy("""\
            - id: P-1
              effect: required
              when: {activity: destroy, purpose: war_reserve}
              source: S1
              quote: "destroy the war reserve"
            - id: X-1
              effect: prohibited
              when: {activity: retain, purpose: combat}
              source: S2
              quote: "no combat stock"
            """)
        decision = pe.evaluate({"activity": "destroy", "mine": "anti_personnel", "purpose": "war_reserve"},
                               policy=judge)
        assert (decision.verdict, decision.deciding_rules) == ("required", ("P-1",))
        (joined,) = [cf for cf in offered(decision, judge) if cf.changes[0].field == "purpose"]
        assert len(joined.changes[0].values) > 1
        for cf in offered(decision, judge):
            for change in cf.changes:
                for value in change.values:
                    assert evaluate(change.condition, {change.field: value}, VOCAB) is True, (change, value)
