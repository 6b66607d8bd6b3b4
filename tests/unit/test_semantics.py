"""The semantics of ARCHITECTURE.md section 5, on small purpose-built policies written to tmp_path."""

from __future__ import annotations

import datetime as dt

import pytest

import policyengine as pe
from policyengine.core import conditions as c
from policyengine.core.errors import ScenarioError

AP = {"mine": "anti_personnel"}


@pytest.fixture(params=["engine", "reference"])
def matcher(request):
    """Both matchers (durable_rules and the reference evaluator) must give the same decisions."""
    return request.param


def decide(judge, matcher="auto", interpretation=None, **fields):
    """Evaluate an anti-personnel-mine scenario (plus `fields`) against `judge`."""
    return pe.evaluate({**AP, **fields}, policy=judge, interpretation=interpretation, matcher=matcher)


def outcome(decision):
    """Verdict, reason and the sorted deciding rule ids of a decision."""
    return decision.verdict, decision.reason, sorted(decision.deciding_rules)


BASE_AND_EXCEPTIONS = """\
- id: X-1
  effect: prohibited
  when: {activity: transfer}
  source: S1
  quote: no transfer
- id: X-1.destruction
  effect: permitted
  exception_to: [X-1]
  when: {activity: transfer, purpose: destruction}
  source: S1
  quote: except for destruction
- id: X-1.destruction.non-state
  effect: prohibited
  exception_to: [X-1.destruction]
  when: {activity: transfer, purpose: destruction, recipient: non_state_actor}
  source: S2
  quote: never to a non-state actor
"""


class TestExceptions:
    """An applicable rule is defeated when an applicable rule lists it in exception_to."""

    def test_base_rule_alone(self, make_policy, matcher):
        """With no exception applicable, the base prohibition decides and nothing is defeated."""
        d = decide(make_policy(BASE_AND_EXCEPTIONS), matcher, activity="transfer", purpose="combat",
                   recipient="state")
        assert outcome(d) == ("prohibited", None, ["X-1"])
        assert d.defeated_rules == {}
        assert d.applicable_rules == ("X-1",)

    def test_applicable_exception_defeats_the_base_rule(self, make_policy, matcher):
        """The exception decides, and the base rule is recorded as defeated by it."""
        d = decide(make_policy(BASE_AND_EXCEPTIONS), matcher, activity="transfer", purpose="destruction",
                   recipient="state")
        assert outcome(d) == ("permitted", None, ["X-1.destruction"])
        assert d.defeated_rules == {"X-1": ("X-1.destruction",)}
        assert set(d.applicable_rules) == {"X-1", "X-1.destruction"}

    def test_exception_to_an_exception_is_a_separate_rule(self, make_policy, matcher):
        """The exception to the exception decides; both rules above it are defeated."""
        d = decide(make_policy(BASE_AND_EXCEPTIONS), matcher, activity="transfer", purpose="destruction",
                   recipient="non_state_actor")
        assert outcome(d) == ("prohibited", None, ["X-1.destruction.non-state"])
        assert d.defeated_rules == {"X-1": ("X-1.destruction",),
                                    "X-1.destruction": ("X-1.destruction.non-state",)}

    def test_inapplicable_exception_does_not_defeat(self, make_policy, matcher):
        """An exception whose condition does not hold leaves the base rule standing."""
        judge = make_policy("""\
            - id: X-1
              effect: prohibited
              when: {activity: use}
              source: S1
              quote: no use
            - id: X-1.korea
              effect: permitted
              exception_to: [X-1]
              when: {activity: use, location: south_korea}
              source: S1
              quote: except in Korea
            """)
        d = decide(judge, matcher, activity="use", location="elsewhere")
        assert outcome(d) == ("prohibited", None, ["X-1"])
        assert d.defeated_rules == {}

    def test_exception_whose_target_does_not_apply(self, make_policy, matcher):
        """An exception that applies when its target does not simply decides, defeating nothing."""
        judge = make_policy("""\
            - id: X-1
              effect: prohibited
              when: {activity: use, location: elsewhere}
              source: S1
              quote: no use elsewhere
            - id: X-2
              effect: permitted
              exception_to: [X-1]
              when: {activity: use, persistence: non_persistent}
              source: S1
              quote: non-persistent mines may be used
            """)
        d = decide(judge, matcher, activity="use", location="south_korea", persistence="non_persistent")
        assert outcome(d) == ("permitted", None, ["X-2"])
        assert d.defeated_rules == {}

    def test_one_exception_to_several_rules(self, make_policy, matcher):
        """An exception listing two rules defeats both when all apply."""
        judge = make_policy("""\
            - id: X-1
              effect: prohibited
              when: {activity: use}
              source: S1
              quote: no use
            - id: X-2
              effect: prohibited
              when: {activity: use, persistence: persistent}
              source: S1
              quote: no persistent mines
            - id: X-3
              effect: permitted
              exception_to: [X-1, X-2]
              when: {activity: use, purpose: mine_action}
              source: S1
              quote: except for clearance
            """)
        d = decide(judge, matcher, activity="use", persistence="persistent", purpose="mine_action")
        assert outcome(d) == ("permitted", None, ["X-3"])
        assert d.defeated_rules == {"X-1": ("X-3",), "X-2": ("X-3",)}

    def test_two_exceptions_to_one_rule(self, make_policy, matcher):
        """Two applicable exceptions of one effect both defeat the rule and decide together."""
        judge = make_policy("""\
            - id: X-1
              effect: prohibited
              when: {activity: transfer}
              source: S1
              quote: no transfer
            - id: X-1.a
              effect: permitted
              exception_to: [X-1]
              when: {activity: transfer, purpose: destruction}
              source: S1
              quote: for destruction
            - id: X-1.b
              effect: permitted
              exception_to: [X-1]
              when: {activity: transfer, recipient: state}
              source: S1
              quote: to a state
            """)
        d = decide(judge, matcher, activity="transfer", purpose="destruction", recipient="state")
        assert outcome(d) == ("permitted", None, ["X-1.a", "X-1.b"])
        assert set(d.defeated_rules["X-1"]) == {"X-1.a", "X-1.b"}


