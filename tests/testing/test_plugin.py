"""The pytest plugin, run as a user would: `pytest` in a new project holding only `scenarios/x.yaml`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import policyengine as pe

from policyengine.analysis.claims import load_claims_file
from policyengine.testing.suites import all_cases

ROOT = Path(__file__).resolve().parents[2]

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


def pytest_run(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run pytest (no cache) in `folder`, as a user of an installed policyengine would."""
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args], cwd=folder,
                          capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A new project folder with only scenarios/x.yaml."""
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "x.yaml").write_text(SUITE, encoding="utf-8")
    return tmp_path


class TestCollection:
    """What the plugin collects."""

    def test_one_item_per_case(self, project):
        """Each case is an item named by its label; labels repeated in a file get their line."""
        done = pytest_run(project, "--collect-only", "-q")
        assert done.returncode == 0, done.stdout + done.stderr
        assert "scenarios/x.yaml::transfer-for-destruction" in done.stdout
        assert "scenarios/x.yaml::use-outside-korea" in done.stdout
        assert "scenarios/x.yaml::inline[11]" in done.stdout and "scenarios/x.yaml::inline[14]" in done.stdout
        assert "4 tests collected" in done.stdout

    def test_runs_and_k_selects_one(self, project):
        """`pytest` runs every case; `-k` selects one by its label."""
        done = pytest_run(project, "-q")
        assert done.returncode == 0 and "4 passed" in done.stdout, done.stdout
        done = pytest_run(project, "-q", "-k", "destruction")
        assert done.returncode == 0 and "1 passed, 3 deselected" in done.stdout, done.stdout

    def test_other_yaml_is_left_alone(self, project):
        """YAML outside a scenarios folder, and YAML in one that is not a suite, are not collected."""
        (project / "config.yaml").write_text(SUITE, encoding="utf-8")
        (project / "scenarios" / "named.yaml").write_text("scenarios: {}\n", encoding="utf-8")
        deep = project / "docs" / "scenarios" / "more"
        deep.mkdir(parents=True)
        (deep / "y.yml").write_text(SUITE, encoding="utf-8")
        done = pytest_run(project, "--collect-only", "-q")
        assert "8 tests collected" in done.stdout, done.stdout
        assert "config.yaml" not in done.stdout and "named.yaml" not in done.stdout
        assert "docs/scenarios/more/y.yml::use-outside-korea" in done.stdout

    def test_a_file_is_collected_once(self, project):
        """A conftest that re-exports the plugin's hook, or a path given twice, collects nothing twice."""
        (project / "conftest.py").write_text("from policyengine.testing.plugin import *  # noqa: F403\n")
        done = pytest_run(project, "--collect-only", "-q", "scenarios", "scenarios/x.yaml")
        assert "4 tests collected" in done.stdout, done.stdout

    def test_a_single_test_file(self, project):
        """Run on one Python test file, pytest runs just it; run on one suite file, just its cases."""
        (project / "tests").mkdir()
        (project / "tests" / "test_a.py").write_text("def test_a():\n    assert True\n")
        done = pytest_run(project, "-q", "tests/test_a.py")
        assert done.returncode == 0 and "1 passed" in done.stdout, done.stdout
        done = pytest_run(project, "-q", "scenarios/x.yaml")
        assert done.returncode == 0 and "4 passed" in done.stdout, done.stdout

    def test_location_is_the_case_line(self, project):
        """Each item reports the suite file and the line of its case."""
        (project / "conftest.py").write_text(
            "def pytest_collection_finish(session):\n"
            "    for item in session.items:\n"
            "        print('LOCATION', item.location)\n")
        done = pytest_run(project, "--collect-only", "-q", "-s")
        assert "LOCATION ('scenarios/x.yaml', 2, 'biden-2022 transfer-for-destruction')" in done.stdout

    def test_the_projects_own_suites(self):
        """This project's own suites and claims run through the plugin: every case and claim is an item."""
        done = pytest_run(ROOT, "--collect-only", "-q", "scenarios")
        claims = len(load_claims_file(ROOT / "scenarios" / "claims" / "news.yaml"))
        assert f"{len(all_cases(pe.bundled())) + claims} tests collected" in done.stdout, done.stdout[-2000:]


class TestFailures:
    """How a failing case and a broken suite read."""

    def test_failure_is_readable(self, project):
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

    def test_malformed_suite_is_a_collection_error(self, project):
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

    def test_one_item_per_claim_and_k(self, tmp_path):
        """Each claim is an item named by its label, and -k selects one."""
        (tmp_path / "scenarios").mkdir()
        (tmp_path / "scenarios" / "claims.yaml").write_text(CLAIMS.format(expect="false"), encoding="utf-8")
        done = pytest_run(tmp_path, "-q")
        assert done.returncode == 0 and "2 passed" in done.stdout, done.stdout + done.stderr
        done = pytest_run(tmp_path, "-q", "-k", "anywhere")
        assert "1 passed, 1 deselected" in done.stdout, done.stdout + done.stderr

    def test_failing_claim_reads_as_the_answer(self, tmp_path):
        """A claim whose expected answer is wrong fails with the file:line, what differs and the grounds."""
        (tmp_path / "scenarios").mkdir()
        (tmp_path / "scenarios" / "claims.yaml").write_text(CLAIMS.format(expect="true"), encoding="utf-8")
        done = pytest_run(tmp_path, "-q")
        assert done.returncode == 1 and "1 failed, 1 passed" in done.stdout, done.stdout + done.stderr
        assert "scenarios/claims.yaml:5: claim failed" in done.stdout
        assert "expected true, got false" in done.stdout and "counterexample" in done.stdout
        assert "Traceback" not in done.stdout
