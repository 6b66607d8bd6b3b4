"""The command line shows what to type: fields, scenarios, every choice in errors, your own files,
short answers, warnings first, tables that fit the terminal, help with examples, completion."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import policyengine as pe
from policyengine.cli.app import COMMANDS, build_parser, command_module, main
from policyengine.testing.suites import named_scenarios

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
MINIMAL = FIXTURES / "good" / "minimal.yaml"
APL_USE = ["activity=use", "mine=anti_personnel"]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    """Run the command in-process; return its exit status, stdout and stderr."""
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def failure(capsys, *argv: str) -> str:
    """Run a command that must fail: status 2, one line on stderr, nothing on stdout; return the line."""
    status, out, err = run(capsys, *argv)
    assert status == 2, (out, err)
    assert out == ""
    assert err.startswith("error: ") and err.count("\n") == 1 and "Traceback" not in err
    return err


class TestWhatToType:
    """`fields` and `scenarios` list what a scenario can say."""

    def test_fields_mine_lists_the_four_values_with_descriptions(self, capsys):
        """`policyengine fields mine` names each of the four values and what it means."""
        status, out, _ = run(capsys, "fields", "mine")
        assert status == 0
        field = pe.vocabulary().fields["mine"]
        assert len(field.values) == 4
        flat = " ".join(out.split())
        for value in field.values:
            assert value in out
            assert " ".join(field.value_descriptions[value].split()[:4]) in flat, value

    def test_fields_lists_every_field(self, capsys):
        """`policyengine fields` names every field of the vocabulary."""
        status, out, _ = run(capsys, "fields")
        assert status == 0
        for name in pe.vocabulary().names:
            assert name in out

    def test_unknown_field_is_an_error_with_a_suggestion(self, capsys):
        """`fields locaton` suggests location."""
        assert "did you mean 'location'?" in failure(capsys, "fields", "locaton")

    def test_scenarios_lists_every_named_scenario_with_its_question(self, capsys):
        """`policyengine scenarios` prints every name and its question."""
        status, out, _ = run(capsys, "scenarios")
        assert status == 0
        flat = " ".join(out.split())
        for scenario in named_scenarios(pe.vocabulary()).values():
            assert scenario.name in out.split()
            assert " ".join(scenario.question.split()) in flat

    def test_one_scenario_shows_its_fields(self, capsys):
        """`policyengine scenarios NAME` prints the question and the fields that state it."""
        status, out, _ = run(capsys, "scenarios", "transfer-apl-for-destruction")
        assert status == 0
        assert "activity=transfer" in out and "purpose=destruction" in out


class TestErrorsListChoices:
    """Every error lists the valid choices, or the closest ones with the count."""

    def test_unknown_value_lists_all_nine_activities(self, capsys):
        """activity=hoard (neither an alias nor close to a value) lists all nine activities."""
        err = failure(capsys, "evaluate", "--policy", "biden-2022", "activity=hoard", "mine=anti_personnel")
        for value in pe.vocabulary().fields["activity"].values:
            assert value in err

    @pytest.mark.parametrize("pair, meant", [
        ("location=outside_korea", "elsewhere"), ("mine=AP", "anti_personnel"), ("mine=APL", "anti_personnel"),
        ("activity=export", "transfer"), ("activity=stockpile", "retain"), ("location=DMZ", "korean_dmz"),
    ])
    def test_an_alias_suggests_the_value_it_stands_for(self, capsys, pair, meant):
        """A word the vocabulary lists under `aliases:` suggests its value before any spelling match."""
        given = {"activity": "activity=use", "mine": "mine=anti_personnel", pair.split("=")[0]: pair}
        err = failure(capsys, "evaluate", "--policy", "biden-2022", *given.values())
        assert f"did you mean '{meant}'?" in err

    def test_unknown_policy_lists_every_id(self, capsys):
        """--policy nope lists all ten instruments."""
        err = failure(capsys, "evaluate", "--policy", "nope", *APL_USE)
        for policy in pe.policies():
            assert policy.id in err

    def test_unknown_scenario_gives_the_closest_and_the_count(self, capsys):
        """--scenario foo names the closest scenarios, how many there are, and the command listing them."""
        err = failure(capsys, "evaluate", "--policy", "biden-2022", "--scenario", "foo")
        assert f"of the {len(named_scenarios(pe.vocabulary()))}" in err
        assert "`policyengine scenarios` lists them all" in err

    def test_argparse_error_is_one_line_with_the_choices(self, capsys):
        """A bad --level is one line naming the choices, exit status 2."""
        with pytest.raises(SystemExit) as info:
            main(["evaluate", "--level", "bogus"])
        _, err = capsys.readouterr()
        assert info.value.code == 2
        assert err.count("\n") == 1 and "'short', 'standard', 'full'" in err


class TestConflicts:
    """Repeated fields, repeated instruments and conflicting flags are errors, not silent choices."""

    def test_repeated_field(self, capsys):
        """A field given twice names both values."""
        err = failure(capsys, "evaluate", "--policy", "biden-2022", *APL_USE, "location=elsewhere",
                      "location=korean_dmz")
        assert "field 'location' given twice (elsewhere and korean_dmz)" in err

    def test_repeated_policy(self, capsys):
        """--policy given twice is an error that says how to compare instruments."""
        err = failure(capsys, "evaluate", "-p", "biden-2022", "-p", "trump-2020", *APL_USE)
        assert "--policy given 2 times" in err and "--across" in err

    def test_json_and_markdown(self, capsys):
        """--json with --format markdown is a conflict."""
        err = failure(capsys, "explain", "--json", "--format", "markdown", "-p", "biden-2022", *APL_USE)
        assert "--json and --format markdown conflict" in err

    def test_across_with_policy(self, capsys):
        """--across with --policy is a conflict."""
        assert "conflict" in failure(capsys, "explain", "--across", "-p", "biden-2022", *APL_USE)

    def test_date_before_the_first_instrument(self, capsys):
        """--on 1980-01-01 says nothing was in force and names the first instrument and its date."""
        first = min(pe.policies(), key=lambda p: p.in_force_from)
        err = failure(capsys, "evaluate", "--on", "1980-01-01", *APL_USE)
        assert "no instrument was in force on 1980-01-01" in err
        assert first.id in err and first.in_force_from.isoformat() in err


class TestYourOwnFiles:
    """--policy, --suite and suite FILE take files of your own."""

    def test_evaluate_a_policy_file(self, capsys):
        """`evaluate --policy ./my.yaml` evaluates the file's rules."""
        status, out, err = run(capsys, "evaluate", "--policy", str(MINIMAL), *APL_USE, "--json")
        assert status == 0, err
        assert '"deciding_rules": [\n    "M-1"' in out and '"verdict": "prohibited"' in out

    def test_relative_path(self, capsys, monkeypatch):
        """A relative path to a file in the current folder works as `./my.yaml`."""
        monkeypatch.chdir(MINIMAL.parent)
        status, out, err = run(capsys, "evaluate", "--policy", "./minimal.yaml", *APL_USE, "--level", "short")
        assert status == 0, err
        assert out.splitlines()[0] == "good-minimal: PROHIBITED"

    def test_missing_policy_file(self, capsys):
        """A path that does not exist is an error naming it."""
        assert "no policy file 'nope/none.yaml'" in failure(capsys, "evaluate", "-p", "nope/none.yaml", *APL_USE)

    def test_suite_file_against_a_policy_file(self, capsys, tmp_path):
        """A suite of your own runs against your own policy file; a wrong expectation fails it."""
        suite = tmp_path / "my_suite.yaml"
        suite.write_text("policy: good-minimal\ncases:\n"
                         "  - scenario: {activity: use, mine: anti_personnel}\n    verdict: prohibited\n"
                         "    deciding: [M-1]\n"
                         "  - scenario: {activity: retain, mine: anti_personnel}\n    verdict: not_addressed\n",
                         encoding="utf-8")
        status, out, err = run(capsys, "suite", "--suite", str(suite), "--policy", str(MINIMAL))
        assert (status, out.strip()) == (0, "2 cases: 2 passed, 0 failed"), err
        suite.write_text(suite.read_text(encoding="utf-8").replace("verdict: prohibited", "verdict: permitted"),
                         encoding="utf-8")
        status, out, _ = run(capsys, "suite", str(suite), "--policy", str(MINIMAL))
        assert status == 1 and "expected: permitted, decided by M-1" in out and "actual:   prohibited" in out

    def test_bundled_suite_file(self, capsys):
        """A bundled suite given by path runs like `suite --policy ID`."""
        path = Path(pe.__file__).resolve().parents[2] / "scenarios" / "suites" / "biden-2022.yaml"
        if not path.is_file():
            pytest.skip("not a source checkout")
        status, out, _ = run(capsys, "suite", str(path))
        assert status == 0 and out.strip().endswith("0 failed")