CUMULATIVE = """\
- id: C-1
  effect: prohibited
  when: {activity: use, persistence: persistent}
  source: S1
  quote: no persistent mines
- id: C-2
  effect: prohibited
  when: {activity: use, location: elsewhere}
  source: S1
  quote: not outside Korea
- id: C-3
  effect: permitted
  when: {activity: use, location: south_korea}
  source: S1
  quote: use in Korea
- id: C-4
  effect: required
  when: {activity: destroy, condition: inoperable_or_unsafe}
  source: S1
  quote: destroy unsafe mines
- id: C-5
  effect: permitted
  when: {activity: destroy}
  source: S1
  quote: destruction is allowed
- id: C-6
  effect: permitted
  when: {activity: destroy, purpose: war_reserve}
  source: S2
  quote: reserve stock may be destroyed
"""


class TestCombination:
    """Undefeated applicable rules: one effect decides together; different effects conflict."""

    def test_cumulative_prohibitions_decide_together(self, make_policy, matcher):
        """Two applicable prohibitions give prohibited with both as deciding rules, not a conflict."""
        d = decide(make_policy(CUMULATIVE), matcher, activity="use", persistence="persistent",
                   location="elsewhere")
        assert outcome(d) == ("prohibited", None, ["C-1", "C-2"])

    def test_prohibited_and_permitted_conflict(self, make_policy, matcher):
        """A prohibition and a permission with no exception link give conflict, deciding = both."""
        d = decide(make_policy(CUMULATIVE), matcher, activity="use", persistence="persistent",
                   location="south_korea")
        assert outcome(d) == ("conflict", None, ["C-1", "C-3"])

    def test_prohibition_overrides_resolution(self, make_policy, matcher):
        """With `resolution: prohibition_overrides` the prohibition decides, and the reason says so."""
        judge = make_policy(CUMULATIVE, extra="resolution: prohibition_overrides\n")
        d = decide(judge, matcher, activity="use", persistence="persistent", location="south_korea")
        assert outcome(d) == ("prohibited", "prohibition_overrides", ["C-1"])

    def test_resolution_does_not_touch_a_single_effect(self, make_policy, matcher):
        """prohibition_overrides changes nothing when only prohibitions apply (no reason given)."""
        judge = make_policy(CUMULATIVE, extra="resolution: prohibition_overrides\n")
        d = decide(judge, matcher, activity="use", persistence="persistent", location="elsewhere")
        assert outcome(d) == ("prohibited", None, ["C-1", "C-2"])

    def test_required_and_permitted_give_required(self, make_policy, matcher):
        """`required` implies permitted: together they give required, decided by the required rule."""
        d = decide(make_policy(CUMULATIVE), matcher, activity="destroy", condition="inoperable_or_unsafe",
                   purpose="combat")
        assert outcome(d) == ("required", None, ["C-4"])
        assert set(d.applicable_rules) == {"C-4", "C-5"}

    def test_cumulative_permissions(self, make_policy, matcher):
        """Two permissions give permitted, decided by both."""
        d = decide(make_policy(CUMULATIVE), matcher, activity="destroy", condition="serviceable",
                   purpose="war_reserve")
        assert outcome(d) == ("permitted", None, ["C-5", "C-6"])

    def test_sources_cite_every_deciding_rule(self, make_policy, matcher):
        """The decision cites each deciding rule with its quote, source and evidence tag."""
        d = decide(make_policy(CUMULATIVE), matcher, activity="destroy", condition="serviceable",
                   purpose="war_reserve")
        cited = {s.rule: (s.quote, s.source, s.evidence, s.url) for s in d.sources}
        assert cited == {
            "C-5": ("destruction is allowed", "S1", "primary_seen", "https://example.org/s1"),
            "C-6": ("reserve stock may be destroyed", "S2", "secondary", "https://example.org/s2"),
        }


