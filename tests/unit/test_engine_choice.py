"""Choosing the engine: durable where durable_rules imports, else python; POLICYENGINE_ENGINE and
`engine=` override it; asking for durable where it is missing says how to install it."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

import policyengine as pe
from policyengine.core import engines
from policyengine.core.errors import EngineError

TRANSFER = {"activity": "transfer", "mine": "anti_personnel", "purpose": "destruction", "recipient": "state",
            "location": "elsewhere"}


@pytest.fixture
def fresh_choice(monkeypatch: pytest.MonkeyPatch):
    """The load-time choice made again under the test's environment, and restored after it."""
    engines.default.cache_clear()
    yield monkeypatch
    engines.default.cache_clear()


def run(*args: str, **env: str) -> subprocess.CompletedProcess:
    """The `policyengine` command in a fresh process."""
    return subprocess.run([sys.executable, "-m", "policyengine", *args], capture_output=True, text=True,
                          env={**os.environ, **env}, check=False, timeout=120)


class TestChoice:
    """Which engine the library picks, and why."""

    def test_default_follows_durable_rules(self, fresh_choice):
        """Without the variable: durable where durable_rules imports, else python naming what is missing."""
        fresh_choice.delenv(engines.ENV, raising=False)
        choice = pe.engine()
        if engines.durable_missing() is None:
            assert choice == ("durable", "durable_rules imports")
        else:
            assert choice.name == "python" and "durable_rules is not installed" in choice.reason

    def test_environment_variable_chooses(self, fresh_choice):
        """POLICYENGINE_ENGINE=python picks python and says so."""
        fresh_choice.setenv(engines.ENV, "python")
        assert pe.engine() == ("python", "POLICYENGINE_ENGINE=python")
        assert str(pe.engine()) == "python (POLICYENGINE_ENGINE=python)"

    def test_unknown_engine_is_an_error_with_a_suggestion(self, fresh_choice):
        """A misspelt engine name, in the variable or the argument, fails naming the fix."""
        fresh_choice.setenv(engines.ENV, "pyhton")
        with pytest.raises(EngineError, match="POLICYENGINE_ENGINE: unknown engine 'pyhton'; did you mean 'python'"):
            pe.engine()
        fresh_choice.delenv(engines.ENV)
        engines.default.cache_clear()
        with pytest.raises(EngineError, match="engine: unknown engine 'durabel'; did you mean 'durable'"):
            pe.evaluate(TRANSFER, policy="biden-2022", engine="durabel")

    def test_durable_missing_says_how_to_install_it(self, fresh_choice):
        """Asking for durable where durable_rules does not import is an error with the pip command."""
        fresh_choice.setattr(engines, "durable_missing", lambda: "durable_rules is not installed on Python 3.13")
        with pytest.raises(EngineError) as err:
            pe.evaluate(TRANSFER, policy="biden-2022", engine="durable")
        assert "the durable engine was asked for, but durable_rules is not installed on Python 3.13" in str(err.value)
        assert 'pip install "durable-rules==2.0.28"' in str(err.value) and "engine='python'" in str(err.value)
        assert pe.engine().name == "python"


class TestEngineArgument:
    """`engine=` on the entry points gives the same decisions as the default engine."""

    def test_evaluate_under_python(self):
        """pe.evaluate with engine='python' decides like the default, by the same provision."""
        got = pe.evaluate(TRANSFER, policy="biden-2022", engine="python")
        assert (got.verdict, got.deciding_rules) == ("permitted", ("B22-2.destruction",))
        assert got == pe.evaluate(TRANSFER, policy="biden-2022")

    def test_evaluate_on_and_across_under_python(self):
        """evaluate_on and across take engine= and answer as without it."""
        on = pe.evaluate_on({"activity": "use", "mine": "anti_personnel"}, "2021-03-01", engine="python")
        assert on.to_dict() == pe.evaluate_on({"activity": "use", "mine": "anti_personnel"}, "2021-03-01").to_dict()
        assert pe.across(TRANSFER, format="json", engine="python") == pe.across(TRANSFER, format="json")

    def test_evaluators_are_kept_per_engine(self):
        """Each instrument keeps one evaluator per engine, built once."""
        judge = pe.bundled().evaluator("trump-2020")
        python = judge.with_engine("python")
        assert python.engine == "python" and python is judge.with_engine("python")
        assert judge.with_engine(None) is judge


class TestCommandLine:
    """--version names the engine; the explanation is the same under either."""

    def test_version_names_the_python_engine(self):
        """With POLICYENGINE_ENGINE=python, --version says python and why."""
        out = run("--version", POLICYENGINE_ENGINE="python")
        assert out.returncode == 0
        assert out.stdout.strip() == f"policyengine {pe.__version__} (engine: python (POLICYENGINE_ENGINE=python))"

    @pytest.mark.slow  # two new processes
    def test_explain_is_the_same_under_both_engines(self):
        """The README's first command prints the same explanation whichever engine answers."""
        if engines.durable_missing():
            pytest.skip(f"comparing the engines needs both: {engines.durable_missing()}")
        args = ("explain", "--policy", "biden-2022", "--scenario", "transfer-apl-for-destruction")
        durable, python = run(*args, POLICYENGINE_ENGINE="durable"), run(*args, POLICYENGINE_ENGINE="python")
        assert durable.returncode == python.returncode == 0
        assert python.stdout == durable.stdout and "decided by B22-2.destruction" in python.stdout

    def test_durable_asked_for_where_missing_exits_2(self):
        """POLICYENGINE_ENGINE=durable without durable_rules is one line with the fix, exit status 2."""
        if engines.durable_missing() is None:
            pytest.skip("durable_rules imports here")
        out = run("evaluate", "--policy", "biden-2022", "activity=use", POLICYENGINE_ENGINE="durable")
        assert out.returncode == 2 and "Traceback" not in out.stderr
        assert 'pip install "durable-rules==2.0.28"' in out.stderr and "POLICYENGINE_ENGINE=python" in out.stderr
