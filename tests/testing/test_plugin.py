"""The pytest plugin, run as a user would: `pytest` in a new project holding only `scenarios/x.yaml`."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import pytest

import policyengine as pe

from policyengine.analysis.claims import load_claims_file
from policyengine.testing.suites import all_cases

ROOT = Path(__file__).resolve().parents[2]


class Outcome(NamedTuple):
    """What a pytest session gave: its exit code and what it printed."""

    returncode: int
    stdout: str
    stderr: str

SUITE = """\
policy: biden-2022
cases:
  - name: transfer-for-destruction
    scenario: {activity: transfer, mine: anti_personnel, purpose: destruction}
    verdict: permitted
    deciding: [B22-2.destruction]
  - name: use-outside-korea
    scenario: {activity: use, mine: anti_personnel, location: elsewhere}
    verdict: prohibited
    deciding: [B22-3]
  - scenario: {activity: use, mine: anti_personnel, location: south_korea, persistence: non_persistent}
    verdict: permitted
    deciding: [B22-6]
  - scenario: {activity: use, mine: anti_personnel, location: north_korea, persistence: non_persistent}
    verdict: permitted
    deciding: [B22-6.north-korea]
"""


def pytest_in_child(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run pytest (no cache) in `folder` in a new Python process, as a user of an installed policyengine
    would: for what only a fresh process shows (which modules a session imports)."""
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args], cwd=folder,
                          capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture
def pytest_run(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Outcome]:
    """Return `pytest_run(folder, *args)`: a pytest session (no cache) in `folder`, run in this process
    with the installed plugins as a user's would be; its exit code and output."""

    def run(folder: Path, *args: str) -> Outcome:
        """Run pytest in `folder` with `args`."""
        monkeypatch.chdir(folder)
        result = pytester.runpytest_inprocess("-p", "no:cacheprovider", *args)
        return Outcome(int(result.ret), "\n".join(result.outlines), "\n".join(result.errlines))

    return run


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A new project folder with only scenarios/x.yaml."""
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "x.yaml").write_text(SUITE, encoding="utf-8")
    return tmp_path


class TestCollection:
    """What the plugin collects."""

    def test_one_item_per_case(self, pytest_run, project):
        """Each case is an item named by its label; labels repeated in a file get their line."""
        done = pytest_run(project, "--collect-only", "-q")
        assert done.returncode == 0, done.stdout + done.stderr
        assert "scenarios/x.yaml::transfer-for-destruction" in done.stdout
        assert "scenarios/x.yaml::use-outside-korea" in done.stdout
        assert "scenarios/x.yaml::inline[11]" in done.stdout and "scenarios/x.yaml::inline[14]" in done.stdout
        assert "4 tests collected" in done.stdout

    def test_runs_and_k_selects_one(self, pytest_run, project):
        """`pytest` runs every case; `-k` selects one by its label."""
        done = pytest_run(project, "-q")
        assert done.returncode == 0 and "4 passed" in done.stdout, done.stdout
        done = pytest_run(project, "-q", "-k", "destruction")
        assert done.returncode == 0 and "1 passed, 3 deselected" in done.stdout, done.stdout

    def test_other_yaml_is_left_alone(self, pytest_run, project):
        """YAML outside a scenarios folder, and YAML in one that is not a suite, are not collected."""
        (project / "config.yaml").write_text(SUITE, encoding="utf-8")
        (project / "scenarios" / "named.yaml").write_text("scenarios: {}\n", encoding="utf-8")
        deep = project / "docs" / "scenarios" / "more"
        deep.mkdir(parents=True)
        (deep / "y.yml").write_text(SUITE, encoding="utf-8")
        done = pytest_run(project, "--collect-only", "-q")
        assert "8 tests collected" in done.stdout, done.stdout
        assert "config.yaml::" not in done.stdout and "named.yaml" not in done.stdout
        assert "docs/scenarios/more/y.yml::use-outside-korea" in done.stdout

    def test_a_suite_outside_scenarios_gets_a_hint(self, pytest_run, tmp_path):
        """A suite pytest meets outside a `scenarios` folder is not collected, and the session says how
        to collect it instead of only 'no tests ran'."""
        (tmp_path / "suites").mkdir()
        (tmp_path / "suites" / "mine.yaml").write_text(SUITE, encoding="utf-8")
        for args in ((), ("suites/mine.yaml",)):
            done = pytest_run(tmp_path, "-q", *args)
            assert done.returncode != 0 and "passed" not in done.stdout
            assert ("policyengine: suites/mine.yaml looks like a scenario suite or claim file, but pytest collects "
                    "these only inside a folder named `scenarios`") in done.stdout, done.stdout
            assert "run `policyengine test suites/mine.yaml`" in done.stdout

    def test_no_hint_when_every_suite_is_collected(self, pytest_run, project):
        """A project whose suites are all under `scenarios` gets no hint."""
        done = pytest_run(project, "-q")
        assert done.returncode == 0 and "policyengine:" not in done.stdout

    def test_a_file_is_collected_once(self, pytest_run, project):
        """A conftest that re-exports the plugin's hook, or a path given twice, collects nothing twice."""
        (project / "conftest.py").write_text("from pytest_policyengine import *  # noqa: F403\n")
        done = pytest_run(project, "--collect-only", "-q", "scenarios", "scenarios/x.yaml")
        assert "4 tests collected" in done.stdout, done.stdout

    def test_a_single_test_file(self, pytest_run, project):
        """Run on one Python test file, pytest runs just it; run on one suite file, just its cases."""
        (project / "tests").mkdir()
        (project / "tests" / "test_a.py").write_text("def test_a():\n    assert True\n")
        done = pytest_run(project, "-q", "tests/test_a.py")
        assert done.returncode == 0 and "1 passed" in done.stdout, done.stdout
        done = pytest_run(project, "-q", "scenarios/x.yaml")
        assert done.returncode == 0 and "4 passed" in done.stdout, done.stdout

    def test_location_is_the_case_line(self, pytest_run, project):
        """Each item reports the suite file and the line of its case."""
        (project / "conftest.py").write_text(
            "def pytest_collection_finish(session):\n"
            "    for item in session.items:\n"
            "        print('LOCATION', item.location)\n")
        done = pytest_run(project, "--collect-only", "-q", "-s")
        assert "LOCATION ('scenarios/x.yaml', 2, 'biden-2022 transfer-for-destruction')" in done.stdout

    def test_the_projects_own_suites(self, pytest_run):
        """This project's own suites and claims run through the plugin: every case and claim is an item."""
        done = pytest_run(ROOT, "--collect-only", "-q", "scenarios")
        claims = len(load_claims_file(ROOT / "scenarios" / "claims" / "news.yaml"))
        assert f"{len(all_cases(pe.bundled())) + claims} tests collected" in done.stdout, done.stdout[-2000:]


#: A conftest that prints, at the end of the session, whether the plugin is loaded and the engine is.
PROBE = """\
import sys


def pytest_sessionfinish(session):
    print("PROBE plugin", session.config.pluginmanager.has_plugin("policyengine"),
          "core", "policyengine.core" in sys.modules)
"""


class TestLoading:
    """The plugin loads in every project, and the engine only where a scenario file is collected (in a
    new process: this one has imported the engine)."""

    def test_no_scenario_files_no_engine(self, tmp_path):
        """In a project without scenario files (YAML elsewhere), pytest never imports policyengine.core."""
        (tmp_path / "conftest.py").write_text(PROBE, encoding="utf-8")
        (tmp_path / "config.yaml").write_text(SUITE, encoding="utf-8")
        (tmp_path / "test_a.py").write_text("def test_a():\n    assert True\n", encoding="utf-8")
        done = pytest_in_child(tmp_path, "-q", "-s")
        assert done.returncode == 0 and "1 passed" in done.stdout, done.stdout + done.stderr
        assert "PROBE plugin True core False" in done.stdout, done.stdout

    @pytest.mark.slow
    def test_a_scenario_file_loads_the_engine(self, project):
        """Where a scenario file is collected, the plugin imports the engine to run it."""
        (project / "conftest.py").write_text(PROBE, encoding="utf-8")
        done = pytest_in_child(project, "-q", "-s")
        assert done.returncode == 0 and "4 passed" in done.stdout, done.stdout + done.stderr
        assert "PROBE plugin True core True" in done.stdout, done.stdout


