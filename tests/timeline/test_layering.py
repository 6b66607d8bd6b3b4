"""The US position on a date through the layering (scenarios/layering.yaml)."""

from __future__ import annotations

import pytest

import policyengine as pe
from policyengine.cli.app import main
from policyengine.registry import data_dir
from policyengine.core.timeline import caveats, other_readings, overall, position_words
from policyengine.core.yamlio import load_yaml

CASES = load_yaml(str(data_dir() / "scenarios" / "layering.yaml"))["cases"]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
class TestLayeringCases:
    """Each dated case gives its position, deciding instrument and provisions."""

    def test_position_and_deciding_provisions(self, case: dict) -> None:
        """The position, the instrument that decides it and its deciding provisions are as expected."""
        got = pe.evaluate_on(case["scenario"], case["date"])
        assert got.verdict == case["position"]
        assert got.deciding_policy == case.get("deciding_policy")
        assert sorted(got.deciding_rules) == sorted(case.get("deciding", []))

    def test_inherited_layer(self, case: dict) -> None:
        """An inherited answer comes from a layer marked inherited, with a flag saying why."""
        got = pe.evaluate_on(case["scenario"], case["date"])
        roles = {layer.policy: layer for layer in got.layers}
        if case.get("inherited"):
            layer = roles[case["deciding_policy"]]
            assert layer.role == "inherited"
            assert any(f.kind == "inherited" for f in layer.decision.flags)
            assert all(f.kind != "not_in_force" for f in layer.decision.flags)
        elif got.deciding_policy:
            assert roles[got.deciding_policy].role != "inherited"

    def test_caveats(self, case: dict) -> None:
        """The flags a case names are among the dated answer's caveats; those under `no_caveats` are not."""
        got = pe.evaluate_on(case["scenario"], case["date"])
        subjects = {flag.subject for _, flag in caveats(got)}
        assert set(case.get("caveats", ())) <= subjects
        assert not set(case.get("no_caveats", ())) & subjects

    def test_words_when_us_policy_is_silent(self, case: dict) -> None:
        """A silent executive layer reads "not addressed by US policy", naming a treaty that allows it."""
        got = pe.evaluate_on(case["scenario"], case["date"])
        assert position_words(got.verdict, got.deciding_policy, got.layers) == case.get("words", "")


class TestFloors:
    """A treaty's or statute's permission never decides the US position on its own."""

    def test_treaty_permission_alone_is_not_a_position(self) -> None:
        """With the executive layer silent, a permitting treaty leaves the position not addressed."""
        got = pe.evaluate_on({"activity": "transfer", "mine": "anti_personnel", "purpose": "combat",
                              "recipient": "state", "recipient_apii_party": True, "location": "elsewhere",
                              "persistence": "non_persistent", "delivery": "remote", "self_destruct_days": 2,
                              "detectable": True, "compliant_sd_sda": True}, "2026-01-15")
        assert got.layer("apii").decision.verdict == "permitted"
        assert (got.verdict, got.deciding_policy) == ("not_addressed", None)

    def test_treaty_conditional_with_only_permissions_does_not_make_the_position_conditional(self) -> None:
        """A treaty residual that could only permit does not open the position."""
        day = pe.evaluate_on({"activity": "use", "mine": "anti_vehicle", "persistence": "persistent",
                              "location": "elsewhere"}, "2022-06-21")
        treaty = [layer for layer in day.layers if layer.role == "treaty"]
        executive = [layer for layer in day.layers if layer.role != "treaty"]
        verdict, _ = overall([*executive, *treaty])
        assert verdict == "prohibited"

    def test_cli_says_not_addressed_by_us_policy(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The CLI's title names the treaty that allows what US policy does not address."""
        assert main(["evaluate", "--on", "2026-01-15", "activity=transfer", "mine=anti_personnel",
                     "purpose=combat", "recipient=state", "recipient_apii_party=true", "location=elsewhere",
                     "persistence=non_persistent", "delivery=remote", "self_destruct_days=2",
                     "detectable=true", "compliant_sd_sda=true"]) == 0
        words = " ".join(capsys.readouterr().out.split())  # the title, however the width wrapped it
        assert words.startswith("2026-01-15: US position NOT ADDRESSED by US policy; the treaty apii allows it "
                                "(APII-8.1d)")

    def test_only_binding_layers_count(self) -> None:
        """Ottawa (not binding) never decides, even when it alone prohibits."""
        got = pe.evaluate_on({"activity": "assist", "mine": "anti_personnel", "purpose": "combat",
                              "location": "south_korea"}, "2023-06-01")
        assert got.layer("ottawa").decision.verdict == "prohibited"
        assert (got.verdict, got.deciding_policy, got.deciding_rules) == ("permitted", "biden-2022", ("B22-4.korea",))


EXPORT = {"activity": "transfer", "mine": "anti_personnel", "purpose": "combat", "recipient": "state",
          "recipient_apii_party": True, "persistence": "non_persistent", "self_destruct_days": 2,
          "delivery": "remote", "detectable": True, "compliant_sd_sda": True, "location": "elsewhere"}


class TestDatedCaveats:
    """A dated answer says what the flags of every binding layer say, not only the deciding one's."""

    @pytest.mark.parametrize("day", ["2010-01-01", "2021-03-01", "2026-01-15"])
    def test_export_names_the_statute_reading_and_its_answer(self, day: str) -> None:
        """Exports after 2008 read not addressed, and the continuing reading of STAT-1 would prohibit them."""
        got = pe.evaluate_on(EXPORT, day)
        assert got.verdict == "not_addressed"
        assert ("stat-export", "stat-1-after-2008") in {(p, f.subject) for p, f in caveats(got)}
        (other,) = other_readings(got, corpus=pe.bundled())
        assert (other.interpretation, other.reading, other.verdict) == ("stat-1-after-2008", "continuing", "prohibited")
        assert (other.deciding_policy, other.deciding_rules) == ("stat-export", ("STAT-1",))

    def test_cli_prints_the_flag_and_the_other_answer(self, capsys: pytest.CaptureFixture[str]) -> None:
        """`evaluate --on` prints the statute's reading flag and the position under the other reading."""
        args = [f"{k}={str(v).lower() if isinstance(v, bool) else v}" for k, v in EXPORT.items()]
        assert main(["evaluate", "--on", "2010-01-01", *args]) == 0
        out = " ".join(capsys.readouterr().out.split())
        assert "Under the reading 'continuing' of stat-1-after-2008 (stat-export) the US position would be " \
               "PROHIBITED under stat-export (STAT-1)." in out
        assert "caveats from the other instruments in force:" in out
        assert "stat-export: interpretation (stat-1-after-2008)" in out
        assert "apii: low confidence (APII-8.1d)" in out

    def test_no_other_reading_when_the_answer_would_not_change(self) -> None:
        """Before 2008 the statute bars the export on either reading: no other position is reported."""
        got = pe.evaluate_on(EXPORT, "2005-06-01")
        assert (got.verdict, got.deciding_policy) == ("prohibited", "bush-2004")
        assert got.layer("stat-export").decision.verdict == "prohibited"
        assert other_readings(got, corpus=pe.bundled()) == ()
