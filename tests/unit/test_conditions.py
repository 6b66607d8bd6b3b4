"""Conditions: parsing the policy-file condition language, Kleene evaluation, simplification, rendering."""

from __future__ import annotations

import datetime as dt

import pytest

from policyengine.core import conditions as c
from policyengine.core.errors import PolicyFileError
from policyengine.core.yamlio import parse_yaml

T, F = c.TRUE, c.FALSE


def parse(text: str, vocab, definitions=None) -> c.Condition:
    """Parse a condition written in YAML, as the loader would (file name 'cond.yaml')."""
    ctx = c.ParseContext(vocab=vocab, path="cond.yaml", definitions=definitions or {})
    return c.parse(parse_yaml(text, "cond.yaml"), ctx)


def leaf(field: str, op: str, *values) -> c.Test:
    """A leaf, built without importing the attrs class into the test module's namespace."""
    return c.Test(field, op, tuple(values))




class TestParse:
    """Each form of the condition language parses to its tree."""

    def test_single_value(self, vocab):
        """`field: value` is an `in` test with one value."""
        assert parse("{activity: use}", vocab) == leaf("activity", "in", "use")

    def test_list_of_values(self, vocab):
        """`field: [a, b]` is an `in` test with several values."""
        assert parse("{activity: [use, retain]}", vocab) == leaf("activity", "in", "use", "retain")

    def test_several_entries_are_a_conjunction(self, vocab):
        """A mapping with several entries is their conjunction, in file order."""
        assert parse("{activity: use, location: elsewhere}", vocab) == c.All(
            (leaf("activity", "in", "use"), leaf("location", "in", "elsewhere")))

    def test_not_value_and_not_list(self, vocab):
        """`{not: v}` and `{not: [a, b]}` are `not_in` tests."""
        assert parse("{mine: {not: anti_vehicle}}", vocab) == leaf("mine", "not_in", "anti_vehicle")
        assert parse("{location: {not: [elsewhere, north_korea]}}", vocab) == leaf(
            "location", "not_in", "elsewhere", "north_korea")

    def test_ordered_comparisons(self, vocab):
        """gte/lte work on integers, dates and ordered enums, with typed bounds."""
        assert parse("{self_destruct_days: {gte: 31}}", vocab) == leaf("self_destruct_days", "gte", 31)
        assert parse("{date: {lte: 2010-12-31}}", vocab) == leaf("date", "lte", dt.date(2010, 12, 31))
        assert parse("{authorization: {gte: combatant_commander}}", vocab) == leaf(
            "authorization", "gte", "combatant_commander")

    def test_combinators(self, vocab):
        """all, any and not nest."""
        cond = parse("{any: [{activity: use}, {all: [{activity: retain}, {not: {purpose: war_reserve}}]}]}",
                     vocab)
        assert cond == c.Any_((leaf("activity", "in", "use"),
                               c.All((leaf("activity", "in", "retain"),
                                      c.Not(leaf("purpose", "in", "war_reserve"))))))

    def test_bool_values(self, vocab):
        """YAML booleans and boolean words are typed."""
        assert parse("{detectable: false}", vocab) == leaf("detectable", "in", False)
        assert parse("{detectable: 'yes'}", vocab) == leaf("detectable", "in", True)

    def test_defined(self, vocab):
        """`defined: term` carries the term, the definition id and the definition's condition."""
        body = leaf("mine", "in", "anti_personnel")
        cond = parse("{defined: apl}", vocab, {"apl": ("DEF-1", body)})
        assert cond == c.Defined("apl", "DEF-1", body)


