"""diff, compare and implies between instruments, checked against brute-force evaluation."""

from __future__ import annotations

import datetime as dt
import itertools
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import policyengine as pe
from policyengine.core import conditions
from policyengine.analysis.diff import Answer, compare, diff, implies
from policyengine.testing.strategies import scenarios

PROFILE = settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
VOCAB = pe.vocabulary()
PAIRS = [("trump-2020", "biden-2022"), ("obama-2014", "biden-2022"), ("bush-2004", "obama-2014"),
         ("ottawa", "apii"), ("biden-2022", "trump-2025"), ("clinton-1996", "clinton-1998-pdd64")]


def key(decision: pe.Decision) -> tuple:
    """Verdict and deciding provisions: what a diff class is keyed by on each side."""
    return (decision.verdict, decision.deciding_rules)


class TestTrumpToBiden:
    """The 2020 to 2022 diff names the changes the brief describes."""

    @pytest.fixture(scope="class")
    @classmethod
    def found(cls):
        """diff(trump-2020, biden-2022) over the whole scenario space."""
        return diff("trump-2020", "biden-2022", corpus=pe.bundled())

    def test_use_outside_korea_goes_from_conditionally_permitted_to_prohibited(self, found):
        """Use of non-persistent APL outside Korea goes from permitted by T20-2 to prohibited by B22-3."""
        hits = [c for c in found.classes if c.before.deciding == ("T20-2",) and c.after.deciding == ("B22-3",)]
        assert hits
        for hit in hits:
            assert (hit.before.verdict, hit.after.verdict) == ("permitted", "prohibited")
            text = hit.condition_words()
            assert "activity = use" in text and "location = elsewhere" in text
            # self-destruction within 30 days, stated or implied by the compliant standard
            assert "self_destruct_days <= 30" in text or "compliant_sd_sda = true" in text
            # off the Peninsula the use is the Secretary's own or a Combatant Commander's with the plan approved
            assert "authorization >= secretary_of_defense" in text or "plan_approved_by_secdef = true" in text
            assert hit.after.quotes and hit.before.quotes

    def test_transfer_for_destruction_becomes_permitted(self, found):
        """Transfer for destruction goes from not addressed to permitted by B22-2.destruction."""
        hits = [c for c in found.classes if c.after.deciding == ("B22-2.destruction",)]
        assert hits and all(c.before.verdict == "not_addressed" and c.after.verdict == "permitted" for c in hits)
        assert all(c.witness["activity"] == "transfer" and c.witness["purpose"] == "destruction" for c in hits)

    def test_at_most_a_hundred_and_fifty_classes(self, found):
        """The diff is compact: no more than 150 classes."""
        # 100 until T20-6 was written to require the compliant self-destruction standard and the
        # Secretary's plan approval became a fact of its own (T20-2b): each splits the permitted
        # region of T20-2 into more classes (139 in December 2026).
        assert 0 < len(found.classes) <= 150

    def test_json_has_both_sides_and_a_witness(self, found):
        """Each class serialises both verdicts, provisions and quotes, its conditions and a witness."""
        data = found.to_dict()
        assert data["a"] == "trump-2020" and data["b"] == "biden-2022" and data["cells_checked"] > 0
        for entry in data["classes"]:
            assert set(entry) == {"before", "after", "when", "text", "witness"}
            assert entry["before"]["verdict"] != entry["after"]["verdict"]


class TestClasses:
    """Every class is sound, compact and has a witness that re-evaluates to it."""

    @pytest.mark.parametrize("a, b", PAIRS)
    def test_witness_re_evaluates_to_the_stated_verdicts(self, a, b):
        """Evaluating each witness through pe.evaluate gives the class's verdict and provisions on both sides."""
        for c in diff(a, b, corpus=pe.bundled()).classes:
            assert key(pe.evaluate(c.witness, policy=a)) == (c.before.verdict, c.before.deciding)
            assert key(pe.evaluate(c.witness, policy=b)) == (c.after.verdict, c.after.deciding)
            assert all(conditions.evaluate(cond, c.witness, VOCAB) is True for cond in c.when)

    def test_no_literal_can_be_widened(self):
        """Adding any value to any field of a class lets in a scenario with another pair of answers."""
        found = diff("trump-2020", "biden-2022", corpus=pe.bundled())
        space = _space("trump-2020", "biden-2022")
        for c in found.classes[:20]:
            box = _box_of(space, c)
            group = _group(space, c)
            for f in space.fields:
                for extra in set(range(len(space.classes[f]))) - box[f]:
                    assert space.within({**box, f: box[f] | {extra}}) & ~group, (c.condition_words(), f)

    def test_same_instrument_has_no_diff(self):
        """An instrument compared with itself changes nothing and is equivalent."""
        assert diff("biden-2022", "biden-2022", corpus=pe.bundled()).classes == ()
        assert compare("biden-2022", "biden-2022", corpus=pe.bundled()).answer is Answer.EQUIVALENT

    def test_every_pair_of_the_ten(self):
        """The diff of every pair of bundled instruments is computed, each with a sound witness per class."""
        total = 0
        for a, b in itertools.combinations(pe.bundled().ids, 2):
            found = diff(a, b, corpus=pe.bundled())
            total += len(found.classes)
            for c in found.classes[:3]:
                assert key(pe.evaluate(c.witness, policy=b)) == (c.after.verdict, c.after.deciding)
        assert total > 0

    def test_on_a_date(self):
        """diff on a date fixes it: obama-2014 before step b permits no less than after."""
        found = diff("obama-2014", "biden-2022", on="2014-07-01", corpus=pe.bundled())
        assert found.on == dt.date(2014, 7, 1)
        assert all(c.witness["date"] == dt.date(2014, 7, 1) for c in found.classes)


