"""Named outcomes (str enums) and the per-rule trace every decision carries."""

from __future__ import annotations

import json

import policyengine as pe
from policyengine.core.outcomes import FlagKind, Reason, Verdict
from policyengine.core.trace import RuleStatus

TRANSFER = {"activity": "transfer", "mine": "anti_personnel", "recipient": "state"}


class TestNamedOutcomes:
    """Verdicts, reasons and flag kinds are str enums that read and serialise as plain strings."""

    def test_verdict_is_an_enum_equal_to_its_string(self):
        """The destruction exception gives Verdict.PERMITTED, equal to 'permitted', decided by B22-2.destruction."""
        d = pe.evaluate({**TRANSFER, "purpose": "destruction"}, policy="biden-2022")
        assert d.verdict is Verdict.PERMITTED and d.verdict == "permitted"
        assert d.deciding_rules == ("B22-2.destruction",)
        assert f"{d.verdict}" == "permitted" and str(d.verdict) == "permitted"

    def test_json_is_unchanged(self):
        """to_dict() serialises verdict and reason as their plain values."""
        d = pe.evaluate({"activity": "use", "mine": "anti_vehicle"}, policy="biden-2022")
        data = json.loads(json.dumps(d.to_dict()))
        assert (data["verdict"], data["reason"], data["deciding_rules"]) == ("not_addressed", "out_of_scope",
                                                                               ["B22-1.apl"])
        assert d.reason is Reason.OUT_OF_SCOPE

    def test_flag_kinds_are_named(self):
        """Transfer for countermine training is permitted by the low-confidence B22-2.training, flagged by kind."""
        d = pe.evaluate({**TRANSFER, "purpose": "countermine_training"}, policy="biden-2022")
        assert (d.verdict, d.deciding_rules) == ("permitted", ("B22-2.training",))
        assert [(f.kind, f.subject) for f in d.flags] == [(FlagKind.LOW_CONFIDENCE, "B22-2.training"),
                                                          (FlagKind.INTERPRETATION, "b22-2-wording")]


class TestTrace:
    """Decision.trace says how each provision fared, built only when read."""

    def test_deciding_and_defeated_rules(self):
        """B22-2 holds and is defeated by B22-2.destruction, which holds and decides; B22-3 fails on activity."""
        d = pe.evaluate({**TRANSFER, "purpose": "destruction"}, policy="biden-2022")
        assert d.deciding_rules == ("B22-2.destruction",)
        rows = {row.rule: row for row in d.trace}
        assert rows["B22-2"].status is RuleStatus.HOLDS and rows["B22-2"].defeated_by == ("B22-2.destruction",)
        assert rows["B22-2.destruction"].deciding and not rows["B22-2"].deciding
        assert rows["B22-3"].status is RuleStatus.FAILS
        assert [c.field for c in rows["B22-3"].failing] == ["activity"]

    def test_open_rules_in_a_partial_scenario(self):
        """Use outside Korea without the mine's persistence leaves T20-2 open under trump-2020, decided conditionally."""
        d = pe.evaluate({"activity": "use", "mine": "anti_personnel", "location": "elsewhere"}, policy="trump-2020")
        assert d.verdict == "conditional" and "T20-2" in d.deciding_rules
        row = d.trace.rule("T20-2")
        assert row is not None and row.status is RuleStatus.OPEN
        assert row.open and not row.failing

    def test_built_on_first_read(self):
        """A decision nobody inspects never builds its trace; the first read builds it once."""
        d = pe.evaluate({**TRANSFER, "purpose": "combat"}, policy="biden-2022")
        assert d.trace._rows is None
        assert d.trace.rule("B22-2").deciding and d.deciding_rules == ("B22-2",)
        assert d.trace._rows is not None

    def test_to_dict(self):
        """A rule trace serialises its status, failing conditions and defeat."""
        d = pe.evaluate({**TRANSFER, "purpose": "combat"}, policy="biden-2022")
        row = d.trace.rule("B22-2.destruction").to_dict()
        assert row["status"] == "fails" and row["failing"] == [{"purpose": "destruction"}]
        assert d.deciding_rules == ("B22-2",)