class TestParseErrors:
    """Malformed conditions fail naming file:line, the offending key or value, and a fix."""

    @pytest.mark.parametrize("text, message", [
        ("{}", "cond.yaml:1: empty condition"),
        ("[{activity: use}]", "cond.yaml:1: a condition is a mapping, not a list"),
        ("use", "a condition is a mapping, not 'use'"),
        ("{any: []}", "cond.yaml:1: 'any' takes a non-empty list of conditions"),
        ("{all: {activity: use}}", "cond.yaml:1: 'all' takes a non-empty list of conditions"),
        ("{activity: use,\n locaton: elsewhere}",
         "cond.yaml:2: unknown field 'locaton'; did you mean 'location'?"),
        ("{mine: antipersonnel}",
         "unknown value 'antipersonnel' for field 'mine'; did you mean 'anti_personnel'?"),
        ("{mine: {not: []}}", "empty list of values for field 'mine'"),
        ("{self_destruct_days: {gte: 1, lte: 30}}", "field 'self_destruct_days' takes one operator, not 2"),
        ("{self_destruct_days: {gt: 30}}",
         "unknown operator 'gt' for field 'self_destruct_days'; did you mean 'gte'?"),
        ("{location: {gte: south_korea}}", "field 'location' has no order, so 'gte' does not apply"),
        ("{detectable: {lte: true}}", "field 'detectable' has no order, so 'lte' does not apply"),
        ("{self_destruct_days: {lte: soon}}", "field 'self_destruct_days' takes a whole number, not 'soon'"),
        ("{any: [{activity: use}, use]}", "a condition is a mapping, not 'use'"),
        ("{defined: apl}",
         "'defined: apl' names no definition of this instrument; declare it under definitions:"),
    ])
    def test_error_message(self, text, message, vocab):
        """The error names what is wrong and how to fix it."""
        with pytest.raises(PolicyFileError) as info:
            parse(text, vocab)
        assert message in str(info.value)

    def test_defined_suggests_a_known_term(self, vocab):
        """A misspelt term gets the nearest defined term."""
        with pytest.raises(PolicyFileError, match="did you mean 'anti_personnel_mine'"):
            parse("{defined: anti_personel_mine}", vocab, {"anti_personnel_mine": ("D", c.TRUE)})


class TestEvaluate:
    """Three-valued (Kleene) evaluation: True, False, or None when the scenario leaves it open."""

    def test_leaf_known_and_unknown(self, vocab):
        """A test is decided by its field's value, unknown when the field is missing."""
        cond = leaf("activity", "in", "use", "retain")
        assert c.evaluate(cond, {"activity": "retain"}, vocab) is True
        assert c.evaluate(cond, {"activity": "transfer"}, vocab) is False
        assert c.evaluate(cond, {}, vocab) is None

    def test_not_in(self, vocab):
        """`not_in` holds for every other value."""
        cond = leaf("mine", "not_in", "anti_vehicle")
        assert c.evaluate(cond, {"mine": "anti_personnel"}, vocab) is True
        assert c.evaluate(cond, {"mine": "anti_vehicle"}, vocab) is False

    def test_ordered_enum_uses_rank(self, vocab):
        """`authorization >= combatant_commander` holds for it and the levels above, by rank not spelling."""
        cond = leaf("authorization", "gte", "combatant_commander")
        assert c.evaluate(cond, {"authorization": "president"}, vocab) is True
        assert c.evaluate(cond, {"authorization": "combatant_commander"}, vocab) is True
        assert c.evaluate(cond, {"authorization": "unit_commander"}, vocab) is False
        at_most_unit = leaf("authorization", "lte", "unit_commander")
        assert c.evaluate(at_most_unit, {"authorization": "none"}, vocab) is True

    def test_integer_and_date_bounds_are_inclusive(self, vocab):
        """gte/lte include their bound for integers and dates."""
        assert c.evaluate(leaf("self_destruct_days", "gte", 31), {"self_destruct_days": 31}, vocab) is True
        assert c.evaluate(leaf("self_destruct_days", "gte", 31), {"self_destruct_days": 30}, vocab) is False
        day = dt.date(2010, 12, 31)
        assert c.evaluate(leaf("date", "lte", day), {"date": day}, vocab) is True
        assert c.evaluate(leaf("date", "lte", day), {"date": dt.date(2011, 1, 1)}, vocab) is False

    def test_all_is_false_as_soon_as_a_known_part_is(self, vocab):
        """All is False when some known part is False, even if others are unknown."""
        cond = c.All((leaf("location", "in", "elsewhere"), leaf("activity", "in", "use")))
        assert c.evaluate(cond, {"activity": "retain"}, vocab) is False
        assert c.evaluate(cond, {"activity": "use"}, vocab) is None
        assert c.evaluate(cond, {"activity": "use", "location": "elsewhere"}, vocab) is True

    def test_any_is_true_as_soon_as_a_known_part_is(self, vocab):
        """Any is True when some known part is True, even if others are unknown."""
        cond = c.Any_((leaf("location", "in", "elsewhere"), leaf("activity", "in", "use")))
        assert c.evaluate(cond, {"activity": "use"}, vocab) is True
        assert c.evaluate(cond, {"activity": "retain"}, vocab) is None
        assert c.evaluate(cond, {"activity": "retain", "location": "south_korea"}, vocab) is False

    def test_not_keeps_unknown(self, vocab):
        """Not of an unknown is unknown; of a known it flips."""
        cond = c.Not(leaf("activity", "in", "use"))
        assert c.evaluate(cond, {}, vocab) is None
        assert c.evaluate(cond, {"activity": "use"}, vocab) is False

    def test_constants(self, vocab):
        """TRUE (empty All) always holds and FALSE (empty Any) never does."""
        assert c.evaluate(T, {}, vocab) is True
        assert c.evaluate(F, {}, vocab) is False

    def test_defined_evaluates_its_body(self, vocab):
        """A Defined condition is its definition's condition."""
        cond = c.Defined("apl", "D", leaf("mine", "in", "anti_personnel"))
        assert c.evaluate(cond, {"mine": "anti_personnel"}, vocab) is True
        assert c.evaluate(cond, {"mine": "anti_vehicle"}, vocab) is False