class TestOutput:
    """Short answers, warnings first, tables that fit, text wrapped to the terminal."""

    def test_level_short_is_at_most_three_lines(self, capsys):
        """--level short prints the verdict and one sentence."""
        status, out, _ = run(capsys, "evaluate", "-p", "biden-2022", "--scenario", "transfer-apl-for-destruction",
                             "--level", "short")
        assert status == 0
        assert out.splitlines() == ["biden-2022: PERMITTED",
                                    "Under biden-2022 this is permitted, decided by B22-2.destruction."]

    @pytest.mark.parametrize("argv", [
        ["-p", "biden-2022", "--on", "2010-01-01", *APL_USE],
        ["--on", "2021-03-01", *APL_USE],
        ["-p", "trump-2020", *APL_USE, "persistence=non_persistent", "location=elsewhere"],
    ])
    def test_level_short_stays_short(self, capsys, argv):
        """With a warning, a date, or a conditional answer, --level short is still at most three
        statements (a wrapped statement hangs its further lines by two spaces)."""
        status, out, _ = run(capsys, "evaluate", *argv, "--level", "short")
        assert status == 0 and 2 <= len([line for line in out.splitlines() if not line.startswith("  ")]) <= 3

    def test_warning_comes_first(self, capsys):
        """An instrument asked about a date outside its force says so on the first line."""
        status, out, _ = run(capsys, "evaluate", "-p", "biden-2022", "--on", "2010-01-01", *APL_USE)
        assert status == 0
        assert out.splitlines()[0].startswith("warning: biden-2022 was not in force on 2010-01-01")

    @pytest.mark.parametrize("command", ["policies", "timeline", "fields", "scenarios"])
    def test_tables_fit_80_columns_with_every_id_whole(self, capsys, monkeypatch, command):
        """At COLUMNS=80 every line fits and every instrument id appears whole."""
        monkeypatch.setenv("COLUMNS", "80")
        status, out, _ = run(capsys, command)
        assert status == 0
        assert max(len(line) for line in out.splitlines()) <= 80
        words = set(out.replace("\u2502", " ").replace(",", " ").split())
        if command in ("policies", "timeline"):
            assert {p.id for p in pe.policies()} <= words
        if command == "fields":
            assert set(pe.vocabulary().names) <= words

    def test_explanation_wraps_to_the_terminal(self, capsys, monkeypatch):
        """Explanation text wraps to COLUMNS."""
        monkeypatch.setenv("COLUMNS", "72")
        status, out, _ = run(capsys, "explain", "-p", "biden-2022", "--scenario", "transfer-apl-for-destruction")
        assert status == 0
        long = [line for line in out.splitlines() if len(line) > 72 and not line.strip().startswith("http")]
        assert long == []

    @pytest.mark.parametrize("argv", [
        ["explain", "--across", "--scenario", "transfer-apl-for-destruction"],
        ["evaluate", "--on", "2021-03-01", *APL_USE],
    ])
    def test_long_views_fit_80_columns(self, capsys, monkeypatch, argv):
        """At COLUMNS=80 the across table and the date view fit, but for URLs, which are never cut."""
        monkeypatch.setenv("COLUMNS", "80")
        status, out, _ = run(capsys, *argv)
        assert status == 0
        assert [line for line in out.splitlines() if len(line) > 80 and "://" not in line] == []
        for policy in pe.policies():
            assert policy.id in out.split() or argv[0] == "evaluate"

    def test_explain_on_a_date(self, capsys):
        """`explain --on DATE` explains everything in force then instead of asking for an instrument."""
        status, out, _ = run(capsys, "explain", "--on", "2023-01-01", *APL_USE, "persistence=non_persistent",
                             "location=elsewhere")
        assert status == 0
        assert out.startswith("2023-01-01: US position PROHIBITED under biden-2022 (B22-3)")


