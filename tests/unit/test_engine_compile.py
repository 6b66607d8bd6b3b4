"""Compiling conditions to durable_rules JSON: compile_condition, compile_ruleset and FactEncoder."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from policyengine.core import conditions as c
from policyengine.core.engine import FactEncoder, compile_condition, compile_ruleset, encode_value
from policyengine.core.errors import EngineError
from policyengine.core.vocabulary import Field, Vocabulary


def leaf(field: str, op: str, *values) -> c.Test:
    """A condition leaf."""
    return c.Test(field, op, tuple(values))


class TestEncodeValue:
    """Values as the engine compares them."""

    def test_ordered_enum_is_its_rank(self, vocab):
        """An ordered enum value is its position, so gte/lte compare numbers."""
        assert encode_value(vocab, "authorization", "none") == 0
        assert encode_value(vocab, "authorization", "secretary_of_defense") == 3

    def test_date_is_its_ordinal(self, vocab):
        """A date is its proleptic ordinal."""
        assert encode_value(vocab, "date", dt.date(2011, 1, 1)) == dt.date(2011, 1, 1).toordinal()

    def test_other_values_unchanged(self, vocab):
        """Unordered enums, bools and integers are themselves."""
        assert encode_value(vocab, "mine", "anti_personnel") == "anti_personnel"
        assert encode_value(vocab, "detectable", False) is False
        assert encode_value(vocab, "self_destruct_days", 30) == 30


class TestCompileCondition:
    """Each condition form becomes its durable_rules expression."""

    @pytest.mark.parametrize("cond, expected", [
        (leaf("activity", "in", "use"), {"activity": "use"}),
        (leaf("activity", "in", "use", "retain"), {"$or": [{"activity": "use"}, {"activity": "retain"}]}),
        (leaf("mine", "not_in", "anti_vehicle"), {"$neq": {"mine": "anti_vehicle"}}),
        (leaf("mine", "not_in", "anti_vehicle", "mixed_system"),
         {"$and": [{"$neq": {"mine": "anti_vehicle"}}, {"$neq": {"mine": "mixed_system"}}]}),
        (leaf("self_destruct_days", "gte", 31), {"$gte": {"self_destruct_days": 31}}),
        (leaf("self_destruct_days", "lte", 30), {"$lte": {"self_destruct_days": 30}}),
        (leaf("authorization", "gte", "combatant_commander"), {"$gte": {"authorization": 2}}),
        (leaf("date", "lte", dt.date(2010, 12, 31)), {"$lte": {"date": dt.date(2010, 12, 31).toordinal()}}),
        (leaf("detectable", "in", False), {"detectable": False}),
    ])
    def test_leaf(self, cond, expected, vocab):
        """A leaf compiles to a test, an $or of values, an $and of $neq, or a comparison."""
        assert compile_condition(cond, vocab) == expected

    def test_all_and_any(self, vocab):
        """All and Any compile to $and and $or of their parts."""
        cond = c.All((leaf("activity", "in", "use"),
                      c.Any_((leaf("location", "in", "elsewhere"), leaf("detectable", "in", False)))))
        assert compile_condition(cond, vocab) == {
            "$and": [{"activity": "use"}, {"$or": [{"location": "elsewhere"}, {"detectable": False}]}]}

    def test_single_part_group_is_its_part(self, vocab):
        """A group of one part compiles to that part alone."""
        assert compile_condition(c.All((leaf("activity", "in", "use"),)), vocab) == {"activity": "use"}

    def test_constants(self, vocab):
        """TRUE and FALSE test the constant attribute every fact carries."""
        assert compile_condition(c.TRUE, vocab) == {"_": 1}
        assert compile_condition(c.FALSE, vocab) == {"_": 0}

    def test_negation_is_pushed_to_the_leaves(self, vocab):
        """not(all(...)) becomes an $or of negated leaves; a negated gte becomes $lt."""
        cond = c.Not(c.All((leaf("activity", "in", "use"),
                            leaf("authorization", "gte", "combatant_commander"))))
        assert compile_condition(cond, vocab) == {
            "$or": [{"$neq": {"activity": "use"}}, {"$lt": {"authorization": 2}}]}

    def test_negated_lte_is_gt(self, vocab):
        """not(x <= b) becomes $gt."""
        assert compile_condition(c.Not(leaf("self_destruct_days", "lte", 30)), vocab) == {
            "$gt": {"self_destruct_days": 30}}

    def test_definition_compiles_to_its_body(self, vocab):
        """A Defined condition compiles to its definition's condition."""
        cond = c.Defined("apl", "D-1", leaf("mine", "in", "anti_personnel"))
        assert compile_condition(cond, vocab) == {"mine": "anti_personnel"}