class TestSimplify:
    """simplify folds what the scenario decides and keeps what is still open."""

    def test_folds_known_parts(self, vocab):
        """Known tests become TRUE/FALSE and fold away; the open part remains."""
        cond = c.All((leaf("activity", "in", "use"), leaf("location", "in", "elsewhere")))
        assert c.simplify(cond, {"activity": "use"}, vocab) == leaf("location", "in", "elsewhere")
        assert c.simplify(cond, {"activity": "retain"}, vocab) == F

    def test_any_short_circuits(self, vocab):
        """An Any with a true part is TRUE."""
        cond = c.Any_((leaf("activity", "in", "use"), leaf("location", "in", "elsewhere")))
        assert c.simplify(cond, {"activity": "use"}, vocab) == T

    def test_not_of_constant(self, vocab):
        """Not of a decided part is the opposite constant; of an open part it stays a Not."""
        cond = c.Not(leaf("activity", "in", "use"))
        assert c.simplify(cond, {"activity": "use"}, vocab) == F
        assert c.simplify(cond, {"activity": "retain"}, vocab) == T
        assert c.simplify(cond, {}, vocab) == cond

    def test_defined_keeps_its_marker_while_open(self, vocab):
        """A Defined that is still open keeps its term and definition id around the simplified body."""
        cond = c.Defined("apl", "D", c.All((leaf("mine", "in", "directional_fragmentation"),
                                            leaf("activation", "in", "victim"))))
        assert c.simplify(cond, {"mine": "directional_fragmentation"}, vocab) == c.Defined(
            "apl", "D", leaf("activation", "in", "victim"))
        assert c.simplify(cond, {"mine": "anti_vehicle"}, vocab) == F


