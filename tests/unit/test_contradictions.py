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
