"""`policyengine test`: suites from any path, failures with why-not, coverage against a threshold."""

from __future__ import annotations

import json
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from types import ModuleType

import pytest

import policyengine as pe

from policyengine.cli import test as test_command
from policyengine.cli.app import main
from policyengine.registry import bundled
from policyengine.testing.runner import run_tests, suite_paths
from policyengine.testing.suites import all_cases
from policyengine.core.vocabulary import Vocabulary

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


def line(text: str, needle: str) -> int:
    """The 1-based line of the first line of `text` that contains `needle`."""
    return next(i for i, row in enumerate(text.splitlines(), 1) if needle in row)


def typed(vocab: Vocabulary, scenario: dict[str, str]) -> dict:
    """A scenario of the JSON report (values as text) typed against the vocabulary."""
    return vocab.validate(scenario, "report")


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch):
    """A terminal wide enough that no report line wraps, so the assertions read whole lines
    (wrapping to the width is tested in tests/unit/test_columns.py)."""
    monkeypatch.setenv("COLUMNS", "400")


@pytest.fixture(scope="module")
def runs_made() -> dict[tuple, tuple]:
    """The runs the `test` command made in this module, by what it ran (the corpus kept beside each)."""
    return {}


@pytest.fixture(autouse=True)
def run_once_per_module(runs_made: dict[tuple, tuple], check_each_claim_once: Callable[[ModuleType], None],
                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The `test` command runs the cases of the same paths and -k words once per module and corpus,
    and checks each claim once per session: a run of the bundled suites and news claims takes seconds,
    and each test checks what the command makes of it (its exit code, text or JSON)."""
    run_tests = test_command.run_tests

    def once(paths, corpus, select=()):
        key = (tuple(map(str, paths)), tuple(select))
        if key not in runs_made or runs_made[key][0] is not corpus:
            runs_made[key] = (corpus, run_tests(paths, corpus, select))
        return runs_made[key][1]

    monkeypatch.setattr(test_command, "run_tests", once)
    check_each_claim_once(test_command)


@pytest.fixture(scope="module")
def bundled_run():
    """One run of the bundled suites (cases, coverage and generated scenarios)."""
    return run_tests([SCENARIOS], pe.bundled())


class TestBundledSuites:
    """The runner on the project's own suites."""

    def test_every_case_runs_and_passes(self, bundled_run):
        """Every case of scenarios/suites runs (named.yaml and timeline.yaml are skipped) and passes."""
        assert len(bundled_run.runs) == len(all_cases(pe.bundled()))
        assert bundled_run.failures == []

    @pytest.mark.slow
    def test_threshold_90_passes_with_json(self, capsys):
        """`test scenarios/ --threshold 90 --json` exits 0 with an OPA-shaped coverage report."""
        assert main(["test", str(SCENARIOS), "--threshold", "90", "--json"]) == 0
        report = json.loads(capsys.readouterr().out)
        assert report["passed"] is True and report["threshold"] == 90.0
        assert report["cases"]["failed"] == 0 and report["cases"]["total"] == len(all_cases(pe.bundled()))
        assert report["coverage"] >= 90
        entry = next(f for f in report["files"].values() if f["policy"] == "biden-2022")
        covered = {p["provision"]: p for p in entry["covered"]}
        assert covered["B22-3"]["start"]["row"] == bundled()["biden-2022"].rules_named("B22-3")[0].line
        assert any(c["where"].endswith(".yaml:" + c["where"].rsplit(":", 1)[1]) and c["label"]
                   for c in covered["B22-3"]["cases"])
        assert entry["covered_provisions"] + entry["not_covered_provisions"] == len(
            bundled()["biden-2022"].rule_ids())

    @pytest.mark.slow
    def test_threshold_100_names_each_uncovered_provision(self, capsys):
        """`--threshold 100` exits 1 and names every provision that never decided, with a scenario
        that (re-evaluated) makes it decide."""
        assert main(["test", str(SCENARIOS), "--threshold", "100", "--json"]) == 1
        report = json.loads(capsys.readouterr().out)
        uncovered = [(f["policy"], p) for f in report["files"].values() for p in f["not_covered"]]
        assert len(uncovered) == report["not_covered_provisions"] > 0
        corpus = bundled()
        for policy_id, provision in uncovered:
            generated = provision["generated"]
            assert generated is not None, provision["provision"]
            judge = corpus.evaluator(policy_id)
            decision = judge.evaluate(typed(corpus.vocabulary, generated["scenario"]), generated["interpretation"])
            assert provision["provision"] in decision.deciding_rules
            assert decision.verdict == generated["verdict"] and not decision.residual
        assert main(["test", str(SCENARIOS), "--threshold", "100"]) == 1
        out = capsys.readouterr().out
        assert "threshold 100%: NOT met" in out
        for policy_id, provision in uncovered:
            assert f"never decided: {policy_id} {provision['provision']} (line " in out

    @pytest.mark.slow
    def test_threshold_is_exact(self, bundled_run, capsys):
        """The exact coverage passes as its own threshold; a hundredth above it fails; it prints truncated."""
        exact = bundled_run.coverage.percent
        assert exact.denominator != 1  # the bundled figure is not a whole number, so rounding would show
        below = Fraction(int(exact * 100), 100)
        assert main(["test", str(SCENARIOS), "--threshold", f"{float(below):.2f}"]) == 0
        above = below + Fraction(1, 100)
        assert main(["test", str(SCENARIOS), "--threshold", f"{float(above):.2f}"]) == 1
        assert f"coverage: {float(below):.2f}% (" in capsys.readouterr().out

    def test_suite_is_an_alias(self, capsys):
        """`policyengine suite --policy ID` runs that instrument's bundled cases."""
        assert main(["suite", "--policy", "ottawa"]) == 0
        count = sum(c.policy == "ottawa" for c in all_cases(pe.bundled()))
        assert f"{count} cases: {count} passed, 0 failed" in capsys.readouterr().out


class TestUserSuites:
    """A suite of one's own, in any folder, against one's own policy file."""

    def test_failure_shows_expected_actual_and_why_not(self, student, capsys):
        """The failing case prints both verdicts and deciding provisions and why S-1 did not decide."""
        assert main(["test", str(student)]) == 1
        out = capsys.readouterr().out
        at = line((student / "suites" / "student.yaml").read_text(), "name: use-in-korea")
        assert "FAIL " in out and f"student.yaml:{at} student-policy use-in-korea" in out
        assert "expected: prohibited, decided by S-1" in out
        assert "actual:   permitted, decided by S-1.korea" in out
        assert "why not S-1: S-1 does not apply: it requires location = elsewhere" in out
        assert "2 cases: 1 passed, 1 failed" in out
        assert "use-outside-korea" not in out  # quiet: passing cases are not listed

    def test_verbose_lists_every_case(self, student, capsys):
        """-v prints a PASS line per passing case and coverage per instrument."""
        main(["test", str(student), "-v"])
        out = capsys.readouterr().out
        assert "PASS " in out and "use-outside-korea" in out
        assert "student-policy: 40.00% decided (2/5)" in out

    def test_user_policy_coverage(self, student, capsys):
        """Coverage counts the student's provisions; S-2 can never decide; S-3 decides under its reading."""
        run = run_tests([student], pe.bundled())
        (inst,) = run.coverage.instruments
        rows = {p.rule: p for p in inst.provisions}
        assert inst.policy == "student-policy" and list(rows) == ["S-1", "S-1.korea", "S-2", "S-2.always", "S-3"]
        assert rows["S-1"].decided and rows["S-1.korea"].decided
        assert rows["S-1"].seen_true and rows["S-1"].seen_false
        assert rows["S-2"].generated is None and not rows["S-2"].reached
        assert rows["S-2.always"].generated.scenario == {"activity": "transfer", "mine": "anti_personnel"}
        assert rows["S-3"].generated.interpretation == {"retention": "broad"}
        assert inst.percent == 40
        main(["test", str(student)])
        out = capsys.readouterr().out
        policy = (student / "student-policy.yaml").read_text()
        s2, s3 = line(policy, "id: S-2"), line(policy, "id: S-3")
        assert f"never decided: student-policy S-2 (line {s2}); no scenario makes it decide under any reading" in out
        assert (f"never decided: student-policy S-3 (line {s3}); it decides (prohibited) for: activity=retain "
                "mine=anti_personnel --interpretation retention=broad") in out

    def test_with_names_an_instrument_of_the_corpus(self, student, capsys):
        """--with adds a policy file, so a suite may name it by id."""
        suite = student / "by-id.yaml"
        suite.write_text((student / "suites" / "student.yaml").read_text().replace(
            "policy: ../student-policy.yaml", "policy: student-policy"))
        assert main(["test", str(suite)]) == 2
        assert "unknown policy 'student-policy'" in capsys.readouterr().err
        assert main(["test", str(suite), "--with", str(student / "student-policy.yaml"), "-k", "outside"]) == 0
        assert "1 case: 1 passed, 0 failed" in capsys.readouterr().out

    def test_select_with_k(self, student, capsys):
        """-k keeps the cases whose instrument, label or file:line contains the word."""
        assert main(["test", str(student), "-k", "outside-korea"]) == 0
        assert "1 case: 1 passed, 0 failed" in capsys.readouterr().out
        assert main(["test", str(student), "-k", "nothing-like-this"]) == 2
        assert "no case or claim to run" in capsys.readouterr().err


class TestDiscovery:
    """Which YAML files under a folder are suites."""

    def test_skips_non_suites_hidden_folders_and_environments(self, student):
        """Non-suite YAML (even broken), hidden folders and virtual environments are left alone."""
        (student / "broken-notes.yaml").write_text("title: [unclosed\n")
        suite = (student / "suites" / "student.yaml").read_text()
        for folder in (".hidden", "venv"):
            (student / folder).mkdir()
            (student / folder / "copy.yaml").write_text(suite)
        (student / "venv" / "pyvenv.cfg").write_text("home = /usr/bin\n")
        assert suite_paths([student]) == [student / "suites" / "student.yaml"]

    def test_broken_suite_is_an_error(self, student, capsys):
        """A file with top-level policy and cases keys that does not parse is an error, not skipped."""
        (student / "suites" / "broken.yaml").write_text(
            "policy: biden-2022\ncases:\n  - scenario: {activity: use\n")
        assert main(["test", str(student)]) == 2
        assert "broken.yaml:4: not valid YAML" in capsys.readouterr().err


class TestBadInput:
    """Bad paths, suites and thresholds exit 2 with one line."""

    def test_malformed_suite_names_file_and_line(self, student, capsys):
        """A suite with an unknown verdict is one error line naming file:line."""
        bad = student / "suites" / "bad.yaml"
        bad.write_text("policy: biden-2022\ncases:\n  - scenario: {activity: use, mine: anti_personnel}\n"
                       "    verdict: forbidden\n")
        assert main(["test", str(student)]) == 2
        err = capsys.readouterr().err.strip()
        assert len(err.splitlines()) == 1
        assert "bad.yaml:4: unknown verdict 'forbidden'" in err

    def test_missing_path(self, tmp_path, capsys):
        """A path that does not exist is named."""
        assert main(["test", str(tmp_path / "nowhere")]) == 2
        assert "nowhere: no such file or folder" in capsys.readouterr().err

    def test_an_error_in_the_suites_policy_file_names_that_file_and_line(self, student, capsys):
        """A typo in the policy file a suite loads is reported at the policy file's line, not the suite's."""
        policy = student / "student-policy.yaml"
        text = policy.read_text().replace("when: {activity: use, location: elsewhere}",
                                          "when: {activity: use, location: outside_korea}")
        policy.write_text(text)
        assert main(["test", str(student / "suites" / "student.yaml")]) == 2
        err = capsys.readouterr().err
        at = line(text, "outside_korea")
        assert f"student-policy.yaml:{at}: " in err and "did you mean 'elsewhere'?" in err
        assert "the policy of the suite " in err and "student.yaml:1" in err

    def test_a_missing_policy_file_names_the_path_tried(self, student, capsys):
        """A suite naming a policy file that is not there says which path was tried."""
        suite = student / "suites" / "student.yaml"
        suite.write_text(suite.read_text().replace("../student-policy.yaml", "../no-such-policy.yaml"))
        assert main(["test", str(suite)]) == 2
        err = capsys.readouterr().err
        assert f"tried {(student / 'no-such-policy.yaml').resolve()}" in err

    def test_a_missing_policy_option_names_the_path_tried(self, tmp_path, capsys, monkeypatch):
        """--policy with a file that is not there names the absolute path tried."""
        monkeypatch.chdir(tmp_path)
        assert main(["evaluate", "--policy", "./draft.yaml", "activity=use"]) == 2
        assert f"(tried {tmp_path.resolve() / 'draft.yaml'})" in capsys.readouterr().err

    @pytest.mark.parametrize("value", ["ninety", "101", "-1"])
    def test_bad_threshold(self, value, capsys):
        """A threshold must be a number from 0 to 100."""
        assert main(["test", str(SCENARIOS), "--threshold", value]) == 2
        assert "--threshold" in capsys.readouterr().err

    def test_folder_without_suites(self, tmp_path, capsys):
        """A folder holding only YAML files that are not suites has no case to run."""
        (tmp_path / "named.yaml").write_text("scenarios: {}\n")
        assert main(["test", str(tmp_path)]) == 2
        assert "no case or claim to run" in capsys.readouterr().err


class TestClaimFiles:
    """Claim files found under the paths are checked beside the suites."""

    CLAIMS = """\
claims:
  - label: transfer-for-destruction
    claim: "under biden-2022, all scenarios where activity is transfer and mine is anti_personnel and purpose is destruction are permitted"
    expect: true
    provisions: [B22-2.destruction]
  - label: use-anywhere
    claim: "under trump-2020, all scenarios where activity is use are permitted"
    expect: {expect}
"""

    @pytest.mark.slow
    def test_passing_claims_are_counted(self, tmp_path, capsys):
        """A claim file whose answers hold passes, and the summary counts its claims."""
        (tmp_path / "claims.yaml").write_text(self.CLAIMS.format(expect="false"), encoding="utf-8")
        assert main(["test", str(tmp_path)]) == 0
        assert capsys.readouterr().out.strip() == "2 claims: 2 passed, 0 failed"

    @pytest.mark.slow
    def test_a_wrong_expectation_fails_with_the_answer(self, tmp_path, capsys):
        """A claim expected true that is false fails the run, naming the file, line and answers."""
        path = tmp_path / "claims.yaml"
        path.write_text(self.CLAIMS.format(expect="true"), encoding="utf-8")
        assert main(["test", str(tmp_path), "--json"]) == 1
        report = json.loads(capsys.readouterr().out)
        assert report["passed"] is False and report["claims"]["failed"] == 1
        failure = report["claims"]["failures"][0]
        assert (failure["label"], failure["expected"], failure["answer"]) == ("use-anywhere", "true", "false")
        assert failure["where"] == f"{path}:{line(path.read_text(), 'label: use-anywhere')}"

    def test_k_selects_claims(self, tmp_path, capsys):
        """-k keeps the claims whose label or text holds the word."""
        (tmp_path / "claims.yaml").write_text(self.CLAIMS.format(expect="true"), encoding="utf-8")
        assert main(["test", str(tmp_path), "-k", "destruction"]) == 0
        assert capsys.readouterr().out.strip() == "1 claim: 1 passed, 0 failed"

    @pytest.mark.slow
    def test_bundled_news_claims_pass(self, capsys):
        """`policyengine test scenarios/claims/` passes on the shipped claims."""
        assert main(["test", str(SCENARIOS / "claims")]) == 0
        assert " claims: " in capsys.readouterr().out