class TestWalkers:
    """fields_of, tests_of, definitions_of and negation_normal_form."""

    def test_fields_and_tests(self, vocab):
        """Every field and leaf under the combinators is found, in order."""
        cond = parse("{activity: use, any: [{location: elsewhere}, {not: {detectable: true}}]}", vocab)
        assert c.fields_of(cond) == {"activity", "location", "detectable"}
        assert [t.field for t in c.tests_of(cond)] == ["activity", "location", "detectable"]

    def test_definitions_of(self, vocab):
        """Nested definitions are all found."""
        inner = c.Defined("apl", "D-1", leaf("mine", "in", "anti_personnel"))
        outer = c.All((leaf("activity", "in", "use"), c.Not(c.Defined("weapon", "D-2", inner))))
        assert [d.definition for d in c.definitions_of(outer)] == ["D-2", "D-1"]

    def test_negation_normal_form_pushes_not_to_leaves(self, vocab):
        """De Morgan turns not(all) into any of negated leaves; in/not_in flip, ordered tests keep a Not."""
        cond = c.Not(c.All((leaf("activity", "in", "use"), leaf("authorization", "gte", "president"))))
        assert c.negation_normal_form(cond) == c.Any_((leaf("activity", "not_in", "use"),
                                                       c.Not(leaf("authorization", "gte", "president"))))

    def test_double_negation(self, vocab):
        """not(not(x)) is x."""
        use = leaf("activity", "in", "use")
        assert c.negation_normal_form(c.Not(c.Not(use))) == use

    def test_negation_normal_form_keeps_truth(self, vocab):
        """The normal form has the same truth as the original on every value of its fields."""
        cond = parse("{not: {activity: use, any: [{location: elsewhere}, {detectable: false}]}}", vocab)
        nnf = c.negation_normal_form(cond)
        for activity in ("use", "retain"):
            for location in vocab.field("location").domain():
                for detectable in (False, True):
                    scenario = {"activity": activity, "location": location, "detectable": detectable}
                    assert c.evaluate(nnf, scenario, vocab) == c.evaluate(cond, scenario, vocab)


class TestRendering:
    """describe (one line of text) and to_data (the policy-file language)."""

    @pytest.mark.parametrize("cond, text", [
        (leaf("activity", "in", "use"), "activity = use"),
        (leaf("activity", "in", "use", "retain"), "activity in [use, retain]"),
        (leaf("mine", "not_in", "anti_vehicle"), "mine != anti_vehicle"),
        (leaf("mine", "not_in", "anti_vehicle", "mixed_system"), "mine not in [anti_vehicle, mixed_system]"),
        (leaf("self_destruct_days", "gte", 31), "self_destruct_days >= 31"),
        (leaf("date", "lte", dt.date(2010, 12, 31)), "date <= 2010-12-31"),
        (leaf("detectable", "in", False), "detectable = false"),
        (c.TRUE, "always"),
        (c.FALSE, "never"),
        (c.Not(leaf("activity", "in", "use")), "activity != use"),
        (c.Defined("apl", "D-1", c.TRUE), "apl (D-1)"),
    ])
    def test_describe(self, cond, text):
        """Each form reads as a short line."""
        assert c.describe(cond) == text

    def test_describe_parenthesizes_nested_groups(self):
        """A disjunction inside a conjunction is wrapped in parentheses."""
        cond = c.All((leaf("activity", "in", "use"),
                      c.Any_((leaf("location", "in", "elsewhere"), leaf("detectable", "in", False)))))
        assert c.describe(cond) == "activity = use and (location = elsewhere or detectable = false)"

    @pytest.mark.parametrize("text", [
        "{activity: use}",
        "{activity: [use, retain]}",
        "{mine: {not: anti_vehicle}}",
        "{location: {not: [elsewhere, north_korea]}}",
        "{self_destruct_days: {gte: 31}}",
        "{authorization: {lte: combatant_commander}}",
        "{any: [{activity: use}, {all: [{detectable: false}, {not: {location: elsewhere}}]}]}",
    ])
    def test_to_data_round_trips(self, text, vocab):
        """Parsing to_data of a parsed condition gives the same condition."""
        cond = parse(text, vocab)
        ctx = c.ParseContext(vocab=vocab, path="x")
        assert c.parse(c.to_data(cond), ctx) == cond

    def test_to_data_writes_dates_as_iso(self):
        """Dates become ISO strings, so the data is JSON-ready."""
        assert c.to_data(leaf("date", "gte", dt.date(2011, 1, 1))) == {"date": {"gte": "2011-01-01"}}
