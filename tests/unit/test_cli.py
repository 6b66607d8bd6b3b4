"""The `policyengine` command: the acceptance lines of the contract, bad input, and `check`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from policyengine.cli.app import main

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
BIDEN = ["evaluate", "--policy", "biden-2022"]
TRUMP = ["evaluate", "--policy", "trump-2020"]


def defect_line(path: Path) -> int:
    """The line a bad fixture marks with '# <- defect'."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if line.rstrip().endswith("# <- defect"))


def run(capsys, *argv: str) -> tuple[int, str, str]:
    """Run the command in-process; return its exit status, stdout and stderr."""
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def run_json(capsys, *argv: str) -> dict:
    """Run an evaluate command with --json and return the decision it printed (status must be 0)."""
    status, out, err = run(capsys, *argv, "--json")
    assert status == 0, err
    return json.loads(out)


class TestEvaluateAcceptance:
    """The acceptance lines of the design contract."""

    def test_transfer_for_destruction_is_permitted(self, capsys):
        """Transfer of APL to a state for destruction: permitted, by a B22-2 exception."""
        data = run_json(capsys, *BIDEN, "activity=transfer", "mine=anti_personnel", "purpose=destruction",
                        "recipient=state")
        assert data["verdict"] == "permitted"
        assert data["deciding_rules"] == ["B22-2.destruction"]
        assert all(rule.startswith("B22-2") for rule in data["deciding_rules"])
        assert data["defeated_rules"] == {"B22-2": ["B22-2.destruction"]}

    def test_transfer_for_combat_is_prohibited(self, capsys):
        """Transfer of APL for combat: prohibited by B22-2."""
        data = run_json(capsys, *BIDEN, "activity=transfer", "mine=anti_personnel", "purpose=combat",
                        "recipient=state")
        assert (data["verdict"], data["deciding_rules"]) == ("prohibited", ["B22-2"])

    def test_trump_2020_non_persistent_off_peninsula_is_conditional(self, capsys):
        """Non-persistent APL elsewhere under trump-2020: conditional, naming what it turns on."""
        status, out, err = run(capsys, *TRUMP, "activity=use", "mine=anti_personnel",
                               "persistence=non_persistent", "location=elsewhere")
        assert status == 0, err
        assert "CONDITIONAL" in out
        for word in ("authorization", "exceptional_circumstances", "T20-2b", "self_destruct_days",
                     "Secretary of Defense"):
            assert word in out, word

    def test_trump_2020_conditional_json(self, capsys):
        """The same question as JSON: conditional, T20-2 permitting only with the Secretary's approval."""
        data = run_json(capsys, *TRUMP, "activity=use", "mine=anti_personnel", "persistence=non_persistent",
                        "location=elsewhere")
        assert data["verdict"] == "conditional"
        assert "T20-2b" in data["deciding_rules"]
        permitted = [r for r in data["residual"] if r["verdict"] == "permitted"]
        assert [r["deciding_rules"] for r in permitted] == [["T20-2"]]
        assert "authorization >= secretary_of_defense" in permitted[0]["text"]
        assert "exceptional_circumstances = true" in permitted[0]["text"]

    def test_named_scenario(self, capsys):
        """--scenario use-self-deactivating-mine-outside-korea under biden-2022: prohibited by B22-3."""
        data = run_json(capsys, *BIDEN, "--scenario", "use-self-deactivating-mine-outside-korea")
        assert (data["verdict"], data["deciding_rules"]) == ("prohibited", ["B22-3"])

    def test_named_scenario_text(self, capsys):
        """The readable answer names the verdict and the deciding provision."""
        status, out, err = run(capsys, *BIDEN, "--scenario", "use-self-deactivating-mine-outside-korea")
        assert status == 0, err
        assert "PROHIBITED" in out
        assert "B22-3" in out

    def test_anti_vehicle_mine_is_out_of_scope(self, capsys):
        """An anti-vehicle mine under biden-2022: not_addressed, out_of_scope, by the APL definition."""
        data = run_json(capsys, *BIDEN, "activity=use", "mine=anti_vehicle")
        assert (data["verdict"], data["reason"]) == ("not_addressed", "out_of_scope")
        assert data["deciding_rules"] == ["B22-1.apl"]

    def test_interpretation_option(self, capsys):
        """--interpretation selects another reading: the ROK transfer becomes prohibited by B22-2."""
        args = ["activity=transfer", "mine=anti_personnel", "location=south_korea",
                "purpose=defense_of_korea"]
        default = run_json(capsys, *BIDEN, *args)
        literal = run_json(capsys, *BIDEN, *args, "--interpretation", "b22-2-korea=literal")
        assert (default["verdict"], default["deciding_rules"]) == ("not_addressed", [])
        assert (literal["verdict"], literal["deciding_rules"]) == ("prohibited", ["B22-2"])
        assert literal["interpretation"]["b22-2-korea"] == "literal"