class TestNotAddressed:
    """Silence is not_addressed, never silently prohibited."""

    def test_no_applicable_rule(self, make_policy, matcher):
        """A scenario no rule covers is not_addressed with reason no_rule_applies and no deciding rule."""
        d = decide(make_policy(CUMULATIVE), matcher, activity="train")
        assert outcome(d) == ("not_addressed", "no_rule_applies", [])
        assert d.applicable_rules == ()
        assert d.sources == ()

    def test_out_of_scope_plain(self, make_policy, matcher):
        """Outside a scope that uses no definition: out_of_scope, no deciding rule, even if a rule matches."""
        judge = make_policy(CUMULATIVE)
        d = pe.evaluate({"mine": "anti_vehicle", "activity": "use", "persistence": "persistent",
                         "location": "elsewhere"}, policy=judge, matcher=matcher)
        assert outcome(d) == ("not_addressed", "out_of_scope", [])
        assert d.applicable_rules == ()

    def test_out_of_scope_names_the_definition(self, make_policy, matcher):
        """Outside a scope resting on a definition, deciding is the definition's id and it is cited."""
        judge = make_policy(CUMULATIVE, scope="{defined: anti_personnel_mine}", extra="""\
            definitions:
              - id: DEF-APL
                term: anti_personnel_mine
                when:
                  any:
                    - {mine: anti_personnel}
                    - {mine: directional_fragmentation, activation: victim}
                source: S2
                quote: a mine exploded by the presence of a person
            """)
        d = pe.evaluate({"mine": "directional_fragmentation", "activation": "command", "activity": "use",
                         "persistence": "persistent", "location": "elsewhere"}, policy=judge, matcher=matcher)
        assert outcome(d) == ("not_addressed", "out_of_scope", ["DEF-APL"])
        assert [(s.rule, s.source, s.quote) for s in d.sources] == [
            ("DEF-APL", "S2", "a mine exploded by the presence of a person")]
        inside = pe.evaluate({"mine": "directional_fragmentation", "activation": "victim", "activity": "use",
                              "persistence": "persistent", "location": "elsewhere"},
                             policy=judge, matcher=matcher)
        assert outcome(inside) == ("prohibited", None, ["C-1", "C-2"])


