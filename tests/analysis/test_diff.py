"""diff, compare and implies between instruments, checked against brute-force evaluation."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import policyengine as pe
from policyengine.core import conditions
from policyengine.registry import named_examples
from policyengine.analysis.diff import Answer, compare, diff, implies
from policyengine.analysis.orders import PROHIBITING, counts
from policyengine.testing.strategies import scenarios

VOCAB = pe.vocabulary()
PAIRS = [("trump-2020", "biden-2022"), ("obama-2014", "biden-2022"), ("bush-2004", "obama-2014"),
         ("ottawa", "apii"), ("biden-2022", "trump-2025"), ("clinton-1996", "clinton-1998-pdd64"),
         # pairs whose space holds combinations the vocabulary's contradictions rule out
         ("apii", "bush-2004"), ("clinton-1996", "apii"), ("apii", "trump-2025")]


def key(decision: pe.Decision) -> tuple:
    """Verdict and deciding provisions: what a diff class is keyed by on each side."""
    return (decision.verdict, decision.deciding_rules)


class TestTrumpToBiden:
    """The 2020 to 2022 diff names the changes the brief describes."""

    @pytest.fixture(scope="class")
    @classmethod
    def found(cls):
        """diff(trump-2020, biden-2022) over the whole scenario space."""
        return diff("trump-2020", "biden-2022", corpus=pe.bundled(), examples=named_examples())

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

    def test_witnesses_are_detectable_unless_the_class_is_about_detectability(self, found):
        """No witness has detectable=false unless detectability is part of its class's condition."""
        for c in found.to_dict()["classes"]:
            if c["witness"].get("detectable") is False:
                assert "detectable" in c["text"], c["text"]

    def test_witnesses_take_the_typical_values_the_class_allows(self, found):
        """Where a class leaves a field open, its witness has the vocabulary's typical value (a
        self-destruct time within 30 days, a victim-activated mine) or, for a persistent mine, none."""
        for c in found.classes:
            text = c.condition_words()
            if "self_destruct_days" not in text and c.witness.get("persistence") == "non_persistent":
                assert c.witness.get("self_destruct_days") == VOCAB.fields["self_destruct_days"].typical == 15
            if "activation" not in text and "activation" in c.witness:
                assert c.witness["activation"] == "victim"

    def test_witnesses_prefer_an_example_that_fits_the_class(self):
        """Where a class narrows a field, its witness takes the value of the example (by default a
        named scenario) that states most of the narrowed fields inside the class."""
        volcano = {"activity": "transfer", "mine": "mixed_system", "purpose": "destruction", "location": "elsewhere"}
        found = diff("trump-2020", "biden-2022", corpus=pe.bundled(), examples=[{"mine": "anti_vehicle"}, volcano])
        hits = [c for c in found.classes if c.after.deciding == ("B22-2.destruction",)]
        assert hits and all(c.witness["mine"] == "mixed_system" for c in hits)
        default = diff("trump-2020", "biden-2022", corpus=pe.bundled(), examples=named_examples())
        assert all(c.witness["mine"] == "anti_personnel" for c in default.classes
                   if c.after.deciding == ("B22-2.destruction",))

    def test_summary_groups_the_classes_by_pair_of_verdicts(self, found):
        """The summary has a line per pair of verdicts; the counts add up to the classes."""
        changes = found.changes
        assert len({(v.before, v.after) for v in changes}) == len(changes) <= 30
        assert sum(v.classes for v in changes) == len(found.classes)
        first = changes[0]
        assert (first.before, first.after) == ("prohibited", "permitted") and "B22-6" in first.after_rules
        assert found.to_dict()["summary"][0]["classes"] == first.classes

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

    @pytest.mark.slow
    @pytest.mark.parametrize("a, b", list(itertools.combinations(pe.bundled().ids, 2)))
    def test_every_witness_of_every_pair_re_evaluates(self, a, b):
        """For every pair of bundled instruments, every class's witness states no contradiction of the
        vocabulary, lies in the class, and gets the class's verdicts and provisions from pe.evaluate."""
        for c in diff(a, b, corpus=pe.bundled()).classes:
            assert VOCAB.contradiction(c.witness) is None, (c.condition_words(), c.witness)
            assert all(conditions.evaluate(cond, c.witness, VOCAB) is True for cond in c.when), c.witness
            assert key(pe.evaluate(c.witness, policy=a)) == (c.before.verdict, c.before.deciding), c.witness
            assert key(pe.evaluate(c.witness, policy=b)) == (c.after.verdict, c.after.deciding), c.witness

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

        @settings(max_examples=max(1, settings.default.max_examples // 4))
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
        """trump-2020 and biden-2022 each prohibit something the other does not; both counterexamples check out."""
        found = compare("trump-2020", "biden-2022", corpus=pe.bundled())
        assert found.answer is Answer.INCOMPARABLE
        da, db = found.only_a.decisions
        assert da.verdict in PROHIBITING and db.verdict not in PROHIBITING
        da, db = found.only_b.decisions
        assert db.verdict in PROHIBITING and da.verdict not in PROHIBITING

    def test_obama_and_biden_by_prohibitions_and_by_permissions(self):
        """By prohibitions, obama-2014 and biden-2022 are incomparable: obama-2014 bars the use of
        persistent anti-vehicle mines (O14-6), which biden-2022 leaves outside its scope (B22-1.apl), and
        biden-2022 bars APL use elsewhere (B22-3) that obama-2014 leaves unaddressed. By permissions,
        obama-2014 is less permissive: silence counts as "not permitted" there (B22-6 permits in Korea)."""
        found = compare("obama-2014", "biden-2022", corpus=pe.bundled())
        assert found.answer is Answer.INCOMPARABLE
        da, db = found.only_a.decisions
        assert (da.verdict, da.deciding_rules, db.verdict, db.deciding_rules) == \
            ("prohibited", ("O14-6",), "not_addressed", ("B22-1.apl",))
        da, db = found.only_b.decisions
        assert (da.verdict, db.verdict, db.deciding_rules) == ("not_addressed", "prohibited", ("B22-3",))
        permissions = found.permissions
        assert permissions.answer is Answer.LESS_PERMISSIVE and permissions.only_a is None
        da, db = permissions.only_b.decisions
        assert (da.verdict, db.verdict, db.deciding_rules) == ("not_addressed", "permitted", ("B22-6",))
        text = found.words()
        assert "by what each prohibits: obama-2014 and biden-2022 are incomparable" in text
        assert "by what each permits: obama-2014 is less permissive than biden-2022" in text
        assert text.count("only:") == 3

    def test_every_pair_agrees_with_the_cells_on_both_bases(self):
        """For a few pairs, each counterexample's decisions fall on the side it is given for, on each basis."""
        for a, b in PAIRS[:4]:
            found = compare(a, b, corpus=pe.bundled())
            for ordering in (found.prohibitions, found.permissions):
                for example, first in ((ordering.only_a, True), (ordering.only_b, False)):
                    if example is None:
                        continue
                    da, db = example.decisions
                    assert counts(ordering.basis, da.verdict) is first
                    assert counts(ordering.basis, db.verdict) is not first

    def test_more_permissive(self, make_policy):
        """A policy permitting all use, silent elsewhere, is more permissive than one prohibiting use
        outside Korea, on both bases."""
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
            - id: N-2
              effect: prohibited
              when: {activity: use, location: [elsewhere]}
              source: S1
              quote: use elsewhere is prohibited
            """, name="narrow.yaml")
        found = compare(wide.policy, narrow.policy, corpus=pe.bundled())
        assert found.answer is Answer.MORE_PERMISSIVE and found.only_a is None
        assert found.only_b.decisions[1].deciding_rules == ("N-2",)
        assert found.permissions.answer is Answer.MORE_PERMISSIVE
        assert found.permissions.only_a.decisions[0].deciding_rules == ("W-1",)
        assert compare(narrow.policy, wide.policy, corpus=pe.bundled()).answer is Answer.LESS_PERMISSIVE
        assert implies(narrow.policy, wide.policy, corpus=pe.bundled())
        assert not implies(wide.policy, narrow.policy, corpus=pe.bundled())

    def test_silence_is_not_stricter_than_a_permission(self, make_policy):
        """By prohibitions a silent instrument and one that only permits are equivalent; by permissions
        the silent one is less permissive."""
        silent = make_policy("""\
            - id: S-1
              effect: permitted
              when: {activity: destroy}
              source: S1
              quote: destruction is permitted
            """, name="silent.yaml")
        permits = make_policy("""\
            - id: P-1
              effect: permitted
              when: {activity: [destroy, use]}
              source: S1
              quote: use and destruction are permitted
            """, name="permits.yaml")
        found = compare(silent.policy, permits.policy, corpus=pe.bundled())
        assert found.answer is Answer.EQUIVALENT and found.only_a is None and found.only_b is None
        assert found.permissions.answer is Answer.LESS_PERMISSIVE


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