class TestBadInput:
    """Bad input exits with status 2 and one clear message, never a traceback."""

    @pytest.mark.parametrize("argv, message", [
        ([*BIDEN, "mine=antipersonnel"], "did you mean 'anti_personnel'"),
        ([*BIDEN, "locaton=elsewhere"], "did you mean 'location'"),
        (["evaluate", "--policy", "biden-2021", "activity=use"], "did you mean 'biden-2022'"),
        ([*BIDEN, "activity"], "'activity' is not a field=value pair"),
        ([*BIDEN], "no scenario given"),
        (["evaluate", "activity=use"], "add --policy"),
        ([*BIDEN, "date=2021-02-30"], "takes an ISO date"),
        ([*BIDEN, "--scenario", "use-self-deactivating-mine-outside-kora"],
         "did you mean 'use-self-deactivating-mine-outside-korea'"),
        ([*BIDEN, "activity=use", "--interpretation", "b22-2-korea"], "is not NAME=READING"),
        ([*BIDEN, "activity=use", "--interpretation", "b22-2-korea=literl"], "did you mean 'literal'"),
    ])
    def test_exit_2_with_message(self, capsys, argv, message):
        """The command exits 2, prints the message with its fix on stderr, and nothing on stdout."""
        status, out, err = run(capsys, *argv)
        assert status == 2
        assert message in err
        assert err.startswith("error: ")
        assert "Traceback" not in err
        assert out == ""

    def test_unknown_value_names_the_field(self, capsys):
        """The did-you-mean message names the field and the value typed."""
        status, _, err = run(capsys, *BIDEN, "mine=antipersonnel")
        assert status == 2
        assert "unknown value 'antipersonnel' for field 'mine'" in err

    def test_argparse_errors_exit_2(self, capsys):
        """An unknown subcommand is a usage error with status 2."""
        with pytest.raises(SystemExit) as info:
            main(["evalute"])
        assert info.value.code == 2

    def test_console_script_did_you_mean(self):
        """The command run as `python -m policyengine.cli` exits 2 with a suggestion and no traceback."""
        result = subprocess.run([sys.executable, "-m", "policyengine.cli", *BIDEN, "mine=antipersonnel"], check=False,
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 2
        assert "did you mean 'anti_personnel'" in result.stderr
        assert "Traceback" not in result.stderr


class TestCheck:
    """`policyengine check FILE...` reports the first error of each file."""

    def test_broken_file_prints_file_and_line(self, capsys):
        """A broken file is reported as file:line with the message, and the status is 2."""
        path = FIXTURES / "bad" / "unknown_field.yaml"
        status, _out, err = run(capsys, "check", str(path))
        assert status == 2
        assert f"{path}:{defect_line(path)}:" in err
        assert "unknown field 'locaton'; did you mean 'location'?" in err
        assert "Traceback" not in err

    def test_good_files_pass(self, capsys):
        """Good files are reported ok with their id, and the status is 0."""
        paths = sorted(str(p) for p in (FIXTURES / "good").glob("*.yaml"))
        status, out, err = run(capsys, "check", *paths)
        assert status == 0, err
        assert out.count("ok: ") == len(paths)
        assert "good-full" in out

    def test_one_bad_among_good(self, capsys):
        """One broken file among good ones fails the run, and the good ones are still reported."""
        good = FIXTURES / "good" / "minimal.yaml"
        bad = FIXTURES / "bad" / "unknown_effect.yaml"
        status, out, err = run(capsys, "check", str(good), str(bad))
        assert status == 2
        assert f"ok: {good}" in out
        assert f"{bad}:" in err and "did you mean 'prohibited'" in err

    def test_impossible_date_is_reported(self, capsys):
        """A file with an impossible date is reported with its line, status 2."""
        path = FIXTURES / "bad" / "impossible_date.yaml"
        status, _, err = run(capsys, "check", str(path))
        assert status == 2
        assert f"{path}:{defect_line(path)}:" in err


class TestPolicies:
    """`policyengine policies` lists the instruments."""

    def test_lists_the_core_instruments(self, capsys):
        """The table names biden-2022 and trump-2020."""
        status, out, _ = run(capsys, "policies")
        assert status == 0
        assert "biden-2022" in out and "trump-2020" in out