DATED = """\
- id: D-1
  effect: permitted
  when: {activity: use, persistence: persistent}
  until: 2010-12-31
  source: S1
  quote: persistent mines until 2010
- id: D-2
  effect: prohibited
  when: {activity: use, persistence: persistent}
  from: 2011-01-01
  source: S1
  quote: no persistent mines after 2010
- id: D-3
  effect: prohibited
  when: {activity: use, persistence: non_persistent}
  from: 2015-06-01
  until: 2015-06-30
  source: S1
  quote: a one-month moratorium
"""


class TestRuleDates:
    """Rules with from/until (inclusive) apply only on the days they cover."""

    @pytest.mark.parametrize("day, expected", [
        ("2010-12-31", ("permitted", None, ["D-1"])),
        ("2011-01-01", ("prohibited", None, ["D-2"])),
        ("2020-01-01", ("prohibited", None, ["D-2"])),
    ])
    def test_sunset_and_start(self, make_policy, matcher, day, expected):
        """`until` includes its day, `from` includes its day, and the two hand over without a gap."""
        d = decide(make_policy(DATED), matcher, activity="use", persistence="persistent", date=day)
        assert outcome(d) == expected

    @pytest.mark.parametrize("day, expected", [
        ("2015-05-31", ("not_addressed", "no_rule_applies", [])),
        ("2015-06-01", ("prohibited", None, ["D-3"])),
        ("2015-06-30", ("prohibited", None, ["D-3"])),
        ("2015-07-01", ("not_addressed", "no_rule_applies", [])),
    ])
    def test_window_bounds_are_inclusive(self, make_policy, matcher, day, expected):
        """A rule with both dates applies on both bounds and not a day outside them."""
        d = decide(make_policy(DATED), matcher, activity="use", persistence="non_persistent", date=day)
        assert outcome(d) == expected

    def test_without_a_date_the_dates_are_open_conditions(self, make_policy):
        """With no scenario date, a dated rule's dates are conditions on `date`: the answer is conditional."""
        judge = make_policy(DATED, in_force="{from: 2004-02-27, to: null}")
        d = decide(judge, activity="use", persistence="persistent")
        assert d.verdict == "conditional"
        assert sorted(d.deciding_rules) == ["D-1", "D-2"]
        by_verdict = {r.verdict: r for r in d.residual}
        assert set(by_verdict) == {"permitted", "prohibited"}
        assert by_verdict["permitted"].deciding_rules == ("D-1",)
        assert by_verdict["permitted"].when == ((c.Test("date", "lte", (dt.date(2010, 12, 31),)),),)
        assert by_verdict["prohibited"].deciding_rules == ("D-2",)
        assert by_verdict["prohibited"].when == ((c.Test("date", "gte", (dt.date(2011, 1, 1),)),),)

    def test_without_a_date_only_days_in_force_count(self, make_policy):
        """With no scenario date, dates outside the instrument's time in force are not considered."""
        d = decide(make_policy(DATED, in_force="{from: 2020-01-01, to: null}"), activity="use",
                   persistence="persistent")
        assert outcome(d) == ("prohibited", None, ["D-2"])
        assert d.residual == ()

    def test_undated_rules_need_no_date(self, make_policy, matcher):
        """A scenario without a date is answered outright when the rules involved carry no dates."""
        d = decide(make_policy(CUMULATIVE), matcher, activity="use", persistence="persistent",
                   location="elsewhere")
        assert outcome(d) == ("prohibited", None, ["C-1", "C-2"])
        assert d.flags == ()

    def test_date_outside_the_instrument_is_flagged(self, make_policy, matcher):
        """A scenario dated before the instrument entered into force is answered from its text, flagged."""
        d = decide(make_policy(CUMULATIVE), matcher, activity="use", persistence="persistent",
                   location="elsewhere", date="2019-12-31")
        assert outcome(d) == ("prohibited", None, ["C-1", "C-2"])
        assert [(f.kind, f.subject) for f in d.flags] == [("not_in_force", "test-policy")]
        assert "was not in force on 2019-12-31" in d.flags[0].message


