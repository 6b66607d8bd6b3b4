"""The hostile inputs of tests/fixtures/repro3/ each end in a clean error: exit 2 with file:line (or the
field and value) and a fix, never a traceback; the ones that are valid are answered."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
import warnings
from pathlib import Path
from unittest import mock

import pytest

import policyengine as pe
from policyengine.cli.app import main
from policyengine.core.errors import PolicyEngineError, ScenarioError
from policyengine.core.limits import MAX_RULES

REPRO3 = Path(__file__).parents[1] / "fixtures" / "repro3"


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`policyengine ARGS...` as a user runs it (in this process, with the environment `env` while it
    runs): its exit status and what it printed."""
    out, err = io.StringIO(), io.StringIO()
    with (contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), warnings.catch_warnings(),
          mock.patch.dict(os.environ, env or os.environ, clear=True)):
        warnings.simplefilter("default")
        try:
            status = main(list(args))
        except SystemExit as exc:
            status = exc.code
    return subprocess.CompletedProcess(args, status, out.getvalue(), err.getvalue())


def clean(out: subprocess.CompletedProcess[str]) -> str:
    """The one error line of a run that must end in exit 2 without a traceback."""
    assert out.returncode == 2, out.stdout + out.stderr
    assert "Traceback" not in out.stderr
    errors = [line for line in out.stderr.splitlines() if line.startswith("error: ")]
    assert errors, out.stderr
    return errors[0]


class TestPolicyFiles:
    """Malformed policy files are refused by `check` at the offending line."""

    def test_control_character_names_its_line(self) -> None:
        """An escape character in the file is reported at line 41, not as a character offset."""
        line = clean(run("check", str(REPRO3 / "control-char-line-41.yaml")))
        assert "control-char-line-41.yaml:41:" in line and "U+001B" in line and "position" not in line

    def test_empty_source_is_one_error_at_its_line(self) -> None:
        """`S34: ''` is one error at its line, with no follow-on errors for the rules citing S34."""
        out = run("check", str(REPRO3 / "source-empty-string.yaml"))
        line = clean(out)
        assert "source-empty-string.yaml:18:" in line and "source 'S34' must be a mapping" in line
        assert out.stderr.count("error:") == 1 and "more error" not in out.stderr

    def test_empty_confidence_is_refused(self) -> None:
        """`confidence: ''` is not taken for the default."""
        line = clean(run("check", str(REPRO3 / "confidence-empty.yaml")))
        assert "confidence-empty.yaml:75:" in line and "unknown confidence ''" in line

    @pytest.mark.slow  # two commands load 4,100 rules; tests/engine/test_limits.py refuses them in the fast tier
    def test_rule_count_over_the_engine_limit(self) -> None:
        """4,100 rules fail at `check` and at load (`evaluate --policy`), naming the file and the limit."""
        path = str(REPRO3 / "policy-4100-rules.yaml")
        for args in (("check", path), ("evaluate", "--policy", path, "activity=use", "mine=anti_personnel")):
            line = clean(run(*args))
            assert f"{path}:" in line and f"limit of {MAX_RULES:,}" in line and "at most 4,094 rules" in line


class TestSuites:
    """Malformed cases in a scenario suite give a line and a fix."""

    @pytest.mark.parametrize("name, words", [
        ("case-brief-str.yaml", "'brief' must be a mapping, not 'x'"),
        ("case-outcomes-empty-map.yaml", "outcome 1 must be a mapping with a verdict"),
        ("case-reason-list.yaml", "unknown reason '[1]'; expected one of: out_of_scope"),
    ])
    def test_clean_error(self, name: str, words: str) -> None:
        """`policyengine test FILE` names the case's line and what is wrong."""
        line = clean(run("test", str(REPRO3 / "suites" / name)))
        assert f"{name}:2:" in line and words in line


class TestExercises:
    """Exercise answers and the try-counter file."""

    def test_answer_that_is_a_mapping(self, tmp_path: Path) -> None:
        """An exercise 06 answer written as a mapping is refused at its line."""
        env = {**os.environ, "POLICYENGINE_STATE_DIR": str(tmp_path)}
        line = clean(run("exercise", "check", "06", str(REPRO3 / "exercise06-answer-is-a-map.yaml"), env=env))
        assert "exercise06-answer-is-a-map.yaml:4:" in line and "question q01: 'answer' must be a single value" in line

    def test_damaged_state_file_is_reset(self, tmp_path: Path) -> None:
        """A try-counter file with a non-number is reset with one warning; the check runs and counts again."""
        from policyengine.exercises.state import STATE_NAME

        (tmp_path / STATE_NAME).write_text((REPRO3 / "exercises-state-bad.json").read_text())
        env = {**os.environ, "POLICYENGINE_STATE_DIR": str(tmp_path)}
        start = tmp_path / "attempt.yaml"
        start.write_text((Path(__file__).parents[2] / "exercises" / "01" / "start.yaml").read_text())
        out = run("exercise", "check", "01", str(start), env=env)
        assert "Traceback" not in out.stderr and "ValueError" not in out.stderr
        assert out.stderr.count("warning: ") == 1 and f"{STATE_NAME} is damaged" in out.stderr
        counts = json.loads((tmp_path / STATE_NAME).read_text())
        assert list(counts.values()) == [1]