class TestPackaging:
    """--version, python -m policyengine, examples in help, shell completion."""

    def test_version(self, capsys):
        """--version prints the version and the engine in use with why, from the full parser too."""
        with pytest.raises(SystemExit) as info:
            main(["--version"])
        assert info.value.code == 0
        engine = pe.engine()
        want = f"policyengine {pe.__version__} (engine: {engine.name} ({engine.reason}))"
        assert " ".join(capsys.readouterr().out.split()) == want  # argparse wraps a long line
        from policyengine.__main__ import main as command

        assert command(["--version"]) == 0
        assert capsys.readouterr().out.strip() == want

    def test_python_m_policyengine(self):
        """`python -m policyengine --help` works and lists the commands."""
        result = subprocess.run([sys.executable, "-m", "policyengine", "--help"], capture_output=True, text=True,
                                check=False, timeout=120)
        assert result.returncode == 0
        for command in ("evaluate", "fields", "scenarios", "report", "serve", "completion"):
            assert command in result.stdout

    @pytest.mark.parametrize("command", sorted(COMMANDS))
    def test_help_ends_with_examples(self, capsys, command):
        """Every command's --help ends with examples of it."""
        with pytest.raises(SystemExit):
            main([command, "--help"])
        out = capsys.readouterr().out
        examples = out[out.index("examples:"):]
        assert f"policyengine {command}" in examples or command == "completion" and "completion bash" in examples

    def test_every_command_has_examples(self):
        """No subcommand is without examples."""
        sub = next(a for a in build_parser()._actions if a.dest == "command")
        assert set(sub.choices) == set(COMMANDS)
        assert all("examples:" in command_module(name).EXAMPLES for name in COMMANDS)

    def test_bash_completion(self, capsys, tmp_path):
        """The bash script completes commands and field values."""
        status, out, _ = run(capsys, "completion", "bash")
        assert status == 0
        script = tmp_path / "completion.bash"
        script.write_text(out, encoding="utf-8")
        probe = (f"source {script}; COMP_WORDS=(policyengine evaluate mine=anti_p); COMP_CWORD=2; _policyengine; "
                 "echo ${COMPREPLY[@]}; COMP_WORDS=(policyengine sce); COMP_CWORD=1; _policyengine; "
                 "echo ${COMPREPLY[@]}")
        result = subprocess.run(["bash", "-c", probe], capture_output=True, text=True, check=False, timeout=60)
        assert result.stdout.split("\n")[:2] == ["mine=anti_personnel", "scenarios"]

    def test_strategies_without_hypothesis(self):
        """Importing the strategies without Hypothesis raises a PolicyEngineError naming the extra."""
        code = ("import sys; sys.modules['hypothesis'] = None\n"
                "from policyengine.core.errors import PolicyEngineError\n"
                "try:\n    import policyengine.testing.strategies\nexcept PolicyEngineError as exc:\n    print(exc)\n")
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
        assert "[strategies]" in result.stdout

    def test_license_and_py_typed(self):
        """The package ships py.typed; the checkout has the MIT LICENSE that pyproject names."""
        assert (Path(pe.__file__).parent / "py.typed").is_file()
        root = Path(pe.__file__).resolve().parents[2]
        if (root / "pyproject.toml").is_file():
            assert (root / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