INTERPRETED = """\
- id: K-2
  effect: prohibited
  when: {activity: transfer, location: elsewhere}
  interpretation: {korea: framing}
  source: S1
  quote: no transfer
- id: K-2
  effect: prohibited
  when: {activity: transfer}
  interpretation: {korea: literal}
  source: S1
  quote: no transfer
- id: K-3
  effect: prohibited
  when: {activity: use}
  source: S1
  quote: no use
"""
KOREA = """\
interpretations:
  korea:
    question: Is the transfer ban carved out for Korea?
    readings:
      framing: Korea is left out by the framing
      literal: the bullet has no Korea qualifier
    default: framing
"""


class TestInterpretations:
    """Named readings of an ambiguity: the default applies, another can be chosen, and the turn is flagged."""

    def test_default_reading(self, make_policy, matcher):
        """Under the default reading the Korea transfer is not addressed, flagged with the other reading."""
        d = decide(make_policy(INTERPRETED, extra=KOREA), matcher, activity="transfer",
                   location="south_korea")
        assert outcome(d) == ("not_addressed", "no_rule_applies", [])
        assert d.interpretation == {"korea": "framing"}
        (flag,) = d.flags
        assert (flag.kind, flag.subject) == ("interpretation", "korea")
        assert "'literal'" in flag.message
        assert "prohibited by K-2" in flag.message

    def test_selecting_another_reading(self, make_policy, matcher):
        """`interpretation=` selects the literal reading: prohibited by K-2, flagged with the framing one."""
        d = decide(make_policy(INTERPRETED, extra=KOREA), matcher, interpretation={"korea": "literal"},
                   activity="transfer", location="south_korea")
        assert outcome(d) == ("prohibited", None, ["K-2"])
        assert d.interpretation == {"korea": "literal"}
        (flag,) = d.flags
        assert flag.subject == "korea"
        assert "'framing'" in flag.message and "not addressed" in flag.message

    def test_no_flag_when_readings_agree(self, make_policy, matcher):
        """When both readings give the same decision there is no interpretation flag."""
        d = decide(make_policy(INTERPRETED, extra=KOREA), matcher, activity="transfer", location="elsewhere")
        assert outcome(d) == ("prohibited", None, ["K-2"])
        assert d.flags == ()

    def test_untagged_rules_hold_under_every_reading(self, make_policy, matcher):
        """An untagged rule decides whatever the reading."""
        judge = make_policy(INTERPRETED, extra=KOREA)
        for reading in ("framing", "literal"):
            d = decide(judge, matcher, interpretation={"korea": reading}, activity="use",
                       location="elsewhere")
            assert outcome(d) == ("prohibited", None, ["K-3"])

    def test_unknown_interpretation(self, make_policy):
        """An interpretation the policy does not declare fails with a suggestion."""
        message = "test-policy has no interpretation 'koera'; did you mean 'korea'"
        with pytest.raises(ScenarioError, match=message):
            decide(make_policy(INTERPRETED, extra=KOREA), interpretation={"koera": "literal"},
                   activity="transfer", location="elsewhere")

    def test_unknown_reading(self, make_policy):
        """A reading the interpretation does not have fails with a suggestion."""
        message = "'literl' is not a reading of 'korea'; did you mean 'literal'"
        with pytest.raises(ScenarioError, match=message):
            decide(make_policy(INTERPRETED, extra=KOREA), interpretation={"korea": "literl"},
                   activity="transfer", location="elsewhere")

    def test_conditional_decision_flags_the_turn(self, make_policy):
        """A conditional decision that would differ under another reading is flagged too."""
        d = decide(make_policy(INTERPRETED, extra=KOREA), activity="transfer")
        assert (d.verdict, d.deciding_rules) == ("conditional", ("K-2",))
        assert sorted((r.verdict, r.deciding_rules) for r in d.residual) == [
            ("not_addressed", ()), ("prohibited", ("K-2",))]
        assert [f.subject for f in d.flags if f.kind == "interpretation"] == ["korea"]
        assert "prohibited by K-2" in d.flags[0].message