class TestApi:
    """The Python API refuses malformed arguments with PolicyEngineError."""

    @pytest.mark.parametrize("interpretation", [[("a", "b")], "b22-2-korea=literal"])
    def test_across_interpretation_not_a_mapping(self, interpretation: object) -> None:
        """`pe.across` with a list or a string for the interpretation says what to pass instead."""
        with pytest.raises(ScenarioError, match="an interpretation is a mapping of names to readings"):
            pe.across({"activity": "use", "mine": "anti_personnel"}, interpretation)  # type: ignore[arg-type]

    def test_across_reproducer(self) -> None:
        """The reproducer script prints two ScenarioErrors and no AttributeError."""
        out = subprocess.run([sys.executable, str(REPRO3 / "across-interpretation-not-mapping.py")],
                             capture_output=True, text=True, timeout=300, check=True)
        assert out.stdout.count("ScenarioError") == 2 and "AttributeError" not in out.stdout

    def test_every_error_is_a_policy_engine_error(self) -> None:
        """ScenarioError is a PolicyEngineError: one `except` catches them all."""
        assert issubclass(ScenarioError, PolicyEngineError)


class TestThreads:
    """An engine slot goes back when its thread idles: 1,001 idle threads do not stop the next one."""

    @pytest.mark.slow  # 1,001 threads in a new process; tests/engine/test_threads.py gives a slot back in the fast tier
    def test_idle_threads_do_not_exhaust_the_pool(self) -> None:
        """The reproducer: no thread is refused, and a decision after they end is still right."""
        out = subprocess.run([sys.executable, str(REPRO3 / "threads_1001_idle.py")], capture_output=True,
                             text=True, timeout=600, check=True)
        assert out.stdout.splitlines() == ["threads alive: 1001 refused: 0 []", "after they end: permitted"]


class TestClaimBounds:
    """A claim has a documented maximum length and count of values; within them it is answered."""

    def test_ten_thousand_values_refused(self) -> None:
        """The reproducer's 10,000-value claim is refused at once with the limit and a fix."""
        claim = pe.claim
        from policyengine.analysis.claims.grammar import MAX_LENGTH

        text = (REPRO3 / "claim-10000-values.txt").read_text().strip()
        with pytest.raises(pe.PolicyEngineError, match=f"more than the {MAX_LENGTH:,} allowed"):
            claim(text)
        line = clean(run("claim", text))
        assert "is at least" in line

    def test_too_many_values_refused(self) -> None:
        """Short values, many of them: refused by count, not by length."""
        claim = pe.claim
        from policyengine.analysis.claims.grammar import MAX_VALUES

        values = " or ".join(str(i) for i in range(MAX_VALUES + 1))
        with pytest.raises(pe.PolicyEngineError, match=f"more than {MAX_VALUES} values"):
            claim(f"under apii, all scenarios where activity is use and self_destruct_days is {values} are prohibited")

    def test_the_most_values_allowed_are_answered(self) -> None:
        """63 listed days plus the activity (64 values, the maximum) are answered, not refused."""
        claim = pe.claim
        from policyengine.analysis.claims.grammar import MAX_VALUES

        values = " or ".join(str(3 * i + 1) for i in range(MAX_VALUES - 1))
        result = claim(f"under apii, all scenarios where activity is use and self_destruct_days is {values} "
                       "are prohibited")
        assert str(result.answer) == "false"


class TestExerciseFiles:
    """Exercise answer files: repeated scenarios are answered once, and a file's size is bounded."""

    def test_repeated_scenarios_are_decided_once(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """The 5,001-line exercise 02 file holds one distinct scenario: each instrument it can run (the
        second may be in the course key) decides it once."""
        from policyengine.core.evaluation import Evaluator
        from policyengine.exercises.catalogue import exercise
        from policyengine.exercises.scenario_grading import grade_scenarios

        calls = []
        original = Evaluator.evaluate

        def counted(self: Evaluator, *args: object, **kwargs: object) -> object:
            calls.append(self.policy.id)
            return original(self, *args, **kwargs)

        monkeypatch.setattr(Evaluator, "evaluate", counted)
        results = grade_scenarios(exercise("02"), REPRO3 / "exercise02-5001-scenarios.yaml", pe.bundled())
        assert calls and len(calls) == len(set(calls))
        assert results and not all(r.passed for r in results)
        assert not any("5000" in " ".join(r.detail) for r in results)  # the numbers listed are capped

    def test_too_many_scenarios(self, tmp_path: Path) -> None:
        """More than 10,000 scenarios are refused at the list's line."""
        from policyengine.exercises.catalogue import exercise
        from policyengine.exercises.scenario_grading import MAX_SCENARIOS, grade_scenarios

        path = tmp_path / "many.yaml"
        path.write_text("scenarios:\n" + "- {activity: use}\n" * (MAX_SCENARIOS + 1))
        with pytest.raises(pe.PolicyEngineError, match="more than the 10,000 allowed") as info:
            grade_scenarios(exercise("02"), path, pe.bundled())
        assert "many.yaml:1" in str(info.value)
