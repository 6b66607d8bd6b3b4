"""Flags for a date inside a documented departure of practice, or past an interim instrument's horizon."""

from __future__ import annotations

import policyengine as pe

TRANSFER = {"activity": "transfer", "mine": "anti_personnel", "purpose": "combat", "recipient": "state",
            "location": "elsewhere"}
REMOTE = {"activity": "use", "mine": "anti_personnel", "delivery": "remote", "persistence": "non_persistent",
          "compliant_sd_sda": True, "authorization": "combatant_commander"}


def kinds(decision) -> list[tuple[str, str]]:
    """(kind, subject) of every flag."""
    return [(f.kind, f.subject) for f in decision.flags]


class TestDepartureOfPractice:
    """B22-D1: from 2024-11-20 biden-2022 decisions carry a departure-of-practice flag."""

    def test_flag_in_the_period(self) -> None:
        """A transfer answer dated in the period is flagged, and still decided by the text."""
        decision = pe.evaluate({**TRANSFER, "date": "2024-12-01"}, policy="biden-2022")
        assert (decision.verdict, decision.deciding_rules) == ("prohibited", ("B22-2",))
        assert ("departure_of_practice", "B22-D1") in kinds(decision)

    def test_no_flag_before_the_departure(self) -> None:
        """Before 2024-11-20 there is no flag."""
        decision = pe.evaluate({**TRANSFER, "date": "2024-11-19"}, policy="biden-2022")
        assert ("departure_of_practice", "B22-D1") not in kinds(decision)

    def test_flag_on_the_dated_assessment(self) -> None:
        """`evaluate_on` surfaces it on the biden-2022 layer."""
        day = pe.evaluate_on(TRANSFER, "2025-06-01")
        assert ("departure_of_practice", "B22-D1") in kinds(day.layer("biden-2022").decision)

    def test_only_transfers_carry_it(self) -> None:
        """The departure concerned transfers to Ukraine: use in Korea in the period carries no such flag."""
        use = {"activity": "use", "mine": "anti_personnel", "persistence": "non_persistent", "location": "south_korea"}
        decision = pe.evaluate({**use, "date": "2024-12-01"}, policy="biden-2022")
        assert (decision.verdict, decision.deciding_rules) == ("permitted", ("B22-6",))
        assert ("departure_of_practice", "B22-D1") not in kinds(decision)

    def test_a_scenario_that_may_be_a_transfer_keeps_it(self) -> None:
        """With the activity left open, the flag stays: the answer may be about a transfer."""
        decision = pe.evaluate({"mine": "anti_personnel", "date": "2024-12-01"}, policy="biden-2022")
        assert ("departure_of_practice", "B22-D1") in kinds(decision)


class TestInterimHorizon:
    """T25-4: after the 90 days the memo gave for a final policy, trump-2025 decisions are flagged."""

    def test_flag_after_the_horizon(self) -> None:
        """On 2026-03-03 the flag is there."""
        decision = pe.evaluate({**REMOTE, "date": "2026-03-03"}, policy="trump-2025")
        assert ("past_horizon", "T25-4") in kinds(decision)
        assert decision.verdict == "permitted" and decision.deciding_rules == ("T25-2",)

    def test_no_flag_within_the_horizon(self) -> None:
        """On 2026-03-02 it is not."""
        decision = pe.evaluate({**REMOTE, "date": "2026-03-02"}, policy="trump-2025")
        assert ("past_horizon", "T25-4") not in kinds(decision)

    def test_partial_decisions_are_flagged_too(self) -> None:
        """A conditional decision dated after the horizon carries the flag."""
        decision = pe.evaluate({"activity": "use", "mine": "anti_personnel", "date": "2026-06-01"},
                               policy="trump-2025")
        assert decision.verdict == "conditional"
        assert ("past_horizon", "T25-4") in kinds(decision)