PARTIAL = """\
- id: P-1
  effect: permitted
  when: {activity: use, authorization: {gte: secretary_of_defense}}
  source: S1
  quote: use with approval
- id: P-2
  effect: prohibited
  exception_to: [P-1]
  when: {activity: use, self_destruct_days: {gte: 31}}
  source: S1
  quote: self-destruct in 30 days or less
- id: P-3
  effect: prohibited
  when: {activity: retain, purpose: {not: defense_of_korea}}
  source: S1
  quote: keep only for Korea
- id: P-4
  effect: prohibited
  when:
    activity: transfer
    any: [{location: elsewhere}, {location: {not: elsewhere}}]
  source: S1
  quote: no transfer anywhere
"""


def witness(conjunction, vocab):
    """A scenario fragment satisfying a conjunction of one-field conditions (first fitting value)."""
    fragment = {}
    for cond in conjunction:
        (name,) = c.fields_of(cond)
        spec = vocab.field(name)
        candidates = spec.domain() or range(400)
        fragment[name] = next(v for v in candidates if c.evaluate(cond, {name: v}, vocab) is True)
    return fragment


class TestPartialEvaluation:
    """Missing fields a deciding condition needs make the verdict conditional, with residual outcomes."""

    def test_missing_field_gives_conditional_with_residuals(self, make_policy):
        """Without authorization and self_destruct_days, each outcome is listed with its conditions."""
        d = decide(make_policy(PARTIAL), activity="use")
        assert d.verdict == "conditional"
        assert sorted(d.deciding_rules) == ["P-1", "P-2"]
        got = {(r.verdict, r.reason, r.deciding_rules, r.describe()) for r in d.residual}
        assert got == {
            ("permitted", None, ("P-1",),
             "self_destruct_days <= 30 and authorization >= secretary_of_defense"),
            ("prohibited", None, ("P-2",), "self_destruct_days >= 31"),
            ("not_addressed", "no_rule_applies", (), ("self_destruct_days <= 30 and "
                                                     "authorization <= combatant_commander")),
        }

    def test_residual_conditions_are_sound(self, make_policy, vocab):
        """Completing the scenario by any residual's conditions gives exactly that residual's outcome."""
        judge = make_policy(PARTIAL)
        d = decide(judge, activity="use")
        for residual in d.residual:
            for conjunction in residual.when:
                full = decide(judge, activity="use", **witness(conjunction, vocab))
                assert outcome(full) == (residual.verdict, residual.reason, sorted(residual.deciding_rules))

    def test_residuals_cover_every_completion_once(self, make_policy, vocab):
        """Every completion of the open fields satisfies exactly one residual, which gives its decision."""
        judge = make_policy(PARTIAL)
        d = decide(judge, activity="use")
        for authorization in vocab.field("authorization").domain():
            for days in (0, 30, 31, 365):
                full = {**AP, "activity": "use", "authorization": authorization, "self_destruct_days": days}
                holding = [r for r in d.residual
                           if any(all(c.evaluate(x, full, vocab) for x in conj) for conj in r.when)]
                assert len(holding) == 1
                answer = pe.evaluate(full, policy=judge)
                assert (holding[0].verdict, holding[0].deciding_rules) == (
                    answer.verdict, answer.deciding_rules)

    def test_missing_field_no_rule_needs(self, make_policy):
        """Leaving out a field no rule tests (location for retain) still gives a definite verdict."""
        d = decide(make_policy(PARTIAL), activity="retain", purpose="war_reserve")
        assert outcome(d) == ("prohibited", None, ["P-3"])
        assert d.residual == ()

    def test_missing_field_whose_values_all_agree(self, make_policy):
        """A field tested only in ways that cannot change the outcome does not make it conditional."""
        d = decide(make_policy(PARTIAL), activity="transfer")
        assert outcome(d) == ("prohibited", None, ["P-4"])
        assert d.residual == ()

    def test_certain_verdict_with_open_cumulative_rules(self, make_policy):
        """When every branch gives one verdict it is certain, decided by the rules common to all branches."""
        judge = make_policy("""\
            - id: Q-1
              effect: prohibited
              when: {activity: use}
              source: S1
              quote: no use
            - id: Q-2
              effect: prohibited
              when: {activity: use, location: elsewhere}
              source: S1
              quote: and certainly not elsewhere
            """)
        d = decide(judge, activity="use")
        assert outcome(d) == ("prohibited", None, ["Q-1"])
        got = {(r.verdict, tuple(sorted(r.deciding_rules)), r.describe()) for r in d.residual}
        assert got == {("prohibited", ("Q-1", "Q-2"), "location = elsewhere"),
                       ("prohibited", ("Q-1",), "location in [korean_dmz, south_korea, north_korea]")}

    def test_open_enum_field(self, make_policy):
        """An open enum field splits into the value classes the rules tell apart."""
        d = decide(make_policy(PARTIAL), activity="retain")
        assert (d.verdict, d.deciding_rules) == ("conditional", ("P-3",))
        got = {(r.verdict, r.deciding_rules, r.describe()) for r in d.residual}
        assert got == {("prohibited", ("P-3",), ("purpose in [combat, destruction, mine_action, "
                                                 "countermine_training, training, war_reserve]")),
                       ("not_addressed", (), "purpose = defense_of_korea")}

    def test_open_scope(self, make_policy):
        """A missing field the scope needs gives an out_of_scope outcome among the residuals."""
        d = pe.evaluate({"activity": "retain", "purpose": "war_reserve"}, policy=make_policy(PARTIAL))
        assert (d.verdict, d.deciding_rules) == ("conditional", ("P-3",))
        got = {(r.verdict, r.reason, r.deciding_rules, r.describe()) for r in d.residual}
        assert got == {
            ("prohibited", None, ("P-3",), "mine in [anti_personnel, mixed_system]"),
            ("not_addressed", "out_of_scope", (), "mine in [anti_vehicle, directional_fragmentation]"),
        }

    def test_partial_and_complete_agree(self, make_policy):
        """The reference matcher on a complete scenario gives the same as the partial evaluator's branch."""
        judge = make_policy(PARTIAL)
        full = {"activity": "use", "authorization": "president", "self_destruct_days": 30}
        assert outcome(decide(judge, "reference", **full)) == outcome(decide(judge, "engine", **full)) == (
            "permitted", None, ["P-1"])

    def test_low_confidence_flag(self, make_policy):
        """A deciding low-confidence rule is flagged with its note."""
        judge = make_policy("""\
            - id: L-1
              effect: prohibited
              when: {activity: use}
              source: S1
              quote: q
              confidence: low
              note: only a press report
            """)
        d = decide(judge, activity="use")
        assert outcome(d) == ("prohibited", None, ["L-1"])
        assert [(f.kind, f.subject, f.message) for f in d.flags] == [
            ("low_confidence", "L-1", "only a press report")]
        assert d.sources[0].confidence == "low"