class TestBruteForce:
    """On random complete scenarios, the diff's classes say exactly where and how the verdict changes."""

    @pytest.mark.parametrize("a, b", PAIRS)
    def test_diff_matches_enumeration(self, a, b):
        """A scenario lies in some class iff the verdicts differ, and every class holding it has its answers."""
        found = diff(a, b, corpus=pe.bundled())
        policies = (pe.bundled()[a], pe.bundled()[b])
        first = min(p.in_force_from for p in policies)
        ends = [p.in_force_to for p in policies]
        last = dt.date(2030, 12, 31) if None in ends else max(ends) - dt.timedelta(days=1)
        fields = [f for f in VOCAB.names if f != "date"]

        @settings(PROFILE, max_examples=min(PROFILE.max_examples, 500))
        @given(scenarios(fields=fields), st.dates(first, last))
        def check(scenario, day):
            scenario = {**scenario, "date": day}
            da, db = pe.evaluate(scenario, policy=a), pe.evaluate(scenario, policy=b)
            holding = [c for c in found.classes
                       if all(conditions.evaluate(cond, scenario, VOCAB) is True for cond in c.when)]
            if da.verdict == db.verdict:
                assert holding == []
            else:
                assert holding
                for c in holding:
                    assert (c.before.verdict, c.before.deciding, c.after.verdict, c.after.deciding) == \
                        (*key(da), *key(db))

        check()


class TestCompare:
    """compare and implies give the four-way answer with counterexamples."""

    def test_trump_2020_and_biden_2022_are_incomparable(self):
        """trump-2020 and biden-2022 each permit something the other does not; both counterexamples check out."""
        found = compare("trump-2020", "biden-2022", corpus=pe.bundled())
        assert found.answer is Answer.INCOMPARABLE
        da, db = found.only_a.decisions
        assert da.verdict in ("permitted", "required") and db.verdict not in ("permitted", "required")
        da, db = found.only_b.decisions
        assert db.verdict in ("permitted", "required") and da.verdict not in ("permitted", "required")

    def test_obama_is_less_permissive_than_biden(self):
        """Whatever obama-2014 permits, biden-2022 permits too; biden-2022 also permits non-detectable
        non-persistent APL in Korea (B22-6), which obama-2014 bars (O14-6)."""
        found = compare("obama-2014", "biden-2022", corpus=pe.bundled())
        assert found.answer is Answer.LESS_PERMISSIVE and found.only_a is None
        da, db = found.only_b.decisions
        assert (da.verdict, da.deciding_rules) == ("prohibited", ("O14-6",))
        assert (db.verdict, db.deciding_rules) == ("permitted", ("B22-6",))

    def test_more_permissive(self, make_policy):
        """A policy permitting all use is more permissive than one permitting only use in Korea."""
        wide = make_policy("""\
            - id: W-1
              effect: permitted
              when: {activity: use}
              source: S1
              quote: use is permitted
            """, name="wide.yaml")
        narrow = make_policy("""\
            - id: N-1
              effect: permitted
              when: {activity: use, location: [korean_dmz, south_korea]}
              source: S1
              quote: use in Korea is permitted
            """, name="narrow.yaml")
        found = compare(wide.policy, narrow.policy, corpus=pe.bundled())
        assert found.answer is Answer.MORE_PERMISSIVE and found.only_b is None
        assert found.only_a.decisions[0].deciding_rules == ("W-1",)
        assert compare(narrow.policy, wide.policy, corpus=pe.bundled()).answer is Answer.LESS_PERMISSIVE
        assert implies(narrow.policy, wide.policy, corpus=pe.bundled())
        assert not implies(wide.policy, narrow.policy, corpus=pe.bundled())


def _space(a: str, b: str):
    from policyengine.core.space import Space

    return Space((pe.bundled()[a], pe.bundled()[b]), VOCAB)


def _group(space, c) -> int:
    bits = 0
    for bit, cell in enumerate(space.cells):
        before, after = cell.outcomes
        if (before.verdict, before.deciding, after.verdict, after.deciding) == \
                (c.before.verdict, c.before.deciding, c.after.verdict, c.after.deciding):
            bits |= 1 << bit
    return bits


def _box_of(space, c) -> dict:
    """The class's box: for each field, the classes whose representative satisfies its condition."""
    box = {}
    for f in space.fields:
        conds = [cond for cond in c.when if conditions.fields_of(cond) == {f}]
        box[f] = frozenset(i for i, vc in enumerate(space.classes[f])
                           if all(conditions.evaluate(cond, {f: vc.representative}, VOCAB) for cond in conds))
    return box
