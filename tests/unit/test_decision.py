"""The Decision object (section 6 of the contract): fields, JSON form, residuals and assessments."""

from __future__ import annotations

import datetime as dt
import json

import attrs
import pytest

import policyengine as pe
from policyengine.core import conditions as c
from policyengine.core.decision import Assessment, Citation, Decision, Flag, Layer, Residual

SECTION_6 = {"verdict", "reason", "policy", "deciding_rules", "applicable_rules", "defeated_rules",
             "residual", "flags", "sources"}
TRANSFER_FOR_DESTRUCTION = {"activity": "transfer", "mine": "anti_personnel", "purpose": "destruction",
                            "recipient": "state"}


def leaf(field: str, op: str, *values) -> c.Test:
    """A condition leaf."""
    return c.Test(field, op, tuple(values))


class TestDecisionFields:
    """A decision names its verdict, deciding rules, defeated rules and sources."""

    def test_exception_decision(self):
        """Transfer for destruction under biden-2022: permitted by the exception, B22-2 defeated by it."""
        d = pe.evaluate(TRANSFER_FOR_DESTRUCTION, policy="biden-2022")
        assert (d.verdict, d.reason, d.policy) == ("permitted", None, "biden-2022")
        assert d.deciding_rules == ("B22-2.destruction",)
        assert d.defeated_rules == {"B22-2": ("B22-2.destruction",)}
        assert set(d.applicable_rules) == {"B22-2", "B22-2.destruction"}
        (citation,) = d.sources
        assert (citation.rule, citation.source, citation.evidence) == ("B22-2.destruction", "S34",
                                                                       "primary_via_quote")
        assert "destruction" in citation.quote

    def test_decision_is_frozen(self):
        """Decisions are immutable values."""
        d = pe.evaluate(TRANSFER_FOR_DESTRUCTION, policy="biden-2022")
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            d.verdict = "prohibited"  # type: ignore[misc]

    def test_decision_keeps_the_typed_scenario(self):
        """The decision carries the validated scenario and the readings applied."""
        d = pe.evaluate({**TRANSFER_FOR_DESTRUCTION, "date": "2023-01-01"}, policy="biden-2022")
        assert d.scenario["date"] == dt.date(2023, 1, 1)
        assert d.interpretation["b22-2-korea"] == "framing"
        assert (d.verdict, d.deciding_rules) == ("permitted", ("B22-2.destruction",))


class TestDecisionJson:
    """`to_dict` gives the JSON object of the contract."""

    def test_section_6_field_names(self):
        """to_dict has every field name of section 6 and is JSON-serializable."""
        d = pe.evaluate({**TRANSFER_FOR_DESTRUCTION, "date": "2023-01-01"}, policy="biden-2022")
        data = json.loads(json.dumps(d.to_dict()))
        assert SECTION_6 <= set(data)
        assert (data["verdict"], data["deciding_rules"]) == ("permitted", ["B22-2.destruction"])
        assert data["defeated_rules"] == {"B22-2": ["B22-2.destruction"]}
        assert data["scenario"]["date"] == "2023-01-01"
        assert data["sources"][0]["rule"] == "B22-2.destruction"
        assert data["sources"][0]["date"] == "2022-06-22"

    def test_conditional_json_has_residuals(self):
        """A conditional decision lists each outcome with its conditions in the policy-file language."""
        d = pe.evaluate({"activity": "transfer", "mine": "anti_personnel", "recipient": "state",
                         "location": "elsewhere"}, policy="biden-2022")
        assert d.verdict == "conditional"
        assert sorted(d.deciding_rules) == ["B22-2", "B22-2.destruction", "B22-2.mine-action",
                                            "B22-2.training"]
        data = json.loads(json.dumps(d.to_dict()))
        assert data["residual"]
        by_rules = {tuple(r["deciding_rules"]): r for r in data["residual"]}
        assert by_rules[("B22-2.destruction",)]["verdict"] == "permitted"
        assert by_rules[("B22-2.destruction",)]["when"] == [[{"purpose": "destruction"}]]
        assert by_rules[("B22-2.destruction",)]["text"] == "purpose = destruction"

    def test_flags_in_json(self):
        """Flags appear with kind, subject and message."""
        d = pe.evaluate({"activity": "transfer", "mine": "anti_personnel", "purpose": "countermine_training",
                         "recipient": "state"}, policy="biden-2022")
        assert (d.verdict, d.deciding_rules) == ("permitted", ("B22-2.training",))
        kinds = {(f["kind"], f["subject"]) for f in d.to_dict()["flags"]}
        assert ("low_confidence", "B22-2.training") in kinds
        assert ("interpretation", "b22-2-wording") in kinds


