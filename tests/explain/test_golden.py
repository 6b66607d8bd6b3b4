"""Golden files: explanations as a student of the subject reads them, kept under tests/explain/golden/.

- `golden/<policy>/<scenario>.txt`: the standard plain-text explanation, `pe.explain(decision)`, of each
  named scenario of scenarios/named.yaml under biden-2022 and trump-2020;
- `golden/across/<scenario>.txt`: the across-instruments view, `pe.across(fields)`, of the scenarios in
  ACROSS.

After an intended change of the explanations, a policy file or the named scenarios, regenerate them:

    POLICYENGINE_UPDATE_GOLDEN=1 pytest tests/explain/test_golden.py

which rewrites every golden file and deletes those of scenarios that no longer exist; then read
`git diff tests/explain/golden` as a student would before committing it.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

import policyengine as pe
from policyengine.testing.suites import named_scenarios

GOLDEN = Path(__file__).parent / "golden"
POLICIES = ("biden-2022", "trump-2020")
ACROSS = ("transfer-apl-for-destruction", "use-self-deactivating-mine-outside-korea")
UPDATE = os.environ.get("POLICYENGINE_UPDATE_GOLDEN") == "1"
NAMES = sorted(named_scenarios(pe.vocabulary()))


def standard(policy: str, name: str) -> str:
    """The standard explanation of a named scenario under one instrument."""
    return pe.explain(pe.evaluate(named_scenarios(pe.vocabulary())[name].fields, policy=policy)) + "\n"


def across(name: str) -> str:
    """The across-instruments view of a named scenario."""
    return str(pe.across(named_scenarios(pe.vocabulary())[name].fields)) + "\n"


def compare(path: Path, actual: str) -> None:
    """Fail with a diff when `actual` differs from the golden file (rewrite it when updating)."""
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        return
    assert path.exists(), (f"no golden file {path.relative_to(GOLDEN.parent)}; "
                           "run with POLICYENGINE_UPDATE_GOLDEN=1")
    expected = path.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True),
                                            f"golden/{path.relative_to(GOLDEN)}", "now"))
        pytest.fail(f"the explanation changed; if intended, rerun with POLICYENGINE_UPDATE_GOLDEN=1\n{diff}",
                    pytrace=False)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("policy", POLICIES)
def test_standard_explanation(policy: str, name: str):
    """The standard explanation of the named scenario under the instrument is its golden file."""
    compare(GOLDEN / policy / f"{name}.txt", standard(policy, name))


@pytest.mark.parametrize("name", ACROSS)
def test_across_view(name: str):
    """The across-instruments view of the named scenario is its golden file."""
    compare(GOLDEN / "across" / f"{name}.txt", across(name))


def test_no_stale_golden_files():
    """Every golden file belongs to a named scenario still tested (stale ones are deleted when updating)."""
    wanted = {GOLDEN / p / f"{n}.txt" for p in POLICIES for n in NAMES} | {GOLDEN / "across" / f"{n}.txt"
                                                                            for n in ACROSS}
    stale = sorted(set(GOLDEN.glob("*/*.txt")) - wanted)
    if UPDATE:
        for path in stale:
            path.unlink()
        return
    assert not stale, f"golden files of no named scenario: {[str(p.relative_to(GOLDEN)) for p in stale]}"


@pytest.mark.parametrize("policy", POLICIES)
def test_golden_explanations_fit_the_width(policy: str):
    """Explanations wrap at 100 characters; only an unbreakable URL or word may run past."""
    for path in sorted((GOLDEN / policy).glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            unbreakable = " " not in line.strip()
            assert len(line) <= 100 or unbreakable, (path, line)
