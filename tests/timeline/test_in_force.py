"""What was in force on a date, read against brief §1b and §5b (scenarios/timeline.yaml)."""

from __future__ import annotations

import pytest

import policyengine as pe
from policyengine.cli.app import main
from policyengine.registry import data_dir, policies
from policyengine.core.timeline import presidencies, president_on
from policyengine.core.yamlio import load_yaml

EXPECTED = load_yaml(str(data_dir() / "scenarios" / "timeline.yaml"))["dates"]


@pytest.mark.parametrize("row", EXPECTED, ids=[str(r["date"]) for r in EXPECTED])
class TestInForce:
    """`pe.in_force` names the instruments of each range of the brief's timeline."""

    def test_executive_policies(self, row: dict) -> None:
        """The executive policies in force are those the brief names for the range."""
        got = [f.policy.id for f in pe.in_force(row["date"]) if f.role == "executive"]
        assert sorted(got) == sorted(row["executive"])

    def test_layers(self, row: dict) -> None:
        """The statute and treaties in force beside them are those the brief names."""
        got = [f.policy.id for f in pe.in_force(row["date"]) if f.role != "executive"]
        assert sorted(got) == sorted(row["layers"])

    def test_president_and_carried_over(self, row: dict) -> None:
        """The President in office is right, and a kept predecessor policy is marked carried over."""
        assert president_on(row["date"]) == row["president"]
        carried = [f.policy.id for f in pe.in_force(row["date"]) if "carried over" in f.note]
        assert sorted(carried) == sorted(row.get("carried_over", []))


class TestTimelineData:
    """The timeline's own data is consistent."""

    def test_every_executive_policy_has_a_known_president(self) -> None:
        """Each executive policy names a President of the table who was in office when it was announced."""
        names = {p.name for p in presidencies()}
        for policy in policies():
            if policy.kind == "executive_policy":
                assert policy.president in names, policy.id
                assert president_on(policy.announced) == policy.president, policy.id

    def test_ottawa_is_reported_but_not_counted(self) -> None:
        """Ottawa is in force from 1999-03-01 as a non-binding layer."""
        (entry,) = [f for f in pe.in_force("2010-01-01") if f.policy.id == "ottawa"]
        assert entry.role == "not_binding" and not entry.policy.binds_us


class TestTimelineCommand:
    """`policyengine timeline` lists all ten instruments with their dates (brief §1a)."""

    def test_lists_every_instrument_with_its_dates(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Every bundled instrument appears with its in-force dates."""
        assert main(["timeline", "--width", "220"]) == 0
        out = capsys.readouterr().out
        assert len(policies()) == 10
        for policy in policies():
            assert policy.id in out and policy.in_force_from.isoformat() in out
            if policy.in_force_to:
                assert policy.in_force_to.isoformat() in out