class TestResidual:
    """A residual outcome and the conditions under which it holds."""

    def test_describe_one_conjunction(self):
        """One alternative reads as its tests joined by 'and'."""
        r = Residual("permitted", ("R-1",), ((leaf("authorization", "gte", "president"),
                                             leaf("detectable", "in", True)),))
        assert r.describe() == "authorization >= president and detectable = true"

    def test_describe_alternatives(self):
        """Several alternatives are parenthesized and joined by 'or'."""
        r = Residual("prohibited", ("R-1",), ((leaf("activity", "in", "use"),),
                                             (leaf("activity", "in", "retain"),)))
        assert r.describe() == "(activity = use) or (activity = retain)"

    def test_describe_empty_conjunction(self):
        """An alternative with no condition always holds."""
        assert Residual("prohibited", ("R-1",), ((),)).describe() == "always"

    def test_describe_groups_a_disjunction_inside_a_conjunction(self):
        """A range disjunction inside one alternative keeps its parentheses."""
        r = Residual("not_addressed", (), ((leaf("activity", "in", "use"),
                                            c.Any_((leaf("date", "lte", dt.date(2010, 12, 31)),
                                                    leaf("date", "gte", dt.date(2022, 1, 1))))),))
        assert r.describe() == "activity = use and (date <= 2010-12-31 or date >= 2022-01-01)"

    def test_to_dict(self):
        """to_dict gives verdict, reason, deciding rules, conditions as data, and the text."""
        r = Residual("not_addressed", (), ((leaf("mine", "in", "anti_vehicle"),),), "out_of_scope")
        assert r.to_dict() == {"verdict": "not_addressed", "reason": "out_of_scope", "deciding_rules": [],
                               "when": [[{"mine": "anti_vehicle"}]], "text": "mine = anti_vehicle"}


class TestParts:
    """Citations, flags and assessments."""

    def test_citation_to_dict(self):
        """A citation's date becomes ISO text, and a missing one stays None."""
        cite = Citation("R-1", "t", "q", "S1", "Source", "https://x", dt.date(2020, 1, 2), "secondary")
        assert cite.to_dict()["date"] == "2020-01-02"
        assert attrs.evolve(cite, date=None).to_dict()["date"] is None

    def test_flag_to_dict(self):
        """A flag is kind, subject and message."""
        assert Flag("low_confidence", "R-1", "why").to_dict() == {"kind": "low_confidence", "subject": "R-1",
                                                                  "message": "why"}

    def test_assessment_layer_lookup(self):
        """An assessment finds the layer of an instrument, and raises KeyError for one not in force."""
        decision = Decision("prohibited", None, "biden-2022", ("B22-3",))
        layer = Layer("biden-2022", "executive", True, decision)
        assessment = Assessment(dt.date(2023, 1, 1), "prohibited", "biden-2022", ("B22-3",), (layer,))
        assert assessment.layer("biden-2022") is layer
        with pytest.raises(KeyError):
            assessment.layer("ottawa")
        data = json.loads(json.dumps(assessment.to_dict()))
        assert (data["date"], data["verdict"], data["deciding_policy"], data["deciding_rules"]) == (
            "2023-01-01", "prohibited", "biden-2022", ["B22-3"])
        assert data["layers"][0]["decision"]["deciding_rules"] == ["B22-3"]