class TestFailures:
    """How a failing case and a broken suite read."""

    def test_failure_is_readable(self, pytest_run, project):
        """A wrong expectation shows expected, actual and the why-not, and no Python traceback."""
        text = SUITE.replace("verdict: permitted\n    deciding: [B22-2.destruction]",
                             "verdict: prohibited\n    deciding: [B22-2]")
        (project / "scenarios" / "x.yaml").write_text(text, encoding="utf-8")
        done = pytest_run(project, "-q")
        assert done.returncode == 1 and "1 failed, 3 passed" in done.stdout, done.stdout
        assert "scenarios/x.yaml:3: biden-2022 transfer-for-destruction failed" in done.stdout
        assert "expected: prohibited, decided by B22-2" in done.stdout
        assert "actual:   permitted, decided by B22-2.destruction" in done.stdout
        assert "why not B22-2: B22-2 applies, but it is defeated by its exception B22-2.destruction." in done.stdout
        assert "Traceback" not in done.stdout and "def runtest" not in done.stdout

    def test_malformed_suite_is_a_collection_error(self, pytest_run, project):
        """A malformed suite is a collection error naming file:line, without a traceback."""
        (project / "scenarios" / "x.yaml").write_text(SUITE.replace("verdict: prohibited", "verdict: forbiden"))
        done = pytest_run(project, "-q")
        assert done.returncode == 2, done.stdout
        assert "x.yaml:9: unknown verdict 'forbiden'" in done.stdout
        assert "Traceback" not in done.stdout


CLAIMS = """\
claims:
  - label: obama-use-outside-korea
    claim: "under obama-2014, no scenarios where activity is use and location is elsewhere are permitted"
    expect: true
  - label: trump-2020-anywhere
    claim: "under trump-2020, all scenarios where activity is use are permitted"
    expect: {expect}
"""


class TestClaimFiles:
    """Claim files under `scenarios/` are collected beside suites, one item per claim."""

    @pytest.mark.slow
    def test_one_item_per_claim_and_k(self, pytest_run, tmp_path):
        """Each claim is an item named by its label, and -k selects one."""
        (tmp_path / "scenarios").mkdir()
        (tmp_path / "scenarios" / "claims.yaml").write_text(CLAIMS.format(expect="false"), encoding="utf-8")
        done = pytest_run(tmp_path, "-q")
        assert done.returncode == 0 and "2 passed" in done.stdout, done.stdout + done.stderr
        done = pytest_run(tmp_path, "-q", "-k", "anywhere")
        assert "1 passed, 1 deselected" in done.stdout, done.stdout + done.stderr

    @pytest.mark.slow
    def test_failing_claim_reads_as_the_answer(self, pytest_run, tmp_path):
        """A claim whose expected answer is wrong fails with the file:line, what differs and the grounds."""
        (tmp_path / "scenarios").mkdir()
        (tmp_path / "scenarios" / "claims.yaml").write_text(CLAIMS.format(expect="true"), encoding="utf-8")
        done = pytest_run(tmp_path, "-q")
        assert done.returncode == 1 and "1 failed, 1 passed" in done.stdout, done.stdout + done.stderr
        assert "scenarios/claims.yaml:5: claim failed" in done.stdout
        assert "expected true, got false" in done.stdout and "counterexample" in done.stdout
        assert "Traceback" not in done.stdout
