"""Scenarios that state contradictory facts are rejected with the two fields and a fix."""

from __future__ import annotations

import pytest

import policyengine as pe
from policyengine.cli.app import main
from policyengine.core.errors import PolicyFileError, ScenarioError
from policyengine.registry import vocabulary
from policyengine.core.vocabulary import load_vocabulary


class TestContradictions:
    """`Vocabulary.check_consistency`, called by `validate`, rejects impossible combinations."""

    def test_persistent_with_a_self_destruct_time(self) -> None:
        """A persistent mine with a self-destruct time names both fields and the fix."""
        with pytest.raises(ScenarioError) as err:
            vocabulary().validate({"persistence": "persistent", "self_destruct_days": 2})
        assert "persistence=persistent contradicts self_destruct_days=2" in err.value.message
        assert "drop self_destruct_days, or write persistence=non_persistent" in err.value.hint

    def test_compliant_design_with_a_long_self_destruct_time(self) -> None:
        """A compliant design cannot take longer than 30 days to self-destruct."""
        with pytest.raises(ScenarioError, match="compliant_sd_sda=true contradicts self_destruct_days=31"):
            vocabulary().validate({"compliant_sd_sda": True, "self_destruct_days": 31})

    def test_consistent_scenarios_pass(self) -> None:
        """Non-contradictory combinations validate unchanged."""
        ok = {"persistence": "non_persistent", "self_destruct_days": 30, "compliant_sd_sda": True}
        assert vocabulary().validate(ok) == ok
        assert vocabulary().validate({"persistence": "persistent", "compliant_sd_sda": False})

    def test_api_rejects_contradictions(self) -> None:
        """`pe.evaluate` raises the same error."""
        with pytest.raises(ScenarioError, match="contradicts"):
            pe.evaluate({"activity": "use", "persistence": "persistent", "self_destruct_days": 2}, policy="apii")

    def test_cli_exits_2_with_one_line(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The CLI exits 2 and prints one line naming both fields and a fix."""
        code = main(["evaluate", "--policy", "apii", "activity=use", "mine=anti_personnel",
                     "persistence=persistent", "self_destruct_days=2"])
        err = capsys.readouterr().err.strip()
        assert code == 2 and "\n" not in err
        assert "persistence=persistent" in err and "self_destruct_days=2" in err and "non_persistent" in err


class TestContradictionData:
    """The contradictions are data in vocabulary.yaml, checked when it is loaded."""

    def test_unknown_field_is_a_file_error(self, tmp_path) -> None:
        """A contradiction naming an unknown field fails with file:line and a suggestion."""
        path = tmp_path / "vocabulary.yaml"
        path.write_text("fields:\n  persistence: {type: enum, values: {persistent: p, non_persistent: n}}\n"
                        "contradictions:\n  - {if: {persistence: persistent}, then_not: [persistance]}\n")
        with pytest.raises(PolicyFileError, match="unknown field 'persistance'") as err:
            load_vocabulary(path)
        assert "vocabulary.yaml:4" in str(err.value)


LONG_SELF_DESTRUCT = {"activity": "use", "mine": "anti_personnel", "persistence": "non_persistent",
                      "self_destruct_days": 60, "delivery": "remote", "detectable": True, "location": "elsewhere"}


class TestPartialEvaluationKnowsWhatCannotHappen:
    """Partial evaluation never offers an outcome that only contradictory scenarios reach."""

    @pytest.mark.parametrize("policy, day", [("clinton-1996", "1997-06-01"), ("bush-2004", "2006-01-01"),
                                             ("trump-2025", "2026-01-15")])
    def test_a_sixty_day_self_destruct_time_is_not_compliant(self, policy: str, day: str) -> None:
        """With self_destruct_days=60 the design cannot meet the 30-day standard, so the answer is the one
        for compliant_sd_sda=false (prohibited), with its provisions, not conditional on compliance."""
        scenario = {**LONG_SELF_DESTRUCT, "date": day}
        if policy == "trump-2025":  # its interim rule also turns on who authorizes the use (Q20)
            scenario["authorization"] = "combatant_commander"
        only = pe.evaluate({**scenario, "compliant_sd_sda": False}, policy=policy)
        found = pe.evaluate(scenario, policy=policy)
        assert found.verdict == "prohibited" and not found.residual
        assert found.deciding_rules == only.deciding_rules and found.deciding_rules

    @pytest.mark.parametrize("day", ["1997-06-01", "2006-01-01", "2026-01-15"])
    def test_the_dated_position_is_prohibited(self, day: str) -> None:
        """The US position on each date is prohibited, decided by the same provisions as the complete scenario."""
        found = pe.evaluate_on(LONG_SELF_DESTRUCT, day)
        only = pe.evaluate_on({**LONG_SELF_DESTRUCT, "compliant_sd_sda": False}, day)
        assert found.verdict == "prohibited"
        assert (found.deciding_policy, found.deciding_rules) == (only.deciding_policy, only.deciding_rules)

    def test_the_cli_says_prohibited(self, capsys: pytest.CaptureFixture[str]) -> None:
        """`evaluate --policy clinton-1996` prints PROHIBITED for the 60-day design."""
        main(["evaluate", "--policy", "clinton-1996", *(f"{k}={str(v).lower()}" for k, v in LONG_SELF_DESTRUCT.items())])
        out = capsys.readouterr().out
        assert out.startswith("clinton-1996: PROHIBITED") and "C96-3.standard" in out


class TestExplorerChoices:
    """The explorer offers no value that would contradict the fields already chosen."""

    def test_a_persistent_mine_is_not_offered_a_compliant_design(self) -> None:
        """With persistence=persistent, compliant_sd_sda offers only false (and 'not given')."""
        from policyengine.web.serve import choices

        vocab = vocabulary()
        offered = choices(vocab.fields["compliant_sd_sda"], {"persistence": "persistent"}, vocab)
        assert [value for value, _ in offered] == ["", "false"]
        assert [value for value, _ in choices(vocab.fields["compliant_sd_sda"], {}, vocab)] == ["", "false", "true"]