class TestCompileRuleset:
    """The ruleset: one single-message rule per named condition, priorities in order."""

    def test_structure(self, vocab):
        """Each name gets {'all': [{'m': expr}], 'pri': n} with n counting from 1 in order."""
        ruleset = compile_ruleset([("s", c.TRUE), ("r0", leaf("activity", "in", "use")),
                                   ("r1", leaf("mine", "in", "anti_vehicle"))], vocab)
        assert ruleset == {
            "s": {"all": [{"m": {"_": 1}}], "pri": 1},
            "r0": {"all": [{"m": {"activity": "use"}}], "pri": 2},
            "r1": {"all": [{"m": {"mine": "anti_vehicle"}}], "pri": 3},
        }
        assert json.loads(json.dumps(ruleset)) == ruleset

    def test_duplicate_name(self, vocab):
        """Two conditions with one name are refused."""
        with pytest.raises(EngineError, match="engine rule name 'r0' is not unique"):
            compile_ruleset([("r0", c.TRUE), ("r0", c.FALSE)], vocab)

    def test_bad_name(self, vocab):
        """A name outside [A-Za-z0-9_.-] is refused."""
        with pytest.raises(EngineError, match="engine rule name 'r 0'"):
            compile_ruleset([("r 0", c.TRUE)], vocab)

    @pytest.mark.parametrize("name", ["sid", "id", "_", "$x"])
    def test_reserved_field_names(self, name):
        """A vocabulary field named like an engine attribute is refused."""
        vocab = Vocabulary(fields={name: Field(name, "bool", "d")}, path="vocabulary.yaml")
        with pytest.raises(EngineError, match=re.escape(f"field name '{name}' is reserved by the engine")):
            compile_ruleset([("r0", c.TRUE)], vocab)


class TestFactEncoder:
    """The fact for one decision, built from pre-encoded fragments."""

    def test_fact_is_the_encoded_scenario(self, vocab):
        """Every field is encoded as the engine compares it, plus the constant attribute and the sid."""
        fact = FactEncoder(vocab).encode({"activity": "use", "authorization": "president", "detectable": True,
                                          "self_destruct_days": 30, "date": dt.date(2021, 3, 1)}, "s7")
        assert json.loads(fact) == {"activity": "use", "authorization": 4, "detectable": True,
                                    "self_destruct_days": 30, "date": dt.date(2021, 3, 1).toordinal(),
                                    "_": 1, "sid": "s7"}

    def test_empty_scenario(self, vocab):
        """An empty scenario still carries the constant attribute and the sid."""
        assert json.loads(FactEncoder(vocab).encode({}, "s0")) == {"_": 1, "sid": "s0"}

    def test_same_as_json_dumps(self, vocab):
        """The fragments give the same JSON as a generic json.dumps of the encoded values."""
        scenario = {"mine": "anti_personnel", "location": "korean_dmz", "live": False,
                    "authorization": "none"}
        expected = {k: encode_value(vocab, k, v) for k, v in scenario.items()}
        assert json.loads(FactEncoder(vocab).encode(scenario, "s1")) == {**expected, "_": 1, "sid": "s1"}
